using System.Security.Cryptography;
using VirtualizationWorkbench.Machine;
using VirtualizationWorkbench.Machine.Devices;
using VirtualizationWorkbench.Storage;
using VirtualizationWorkbench.Storage.San;

namespace VirtualizationWorkbench.Labs.Scripting;

/// <summary>
/// What the storage layer does for lab scripts (<c>const st = lab.storage()</c>): one volume group ("vg0") of
/// in-memory disks with 4 KiB extents, the volumes cut from it, machines whose disk is a volume (locally or over
/// the SAN), failures to stage, and the figures to check. Volumes, pools and disks are named by strings; a
/// refused request fails the script with the storage layer's message, except the <c>try…</c> calls, which
/// return it (so a step can check that a bad request is refused). Documented in <c>curriculum/authoring.md</c>.
/// </summary>
public sealed class ScriptStorage
{
    /// <summary>Sectors per extent: 4 KiB extents.</summary>
    public const uint ExtentSectors = 8;
    /// <summary>At most this many extents in all the disks of one storage object (64 MiB).</summary>
    public const uint MaxExtents = 16_384;

    private readonly VolumeGroup group = new("vg0", ExtentSectors);
    private readonly Dictionary<string, ThinPool> pools = new(StringComparer.Ordinal);
    private readonly ScriptFiles files;
    private readonly ScriptBudget budget;
    private readonly List<SanInitiator> initiators = [];
    private uint extents;
    private int machines;

    internal ScriptStorage(ScriptFiles files, ScriptBudget budget)
    {
        this.files = files;
        this.budget = budget;
    }

    /// <summary>The volume group the script built (for the lab's storage view; scripts never see it).</summary>
    public VolumeGroup Group => group;

    /// <summary>Adds an in-memory disk of <paramref name="diskExtents"/> extents to the group.</summary>
    public void AddDisk(string name, double diskExtents)
    {
        var n = Whole(diskExtents, "addDisk(name, extents)", "extents");
        if (n == 0 || extents + n > MaxExtents) throw new ScriptFailure($"addDisk('{name}', {diskExtents}): 1 extent at least, {MaxExtents} in all the disks");
        Do(() => group.Add(PhysicalVolume.Create(PhysicalDisk.InMemory(name, PhysicalVolume.LabelSectors + n * ExtentSectors), ExtentSectors)));
        extents += n;
    }

    /// <summary>A thick linear volume.</summary>
    public void CreateVolume(string name, double volumeExtents) => Do(() => group.CreateVolume(name, Whole(volumeExtents, "createVolume(name, extents)", "extents")));

    /// <summary>Like <see cref="CreateVolume"/>, but returns the refusal's message ("" if created).</summary>
    public string TryCreateVolume(string name, double volumeExtents) => Try(() => group.CreateVolume(name, Whole(volumeExtents, "tryCreateVolume(name, extents)", "extents")));

    /// <summary>Grows a linear volume online.</summary>
    public void ExtendVolume(string name, double by) => Do(() => group.Extend(Linear(name), Whole(by, "extendVolume(name, extents)", "extents")));

    /// <summary>Takes a disk out of the group; returns the refusal's message ("" if removed).</summary>
    public string TryRemoveDisk(string name) => Try(() => group.Remove(name));

    /// <summary>Moves a volume's extents from one disk to another, all at once.</summary>
    public void MoveVolume(string name, string from, string to) => Do(() => group.Move(Linear(name), from, to).Finish());

    /// <summary>A thin pool of <paramref name="poolExtents"/> blocks; <paramref name="whenFull"/> is "queue" or "error".</summary>
    public void CreateThinPool(string name, double poolExtents, string whenFull)
    {
        var policy = whenFull switch
        {
            "queue" => PoolFullPolicy.Queue,
            "error" => PoolFullPolicy.Error,
            _ => throw new ScriptFailure($"createThinPool(name, extents, whenFull): whenFull is \"queue\" or \"error\", not \"{whenFull}\""),
        };
        pools[name] = Do(() => group.CreateThinPool(name, Whole(poolExtents, "createThinPool(name, extents, whenFull)", "extents"), policy));
    }

