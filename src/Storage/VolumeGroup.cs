using VirtualizationWorkbench.Machine.Devices;

namespace VirtualizationWorkbench.Storage;

/// <summary>
/// A volume group (LVM's VG): physical volumes pooled into one set of extents, from which volumes of any size
/// are cut, grown, moved, mirrored and snapshotted. It records which volume owns each physical extent, so it can
/// refuse what would lose data (a volume larger than the free space, removing a disk a volume still needs).
/// </summary>
public sealed class VolumeGroup
{
    private readonly List<PhysicalVolume> disks = [];
    private readonly Dictionary<PhysicalVolume, LogicalVolume?[]> owners = [];
    private readonly Dictionary<string, Volume> volumes = new(StringComparer.Ordinal);
    private readonly List<LogicalVolume> hidden = [];

    /// <summary>An empty group named <paramref name="name"/> whose extents are <paramref name="extentSectors"/>
    /// sectors (every physical volume added must use the same size).</summary>
    public VolumeGroup(string name, uint extentSectors)
    {
        if (extentSectors == 0) throw new StorageError($"group '{name}': an extent is at least one sector");
        Name = name;
        ExtentSectors = extentSectors;
    }

    /// <summary>The group's name.</summary>
    public string Name { get; }

    /// <summary>Sectors per extent.</summary>
    public uint ExtentSectors { get; }

    /// <summary>The physical volumes pooled.</summary>
    public IReadOnlyList<PhysicalVolume> Disks => disks;

    /// <summary>The volumes users see, by name (linear, mirrored, snapshots, thin pools' thin volumes).</summary>
    public IReadOnlyCollection<Volume> Volumes => volumes.Values;

    /// <summary>The volumes that are parts of others (mirror legs, pool data, exception stores).</summary>
    public IReadOnlyList<LogicalVolume> HiddenVolumes => hidden;

    /// <summary>Extents in the pool.</summary>
    public uint TotalExtents => (uint)disks.Sum(d => d.Extents);

    /// <summary>Extents no volume owns.</summary>
    public uint FreeExtents => (uint)owners.Values.Sum(o => o.Count(x => x is null));

    /// <summary>Free extents on one disk.</summary>
    public uint FreeOn(PhysicalVolume disk) => (uint)owners[disk].Count(x => x is null);

    /// <summary>Which volume owns physical extent <paramref name="index"/> of <paramref name="disk"/>, if any.</summary>
    public LogicalVolume? OwnerOf(PhysicalVolume disk, uint index) => owners[disk][index];

    /// <summary>A volume by name.</summary>
    public Volume this[string name] => volumes.TryGetValue(name, out var v) ? v : throw new StorageError($"group '{Name}' has no volume '{name}'; its volumes are {Names()}");

    /// <summary>Adds a physical volume to the pool (<c>vgextend</c>): its extents are free at once, also for
    /// volumes in use.</summary>
    public void Add(PhysicalVolume disk)
    {
        if (disk.ExtentSectors != ExtentSectors)
        {
            throw new StorageError($"disk '{disk.Name}' has extents of {disk.ExtentSectors} sectors; group '{Name}' uses {ExtentSectors}; label it again with {ExtentSectors}-sector extents");
        }
        if (disks.Any(d => d.Name == disk.Name)) throw new StorageError($"group '{Name}' already has a disk named '{disk.Name}'");
        disks.Add(disk);
        owners[disk] = new LogicalVolume?[disk.Extents];
    }

    /// <summary>Takes a physical volume out of the pool (<c>vgreduce</c>).</summary>
    /// <exception cref="StorageError">A volume still has extents on it: say which, and how to move them.</exception>
    public void Remove(string diskName)
    {
        var disk = Disk(diskName);
        var users = owners[disk].Where(o => o is not null).GroupBy(o => o!).Select(g => $"{g.Key.Name} ({g.Count()} extents)").ToList();
        if (users.Count > 0)
        {
            throw new StorageError($"disk '{diskName}' still holds extents of {string.Join(", ", users)}; removing it would lose their data — move them off first (move volume {diskName} other-disk) or remove those volumes");
        }
        disks.Remove(disk);
        owners.Remove(disk);
    }

