namespace VirtualizationWorkbench.Partitioning.Memory.Sharing;

/// <summary>
/// Where the shared memory pool's overflow goes: the paging space device of Active Memory Sharing. Pages are
/// named by partition number and logical page. Reading and writing return the cycles the access costs, which the
/// firmware charges to the core that waits for it.
/// </summary>
public interface IPagingDevice
{
    /// <summary>What the device is, for reports.</summary>
    string Name { get; }

    /// <summary>Pages it holds now.</summary>
    int PagesHeld { get; }

    /// <summary>Pages written to it so far.</summary>
    long Writes { get; }

    /// <summary>Pages read from it so far.</summary>
    long Reads { get; }

    /// <summary>Stores page <paramref name="page"/> of partition <paramref name="partition"/> (over the copy it held);
    /// returns the cycles.</summary>
    ulong Write(int partition, int page, ReadOnlySpan<byte> bytes);

    /// <summary>Reads a held page into <paramref name="bytes"/>, keeping it (so a page taken again unchanged needs no
    /// write); returns the cycles.</summary>
    ulong Read(int partition, int page, Span<byte> bytes);

    /// <summary>Whether it holds the page.</summary>
    bool Holds(int partition, int page);

    /// <summary>The bytes of a held page, without an access (for hashes and inspectors).</summary>
    ReadOnlySpan<byte> Peek(int partition, int page);

    /// <summary>Drops a page (its partition gave it up or went away).</summary>
    void Forget(int partition, int page);
}