    /// <summary>Sets a pool's no-space timeout, in virtual cycles (dm-thin's default is 60 s = 6,000,000,000).</summary>
    public void SetNoSpaceTimeout(string pool, double cycles) => Pool(pool).NoSpaceTimeout = (ulong)Whole(cycles, "setNoSpaceTimeout(pool, cycles)", "cycles");

    /// <summary>A thin volume of <paramref name="blocks"/> blocks in a pool.</summary>
    public void CreateThinVolume(string pool, string name, double blocks) => Do(() => Pool(pool).CreateVolume(name, Whole(blocks, "createThinVolume(pool, name, blocks)", "blocks")));

    /// <summary>Grows a pool online.</summary>
    public void ExtendPool(string pool, double by) => Do(() => Pool(pool).Extend(Whole(by, "extendPool(pool, extents)", "extents")));

    /// <summary>A two-leg mirror.</summary>
    public void CreateMirror(string name, double mirrorExtents) => Do(() => group.CreateMirror(name, Whole(mirrorExtents, "createMirror(name, extents)", "extents")));

    /// <summary>Replaces a mirror's failed leg with a copy on another disk.</summary>
    public void ReplaceLeg(string mirror, double leg, string disk) => Do(() => Mirror(mirror).Replace((int)leg, disk));

    /// <summary>Copies one region to a resynchronising leg; false when in sync.</summary>
    public bool ResyncStep(string mirror) => Do(() => Mirror(mirror).ResyncStep());

    /// <summary>A copy-on-write snapshot of a linear volume with an exception store of <paramref name="storeExtents"/>.</summary>
    public void CreateSnapshot(string origin, string name, double storeExtents) => Do(() => group.CreateSnapshot(Linear(origin), name, Whole(storeExtents, "createSnapshot(origin, name, extents)", "extents")));

    /// <summary>Makes a disk fail after <paramref name="afterSectors"/> more sector writes (0: now).</summary>
    public void FailDisk(string disk, double afterSectors)
    {
        var d = Do(() => group.Disk(disk)).Disk;
        var n = Whole(afterSectors, "failDisk(disk, afterSectors)", "afterSectors");
        if (n == 0) d.Fail();
        else d.FailAfterWrites(n);
    }

    /// <summary>Writes one sector of zeros to a volume from the host; returns the status ("Ok", "IoError", …).</summary>
    public string WriteSector(string volume, double sector)
    {
        var v = Volume(volume);
        var s = Whole(sector, "writeSector(volume, sector)", "sector");
        if (s >= v.Sectors) throw new ScriptFailure($"writeSector('{volume}', {sector}): the volume has {v.Sectors} sectors");
        return v.Write(s, new byte[BlockDisk.SectorSize]).ToString();
    }

    /// <summary>The volume's extent map in runs ("LE 0-3 -> disk1 PE 0-3").</summary>
    public string[] Map(string volume) => [.. Linear(volume).Map.Runs()];

    /// <summary>SHA-256 (hex) of a volume's sectors as a machine would read them.</summary>
    public string Hash(string volume)
    {
        try
        {
            return VolumeHash.Of(Volume(volume));
        }
        catch (StorageError e)
        {
            throw new ScriptFailure($"hash('{volume}'): {e.Message}");
        }
    }