    /// <summary>A disk of the group by name.</summary>
    public PhysicalVolume Disk(string name) => disks.FirstOrDefault(d => d.Name == name)
        ?? throw new StorageError($"group '{Name}' has no disk '{name}'; its disks are {string.Join(", ", disks.Select(d => d.Name))}");

    /// <summary>A thick linear volume of <paramref name="extents"/> extents, reserved now, spread over the disks
    /// as free space allows (<c>lvcreate -l</c>).</summary>
    /// <exception cref="StorageError">Not enough free extents: thick volumes cannot promise more than the pool has.</exception>
    public LogicalVolume CreateVolume(string name, uint extents)
    {
        CheckNewName(name);
        if (extents == 0) throw new StorageError($"volume '{name}': a volume has at least one extent");
        if (extents > FreeExtents)
        {
            throw new StorageError($"volume '{name}' needs {extents} extents ({Kib(extents)} KiB) but group '{Name}' has {FreeExtents} free of {TotalExtents}; a thick volume reserves all its space now — make it smaller, add a disk, or create it thin in a thin pool");
        }
        var volume = new LogicalVolume(this, name, hidden: false);
        Allocate(volume, extents, null);
        volumes[name] = volume;
        return volume;
    }

    /// <summary>Grows a volume by <paramref name="extents"/> while it is in use (<c>lvextend</c>): the disk
    /// behind an attached machine reports the new capacity at once.</summary>
    public void Extend(LogicalVolume volume, uint extents)
    {
        if (extents > FreeExtents)
        {
            throw new StorageError($"volume '{volume.Name}': growing by {extents} extents needs {extents} free; group '{Name}' has {FreeExtents}; add a disk first");
        }
        Allocate(volume, extents, null);
    }

    /// <summary>Moves every extent of <paramref name="volume"/> that lives on <paramref name="from"/> to
    /// <paramref name="to"/> (<c>pvmove</c>), one extent per <see cref="ExtentMove.Step"/>, so the volume stays in
    /// use in between.</summary>
    public ExtentMove Move(LogicalVolume volume, string from, string to)
    {
        var source = Disk(from);
        var target = Disk(to);
        if (source == target) throw new StorageError($"move: '{from}' is both source and target");
        var moving = Enumerable.Range(0, volume.Map.Count).Where(i => volume.Map[i].Volume == source).ToList();
        if (moving.Count > FreeOn(target))
        {
            throw new StorageError($"move '{volume.Name}' from '{from}' to '{to}': {moving.Count} extents to move, {FreeOn(target)} free on '{to}'; free space there or pick another disk");
        }
        return new ExtentMove(this, volume, moving, target);
    }

    /// <summary>A thin pool whose data is a hidden volume of <paramref name="dataExtents"/> extents (each extent a
    /// pool block).</summary>
    public ThinPool CreateThinPool(string name, uint dataExtents, PoolFullPolicy whenFull = PoolFullPolicy.Queue)
    {
        CheckNewName(name);
        if (dataExtents == 0 || dataExtents > FreeExtents)
        {
            throw new StorageError($"thin pool '{name}' needs {dataExtents} extents of data; group '{Name}' has {FreeExtents} free; make the pool smaller or add a disk");
        }
        var data = CreateHidden($"{name}_tdata", dataExtents, null);
        return new ThinPool(this, name, data, whenFull);
    }

    /// <summary>A RAID-1 volume of <paramref name="extents"/> extents with <paramref name="copies"/> legs, each
    /// leg whole on a different disk, so losing any one disk loses no data.</summary>
    public Mirror CreateMirror(string name, uint extents, int copies = 2)
    {
        CheckNewName(name);
        if (copies < 2) throw new StorageError($"mirror '{name}': a mirror keeps at least two copies");
        var candidates = disks.Where(d => !d.Disk.Failed && FreeOn(d) >= extents).Take(copies).ToList();
        if (candidates.Count < copies)
        {
            throw new StorageError($"mirror '{name}' needs {copies} disks with {extents} free extents each; group '{Name}' has {candidates.Count}; add disks or make it smaller");
        }
        var legs = candidates.Select((d, i) => CreateHidden($"{name}_rimage_{i}", extents, d)).ToList();
        var mirror = new Mirror(this, name, legs);
        volumes[name] = mirror;
        return mirror;
    }

