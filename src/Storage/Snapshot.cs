using VirtualizationWorkbench.Machine.Devices;

namespace VirtualizationWorkbench.Storage;

/// <summary>
/// A classic ("thick") copy-on-write snapshot: the origin as it was when the snapshot was taken, kept by copying
/// each chunk (one extent) of the origin into an exception store just before its first write after the snapshot.
/// That first write costs three disk requests instead of one (read the old chunk, write it to the store, write
/// the new data). When the store is full the snapshot is invalidated for good, and the origin runs on.
/// Read-only here.
/// </summary>
public sealed class Snapshot : Volume
{
    private readonly Dictionary<uint, uint> exceptions = [];

    internal Snapshot(string name, LogicalVolume origin, LogicalVolume store)
    {
        Name = name;
        Origin = origin;
        Store = store;
    }

    /// <inheritdoc/>
    public override string Name { get; }

    /// <summary>The volume snapshotted.</summary>
    public LogicalVolume Origin { get; }

    /// <summary>The hidden exception store.</summary>
    public LogicalVolume Store { get; }

    /// <inheritdoc/>
    public override uint Sectors => Origin.Sectors;

    /// <summary>Chunks copied into the store.</summary>
    public int ChunksCopied => exceptions.Count;

    /// <summary>How full the store is, in percent (<c>lvs</c>' Snap%).</summary>
    public double UsePercent => 100.0 * exceptions.Count / Store.Extents;

    /// <summary>Whether the store filled and the snapshot was dropped (reads fail).</summary>
    public bool Invalid { get; private set; }

    /// <summary>Disk requests spent on copy-on-write: the extra cost of first writes.</summary>
    public ulong CopyRequests { get; private set; }

    /// <inheritdoc/>
    public override BlockStatus Read(uint sector, Span<byte> destination)
    {
        if (Invalid) return BlockStatus.IoError;
        var status = BlockStatus.Ok;
        var offset = 0;
        var chunkSectors = Origin.Group.ExtentSectors;
        while (offset < destination.Length)
        {
            var chunk = sector / chunkSectors;
            var within = sector % chunkSectors;
            var bytes = (int)Math.Min(chunkSectors - within, (uint)((destination.Length - offset) / BlockDisk.SectorSize)) * BlockDisk.SectorSize;
            var part = destination.Slice(offset, bytes);
            var answer = exceptions.TryGetValue(chunk, out var copy)
                ? Store.Read(copy * chunkSectors + within, part)
                : Origin.Read(sector, part);
            if (answer != BlockStatus.Ok) status = answer;
            sector += (uint)(bytes / BlockDisk.SectorSize);
            offset += bytes;
        }
        return status;
    }

    /// <inheritdoc/>
    public override BlockStatus Write(uint sector, ReadOnlySpan<byte> source) => BlockStatus.ReadOnly;

    // Called by the origin before it writes chunk `chunk`.
    internal void BeforeOriginWrite(uint chunk)
    {
        if (Invalid || exceptions.ContainsKey(chunk)) return;
        if (exceptions.Count == Store.Extents)
        {
            Invalid = true;
            return;
        }
        var chunkSectors = Origin.Group.ExtentSectors;
        var buffer = new byte[chunkSectors * BlockDisk.SectorSize];
        var slot = (uint)exceptions.Count;
        var read = Origin.Read(chunk * chunkSectors, buffer);
        var written = Store.WriteThrough(slot * chunkSectors, buffer);
        CopyRequests += 2;
        if (read != BlockStatus.Ok || written != BlockStatus.Ok)
        {
            // The old contents could not be kept: the snapshot can no longer tell the truth.
            Invalid = true;
            return;
        }
        exceptions[chunk] = slot;
    }
}
