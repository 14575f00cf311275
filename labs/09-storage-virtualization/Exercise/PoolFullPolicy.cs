namespace VirtualizationWorkbench.Labs.ThinProvisioning;

/// <summary>What a thin pool does with a write that needs a block when none is free (dm-thin's two modes).</summary>
public enum PoolFullPolicy
{
    /// <summary><c>queue_if_no_space</c>: the write waits (the disk answers busy) until the pool grows, or until
    /// the no-space timeout has passed since the pool first queued; from then on such writes fail at once with an
    /// I/O error, until the pool has room again.</summary>
    Queue,
    /// <summary><c>error_if_no_space</c>: the write fails at once with an I/O error.</summary>
    Error,
}