    /// <summary>A classic copy-on-write snapshot of <paramref name="origin"/> with an exception store of
    /// <paramref name="storeExtents"/> extents (<c>lvcreate -s -l</c>).</summary>
    public Snapshot CreateSnapshot(LogicalVolume origin, string name, uint storeExtents)
    {
        CheckNewName(name);
        if (storeExtents == 0 || storeExtents > FreeExtents)
        {
            throw new StorageError($"snapshot '{name}' needs {storeExtents} extents for its exception store; group '{Name}' has {FreeExtents} free");
        }
        var store = CreateHidden($"{name}_cow", storeExtents, null);
        var snapshot = new Snapshot(name, origin, store);
        origin.AddSnapshot(snapshot);
        volumes[name] = snapshot;
        return snapshot;
    }

    /// <summary>Removes a volume and frees its extents (<c>lvremove</c>).</summary>
    public void RemoveVolume(string name)
    {
        var volume = this[name];
        if (volume.AttachedTo is { } machine) throw new StorageError($"volume '{name}' is attached to machine '{machine}'; detach it first");
        switch (volume)
        {
            case LogicalVolume { Snapshots.Count: > 0 } lv:
                throw new StorageError($"volume '{name}' has snapshots ({string.Join(", ", lv.Snapshots.Select(s => s.Name))}); remove them first");
            case LogicalVolume lv:
                Free(lv);
                break;
            case Snapshot snapshot:
                snapshot.Origin.RemoveSnapshot(snapshot);
                FreeHidden(snapshot.Store);
                break;
            case Mirror mirror:
                foreach (var leg in mirror.Legs) FreeHidden(leg.Volume);
                break;
            case ThinVolume thin:
                thin.Pool.Discard(thin);
                break;
        }
        volumes.Remove(name);
    }

    internal void Register(Volume volume)
    {
        CheckNewName(volume.Name);
        volumes[volume.Name] = volume;
    }

    internal void CheckNewName(string name)
    {
        if (name.Length == 0) throw new StorageError("a volume needs a name");
        if (volumes.ContainsKey(name)) throw new StorageError($"group '{Name}' already has a volume '{name}'; pick another name");
    }

    internal LogicalVolume CreateHidden(string name, uint extents, PhysicalVolume? on)
    {
        var volume = new LogicalVolume(this, name, hidden: true);
        Allocate(volume, extents, on);
        hidden.Add(volume);
        return volume;
    }

    internal void FreeHidden(LogicalVolume volume)
    {
        Free(volume);
        hidden.Remove(volume);
    }

    // First fit, disk by disk in the order they were added (LVM's "normal" policy, without its contiguity tries).
    internal void Allocate(LogicalVolume volume, uint extents, PhysicalVolume? on)
    {
        var left = extents;
        foreach (var disk in on is null ? disks : [on])
        {
            if (disk.Disk.Failed) continue;
            var owner = owners[disk];
            for (uint i = 0; i < owner.Length && left > 0; i++)
            {
                if (owner[i] is not null) continue;
                owner[i] = volume;
                volume.Map.Append(new PhysicalExtent(disk, i));
                left--;
            }
        }
        if (left > 0)
        {
            // Checked by every caller before; reaching this is a broken invariant, not a user mistake.
            throw new InvalidOperationException($"allocated {extents - left} of {extents} extents for '{volume.Name}'");
        }
    }

    internal PhysicalExtent AllocateOne(LogicalVolume volume, PhysicalVolume on)
    {
        var owner = owners[on];
        var index = Array.IndexOf(owner, null);
        owner[index] = volume;
        return new PhysicalExtent(on, (uint)index);
    }

    internal void FreeExtent(PhysicalExtent extent) => owners[extent.Volume][extent.Index] = null;

    private void Free(LogicalVolume volume)
    {
        foreach (var extent in volume.Map.Entries) FreeExtent(extent);
        volume.Map.RemoveLast(volume.Map.Count);
    }

    private ulong Kib(uint extents) => (ulong)extents * ExtentSectors * BlockDisk.SectorSize / 1024;

    private string Names() => volumes.Count == 0 ? "none" : string.Join(", ", volumes.Keys.Order(StringComparer.Ordinal));
}
