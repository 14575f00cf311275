using VirtualizationWorkbench.Machine.Devices;

namespace VirtualizationWorkbench.Storage;

/// <summary>
/// A volume's extents moving from one disk to another while the volume is in use (<c>pvmove</c>). Each
/// <see cref="Step"/> copies one extent and switches its map entry; the machine runs between steps and its
/// requests go wherever the map says at that moment, so it never sees a stale block.
/// </summary>
public sealed class ExtentMove
{
    private readonly VolumeGroup group;
    private readonly Queue<int> left;
    private readonly PhysicalVolume target;

    internal ExtentMove(VolumeGroup group, LogicalVolume volume, IEnumerable<int> extents, PhysicalVolume target)
    {
        this.group = group;
        Volume = volume;
        left = new Queue<int>(extents);
        this.target = target;
        Total = left.Count;
    }

    /// <summary>The volume moving.</summary>
    public LogicalVolume Volume { get; }

    /// <summary>Extents to move in all, and moved so far.</summary>
    public int Total { get; }

    /// <inheritdoc cref="Total"/>
    public int Moved => Total - left.Count;

    /// <summary>Whether every extent has moved.</summary>
    public bool Done => left.Count == 0;

    /// <summary>Copies the next extent and switches the map to the copy; false when nothing is left.</summary>
    /// <exception cref="StorageError">A disk failed during the copy: the map still points at the old extent,
    /// which is intact.</exception>
    public bool Step()
    {
        if (left.Count == 0) return false;
        var logical = left.Peek();
        var from = Volume.Map[logical];
        var to = group.AllocateOne(Volume, target);
        var buffer = new byte[group.ExtentSectors * BlockDisk.SectorSize];
        if (from.Volume.Disk.Read(from.Volume.SectorOf(from.Index), buffer) != BlockStatus.Ok
            || to.Volume.Disk.Write(to.Volume.SectorOf(to.Index), buffer) != BlockStatus.Ok)
        {
            group.FreeExtent(to);
            throw new StorageError($"move of '{Volume.Name}' stopped at logical extent {logical}: a disk failed during the copy; the volume still uses {from}, unchanged");
        }
        Volume.Map[logical] = to;
        group.FreeExtent(from);
        left.Dequeue();
        return left.Count > 0;
    }

    /// <summary>Runs every remaining step.</summary>
    public void Finish()
    {
        while (Step())
        {
        }
    }
}
