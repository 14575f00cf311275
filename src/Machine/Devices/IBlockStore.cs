namespace VirtualizationWorkbench.Machine.Devices;

/// <summary>
/// What a <see cref="BlockDisk"/> keeps its sectors in: a file or memory (<see cref="StreamBlockStore"/>), or
/// anything the host puts behind the disk instead (a logical volume, a thin volume, a mirror, a volume served
/// over the network). The guest sees the same disk registers whatever the store is.
/// </summary>
public interface IBlockStore
{
    /// <summary>Capacity in 512-byte sectors. It may grow while the guest runs (online growth): the disk's
    /// capacity register reads it each time.</summary>
    uint Sectors { get; }

    /// <summary>Reads whole sectors from <paramref name="sector"/> into <paramref name="destination"/>
    /// (a multiple of 512 bytes, within <see cref="Sectors"/>; the disk checks the range first).</summary>
    BlockStatus Read(uint sector, Span<byte> destination);

    /// <summary>Writes whole sectors from <paramref name="source"/> at <paramref name="sector"/>.</summary>
    BlockStatus Write(uint sector, ReadOnlySpan<byte> source);
}

/// <summary>How a store answered a request; the disk turns it into its status register.</summary>
public enum BlockStatus
{
    /// <summary>Done.</summary>
    Ok,
    /// <summary>Not done yet and not failed: the store holds the request (a thin pool out of space queues
    /// writes until it grows or its timeout passes). The disk reports busy and asks again when the guest
    /// polls its status.</summary>
    Queued,
    /// <summary>The store failed the request (the guest sees an I/O error; nothing was written).</summary>
    IoError,
    /// <summary>The store takes no writes.</summary>
    ReadOnly,
}
