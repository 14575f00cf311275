using VirtualizationWorkbench.Machine.Devices;

namespace VirtualizationWorkbench.Storage;

/// <summary>
/// A RAID-1 volume: every write goes to every working leg, a read comes from a leg in sync. A leg whose disk
/// fails is dropped and the guest goes on undisturbed, as long as one leg in sync took the write. While a leg is
/// out, a <b>write-intent bitmap</b> records the regions (extents) written; a leg whose disk comes back copies
/// only those, a replacement disk copies everything, one region per <see cref="ResyncStep"/> in the background.
/// </summary>
public sealed class Mirror : Volume
{
    private readonly VolumeGroup group;
    private readonly List<MirrorLeg> legs;
    private readonly bool[] dirty;
    private readonly List<string> events = [];
    private int resyncCursor;

    internal Mirror(VolumeGroup group, string name, IEnumerable<LogicalVolume> legs)
    {
        this.group = group;
        Name = name;
        this.legs = [.. legs.Select(l => new MirrorLeg(l))];
        dirty = new bool[this.legs[0].Volume.Extents];
    }

    /// <inheritdoc/>
    public override string Name { get; }

    /// <inheritdoc/>
    public override uint Sectors => legs[0].Volume.Sectors;

    /// <summary>The copies.</summary>
    public IReadOnlyList<MirrorLeg> Legs => legs;

    /// <summary>Regions (extents) written while a leg was out: what a returning leg must copy.</summary>
    public int DirtyRegions => dirty.Count(d => d);

    /// <summary>Regions copied by resynchronisation so far, and the virtual cycles the copies cost (the busy
    /// time of the disks read and written).</summary>
    public int RegionsCopied { get; private set; }

    /// <inheritdoc cref="RegionsCopied"/>
    public ulong ResyncCycles { get; private set; }

    /// <summary>Whether a leg is being resynchronised.</summary>
    public bool Resyncing => legs.Any(l => l.State == MirrorLegState.Resyncing);

    /// <summary>What happened, in order.</summary>
    public IReadOnlyList<string> Events => events;

    /// <inheritdoc/>
    public override BlockStatus Read(uint sector, Span<byte> destination)
    {
        foreach (var leg in legs)
        {
            if (leg.State != MirrorLegState.InSync) continue;
            if (leg.Volume.Read(sector, destination) == BlockStatus.Ok) return BlockStatus.Ok;
            Drop(leg);
        }
        return BlockStatus.IoError;
    }

    /// <inheritdoc/>
    public override BlockStatus Write(uint sector, ReadOnlySpan<byte> source)
    {
        var landedInSync = false;
        var missed = false;
        foreach (var leg in legs)
        {
            if (leg.State == MirrorLegState.Failed)
            {
                missed = true;
                continue;
            }
            if (leg.Volume.WriteThrough(sector, source) == BlockStatus.Ok)
            {
                landedInSync |= leg.State == MirrorLegState.InSync;
            }
            else
            {
                Drop(leg);
                missed = true;
            }
        }
        if (missed) MarkDirty(sector, source.Length);
        return landedInSync ? BlockStatus.Ok : BlockStatus.IoError;
    }

    /// <summary>The failed leg's disk works again: it resynchronises only the regions the bitmap marks.</summary>
    public void Repair(int leg)
    {
        var l = FailedLeg(leg);
        if (l.Disk.Disk.Failed) throw new StorageError($"mirror '{Name}': the disk of leg {leg} ('{l.Disk.Name}') still fails; recover it, or replace the leg with another disk");
        l.State = MirrorLegState.Resyncing;
        resyncCursor = 0;
        events.Add($"leg {leg} ({l.Disk.Name}) back: {DirtyRegions} dirty regions to copy");
    }

