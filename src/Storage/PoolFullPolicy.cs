namespace VirtualizationWorkbench.Storage;

/// <summary>What a thin pool does with a write that needs a block when none is free (dm-thin's two modes).</summary>
public enum PoolFullPolicy
{
    /// <summary>The default, <c>queue_if_no_space</c>: the write waits for the pool to grow; after
    /// <see cref="ThinPool.NoSpaceTimeout"/> of virtual time it fails with an I/O error, and so does every later
    /// write that needs a block, until the pool grows.</summary>
    Queue,
    /// <summary><c>error_if_no_space</c> (<c>lvcreate --errorwhenfull y</c>): the write fails at once with an I/O
    /// error.</summary>
    Error,
}