    /// <summary>SHA-256 (hex) of what <c>guests/disk-fill.s</c> writes to sectors 0 to n-1 (the second pass with
    /// -D SECOND_PASS).</summary>
    public static string FillHash(double sectors, bool secondPass)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var bytes = new byte[BlockDisk.SectorSize];
        for (uint s = 0; s < (uint)sectors; s++)
        {
            for (uint i = 0; i < 128; i++) BitConverter.TryWriteBytes(bytes.AsSpan((int)i * 4), ((s << 16) | i) ^ (secondPass ? 0xA5A5A5A5u : 0));
            hash.AppendData(bytes);
        }
        return Convert.ToHexString(hash.GetHashAndReset());
    }

    /// <summary>A figure of a pool, mirror, snapshot, disk, volume or the group (see authoring.md).</summary>
    public double Stat(string name, string what)
    {
        if (name == "vg0") return what switch
        {
            "free-extents" => group.FreeExtents,
            "total-extents" => group.TotalExtents,
            _ => Unknown(name, what, "free-extents, total-extents"),
        };
        if (name == "san") return what == "frames" ? initiators.Sum(i => (double)i.Frames) : Unknown(name, what, "frames");
        if (pools.TryGetValue(name, out var pool)) return what switch
        {
            "blocks" => pool.DataBlocks,
            "allocated" => pool.AllocatedBlocks,
            "free" => pool.FreeBlocks,
            "data-percent" => pool.DataPercent,
            "over-commit" => pool.OverCommit,
            "out-of-data-space" => pool.OutOfDataSpace ? 1 : 0,
            _ => Unknown(name, what, "blocks, allocated, free, data-percent, over-commit, out-of-data-space"),
        };
        var disk = group.Disks.FirstOrDefault(d => d.Name == name);
        if (disk is not null) return what switch
        {
            "requests" => disk.Disk.Reads + disk.Disk.Writes,
            "reads" => disk.Disk.Reads,
            "writes" => disk.Disk.Writes,
            "free-extents" => group.FreeOn(disk),
            _ => Unknown(name, what, "requests, reads, writes, free-extents"),
        };
        return Volume(name) switch
        {
            Mirror m => what switch
            {
                "dirty-regions" => m.DirtyRegions,
                "regions-copied" => m.RegionsCopied,
                "failed-legs" => m.Legs.Count(l => l.State == MirrorLegState.Failed),
                "resyncing" => m.Resyncing ? 1 : 0,
                "sectors" => m.Sectors,
                _ => Unknown(name, what, "dirty-regions, regions-copied, failed-legs, resyncing, sectors"),
            },
            Snapshot s => what switch
            {
                "chunks-copied" => s.ChunksCopied,
                "invalid" => s.Invalid ? 1 : 0,
                "copy-requests" => s.CopyRequests,
                _ => Unknown(name, what, "chunks-copied, invalid, copy-requests"),
            },
            ThinVolume t => what switch
            {
                "sectors" => t.Sectors,
                "mapped-blocks" => t.MappedCount,
                _ => Unknown(name, what, "sectors, mapped-blocks"),
            },
            var v => what switch
            {
                "sectors" => v.Sectors,
                _ => Unknown(name, what, "sectors"),
            },
        };
    }

    /// <summary>A pool's or mirror's log.</summary>
    public string[] Events(string name) => pools.TryGetValue(name, out var pool) ? [.. pool.Events] : [.. Mirror(name).Events];

    /// <summary>A 1 MiB machine whose disk is the volume (attached to it; a thin volume's pool takes its clock).</summary>
    public ScriptMachine Machine(string volume)
    {
        var v = Volume(volume);
        var attachment = Do(() => v.Attach($"machine {++machines}"));
        var computer = NewMachine(attachment, "storage.machine()");
        if (v is ThinVolume thin) thin.Pool.UseClock(() => computer.Cores[0].Counters.Cycles);
        return new ScriptMachine(computer, files, budget);
    }

    /// <summary>A 1 MiB machine whose disk is the volume served over the network by another machine (a SAN).</summary>
    public ScriptMachine SanMachine(string volume)
    {
        var v = Volume(volume);
        var target = Do(() => new SanTarget(v, 0x02_00_00_00_01_00 + (ulong)initiators.Count));
        var initiator = new SanInitiator(target, 0x02_00_00_00_02_00 + (ulong)initiators.Count);
        initiators.Add(initiator);
        return new ScriptMachine(NewMachine(initiator, "storage.sanMachine()"), files, budget);
    }

    /// <summary>
    /// Live migration with the disk on the SAN (<see cref="SanMigrationTrial"/>): the volume, served by a storage
    /// machine to a zone of two compute machines, is the disk of a 128 KiB partition running guests/lpar-disk.s,
    /// which is moved from one to the other in <paramref name="mode"/> over <paramref name="megabitsPerSecond"/>.
    /// The volume must be attached nowhere; it is detached again at the end.
    /// </summary>
    public SanMigrationResult MigrateOverSan(string volume, string mode, double megabitsPerSecond)
    {
        var call = $"migrateOverSan('{volume}', '{mode}', {megabitsPerSecond})";
        var how = Partitioning.Migration.MigrationTrial.ModeNamed(mode) ?? throw new ScriptFailure($"{call}: modes are pre-copy, stop-and-copy and hybrid");
        var v = Volume(volume);
        if (v.AttachedTo is { } machine) throw new ScriptFailure($"{call}: the volume is attached to {machine}; detach it first (st.detach)");
        budget.Claim(2 * (SanMigrationTrial.Blocks + 2) * Partitioning.PartitionFirmware.BlockSize, "st.migrateOverSan()");
        budget.ThrowIfSpent("st.migrateOverSan()");
        try
        {
            var link = new Partitioning.Migration.MigrationLink(megabitsPerSecond);
            return budget.Uncounted(() => Do(() => SanMigrationTrial.Run(how, link, v)));
        }
        catch (Partitioning.PartitionError e)
        {
            throw new ScriptFailure($"{call}: {e.Message}");
        }
    }

    /// <summary>The same partition with the volume as a disk attached to its own machine: the migration's refusal.</summary>
    public string TryMigrateLocal(string volume)
    {
        var v = Volume(volume);
        if (v.AttachedTo is { } machine) throw new ScriptFailure($"tryMigrateLocal('{volume}'): the volume is attached to {machine}; detach it first (st.detach)");
        budget.Claim(2 * (SanMigrationTrial.Blocks + 2) * Partitioning.PartitionFirmware.BlockSize, "st.tryMigrateLocal()");
        budget.ThrowIfSpent("st.tryMigrateLocal()");
        return budget.Uncounted(() => SanMigrationTrial.TryMoveLocal(v));
    }

    /// <summary>Detaches a volume from its machine (that machine's disk then fails its requests).</summary>
    public void Detach(string volume) => Volume(volume).Detach();

    private Computer NewMachine(IBlockStore disk, string call)
    {
        var configuration = new MachineConfiguration { MemorySize = 1024 * 1024, DiskBlocks = disk };
        budget.Claim(configuration.MemorySize, call);
        return budget.Uncounted(() => new Computer(configuration));
    }

    private ThinPool Pool(string name) => pools.TryGetValue(name, out var pool) ? pool : throw new ScriptFailure($"no thin pool '{name}'; create it with createThinPool");

    private Volume Volume(string name) => Do(() => group[name]);

    private LogicalVolume Linear(string name) => Volume(name) as LogicalVolume ?? throw new ScriptFailure($"'{name}' is not a linear volume");

    private Mirror Mirror(string name) => Volume(name) as Mirror ?? throw new ScriptFailure($"'{name}' is not a mirror");

    private static double Unknown(string name, string what, string known) => throw new ScriptFailure($"stat('{name}', '{what}'): the figures of '{name}' are {known}");

    private static uint Whole(double value, string call, string name) =>
        value is >= 0 and <= uint.MaxValue && value == Math.Floor(value) ? (uint)value : throw new ScriptFailure($"{call}: {name} must be a whole number from 0, not {value}");

    private static T Do<T>(Func<T> action)
    {
        try
        {
            return action();
        }
        catch (StorageError e)
        {
            throw new ScriptFailure(e.Message);
        }
    }

    private static void Do(Action action) => Do(() =>
    {
        action();
        return true;
    });

    private static string Try(Action action)
    {
        try
        {
            action();
            return "";
        }
        catch (StorageError e)
        {
            return e.Message;
        }
    }
}