    /// <summary>Replaces a failed leg with a new copy on <paramref name="diskName"/>: every region is copied.</summary>
    public void Replace(int leg, string diskName)
    {
        var l = FailedLeg(leg);
        var disk = group.Disk(diskName);
        if (disk.Disk.Failed) throw new StorageError($"mirror '{Name}': disk '{diskName}' has failed; pick a working disk");
        if (legs.Any(other => other != l && other.Disk == disk)) throw new StorageError($"mirror '{Name}': disk '{diskName}' already holds a leg; two copies on one disk protect nothing");
        var extents = l.Volume.Extents;
        if (group.FreeOn(disk) < extents) throw new StorageError($"mirror '{Name}': disk '{diskName}' has {group.FreeOn(disk)} free extents, the leg needs {extents}");
        var fresh = group.CreateHidden(l.Volume.Name + "_new", extents, disk);
        group.FreeHidden(l.Volume);
        l.Volume = fresh;
        l.State = MirrorLegState.Resyncing;
        Array.Fill(dirty, true);
        resyncCursor = 0;
        events.Add($"leg {leg} replaced by a copy on {diskName}: {dirty.Length} regions to copy");
    }

    /// <summary>Copies the next dirty region to the resynchronising leg; false when the leg is in sync.</summary>
    public bool ResyncStep()
    {
        var target = legs.FirstOrDefault(l => l.State == MirrorLegState.Resyncing);
        if (target is null) return false;
        var source = legs.FirstOrDefault(l => l.State == MirrorLegState.InSync)
            ?? throw new StorageError($"mirror '{Name}': no leg in sync to copy from; the data is lost unless a failed disk comes back");
        while (resyncCursor < dirty.Length && !dirty[resyncCursor]) resyncCursor++;
        if (resyncCursor == dirty.Length)
        {
            target.State = MirrorLegState.InSync;
            if (legs.All(l => l.State == MirrorLegState.InSync)) Array.Clear(dirty);
            events.Add($"leg {legs.IndexOf(target)} ({target.Disk.Name}) in sync after {RegionsCopied} regions");
            return false;
        }
        var buffer = new byte[group.ExtentSectors * BlockDisk.SectorSize];
        var at = (uint)resyncCursor * group.ExtentSectors;
        var before = source.Disk.Disk.BusyCycles + target.Disk.Disk.BusyCycles;
        if (source.Volume.Read(at, buffer) != BlockStatus.Ok)
        {
            Drop(source);
            return true;
        }
        if (target.Volume.WriteThrough(at, buffer) != BlockStatus.Ok)
        {
            Drop(target);
            return false;
        }
        ResyncCycles += source.Disk.Disk.BusyCycles + target.Disk.Disk.BusyCycles - before;
        RegionsCopied++;
        if (legs.Count(l => l.State != MirrorLegState.InSync) == 1) dirty[resyncCursor] = false;
        resyncCursor++;
        return true;
    }

    /// <summary>Resynchronises to the end.</summary>
    public void Resync()
    {
        while (ResyncStep())
        {
        }
    }

    private MirrorLeg FailedLeg(int leg)
    {
        if ((uint)leg >= legs.Count) throw new StorageError($"mirror '{Name}' has legs 0 to {legs.Count - 1}, not {leg}");
        var l = legs[leg];
        if (l.State != MirrorLegState.Failed) throw new StorageError($"mirror '{Name}': leg {leg} has not failed ({l.State})");
        return l;
    }

    private void Drop(MirrorLeg leg)
    {
        if (leg.State == MirrorLegState.Failed) return;
        leg.State = MirrorLegState.Failed;
        events.Add($"leg {legs.IndexOf(leg)} ({leg.Disk.Name}) failed: mirror degraded, writes recorded in the bitmap");
        // The region in the middle of a resync is not done: start over from the first dirty region next time.
        resyncCursor = 0;
    }

    private void MarkDirty(uint sector, int length)
    {
        var first = sector / group.ExtentSectors;
        var last = (sector + (uint)(length / BlockDisk.SectorSize) - 1) / group.ExtentSectors;
        for (var r = first; r <= last && r < dirty.Length; r++) dirty[r] = true;
    }
}
