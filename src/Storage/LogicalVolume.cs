using VirtualizationWorkbench.Machine.Devices;

namespace VirtualizationWorkbench.Storage;

/// <summary>
/// A logical volume (LVM's LV): a size in extents and an <see cref="ExtentMap"/> saying where each lives in
/// the group's physical volumes. Requests are cut at extent boundaries and sent to the disks underneath. With
/// copy-on-write snapshots open, a write first lets each snapshot save the old contents of the extents it
/// touches.
/// </summary>
public sealed class LogicalVolume : Volume
{
    private readonly List<Snapshot> snapshots = [];

    internal LogicalVolume(VolumeGroup group, string name, bool hidden)
    {
        Group = group;
        Name = name;
        Hidden = hidden;
    }

    /// <summary>The group the extents come from.</summary>
    public VolumeGroup Group { get; }

    /// <inheritdoc/>
    public override string Name { get; }

    /// <summary>Whether the volume is a part of another (a mirror leg, a thin pool's data, a snapshot's
    /// exception store), shown in brackets as <c>lvs -a</c> does and not attachable on its own.</summary>
    public bool Hidden { get; }

    /// <summary>Where each logical extent lives.</summary>
    public ExtentMap Map { get; } = new();

    /// <summary>Size in extents.</summary>
    public uint Extents => (uint)Map.Count;

    /// <inheritdoc/>
    public override uint Sectors => Extents * Group.ExtentSectors;

    /// <summary>The copy-on-write snapshots of this volume still open.</summary>
    public IReadOnlyList<Snapshot> Snapshots => snapshots;

    internal void AddSnapshot(Snapshot snapshot) => snapshots.Add(snapshot);

    internal void RemoveSnapshot(Snapshot snapshot) => snapshots.Remove(snapshot);

    /// <inheritdoc/>
    public override BlockStatus Read(uint sector, Span<byte> destination)
    {
        var status = BlockStatus.Ok;
        foreach (var (disk, at, offset, bytes) in Pieces(sector, destination.Length))
        {
            var answer = disk.Read(at, destination.Slice(offset, bytes));
            if (answer != BlockStatus.Ok) status = answer;
        }
        return status;
    }

    /// <inheritdoc/>
    public override BlockStatus Write(uint sector, ReadOnlySpan<byte> source)
    {
        if (snapshots.Count > 0)
        {
            var first = sector / Group.ExtentSectors;
            var last = (sector + (uint)(source.Length / BlockDisk.SectorSize) - 1) / Group.ExtentSectors;
            foreach (var snapshot in snapshots)
            {
                for (var extent = first; extent <= last; extent++)
                {
                    snapshot.BeforeOriginWrite(extent);
                }
            }
        }
        return WriteThrough(sector, source);
    }

    // A write that bypasses snapshots: resync, moves and the snapshot's own copies use it.
    internal BlockStatus WriteThrough(uint sector, ReadOnlySpan<byte> source)
    {
        var status = BlockStatus.Ok;
        foreach (var (disk, at, offset, bytes) in Pieces(sector, source.Length))
        {
            var answer = disk.Write(at, source.Slice(offset, bytes));
            if (answer != BlockStatus.Ok) status = answer;
        }
        return status;
    }

    // The request cut at extent boundaries: which disk, which sector there, and which bytes of the buffer.
    private List<(PhysicalDisk Disk, uint Sector, int Offset, int Bytes)> Pieces(uint sector, int length)
    {
        var pieces = new List<(PhysicalDisk, uint, int, int)>(2);
        var offset = 0;
        while (length > 0)
        {
            var within = sector % Group.ExtentSectors;
            var sectors = Math.Min(Group.ExtentSectors - within, (uint)(length / BlockDisk.SectorSize));
            var bytes = (int)sectors * BlockDisk.SectorSize;
            var pe = Map[(int)(sector / Group.ExtentSectors)];
            pieces.Add((pe.Volume.Disk, pe.Volume.SectorOf(pe.Index) + within, offset, bytes));
            sector += sectors;
            offset += bytes;
            length -= bytes;
        }
        return pieces;
    }

    /// <summary>The volume as <c>lvs</c> lists it.</summary>
    public override string ToString() => $"{(Hidden ? $"[{Name}]" : Name)} {Extents} extents: {Map}";
}
