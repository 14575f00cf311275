using VirtualizationWorkbench.Machine.Devices;
using VirtualizationWorkbench.Partitioning.Migration;
using VirtualizationWorkbench.Storage;
using VirtualizationWorkbench.Storage.San;

namespace VirtualizationWorkbench.Experiments;

/// <summary>Utilisation of one seeded set of volumes, thick and thin.</summary>
public sealed record UtilisationResult(int Volumes, ulong ProvisionedBlocks, ulong WrittenBlocks, double ThickUtilisationPercent,
    uint ThinPoolBlocks, double ThinUtilisationPercent, double SavingsPercent, double OverCommit);

/// <summary>Cost of one one-sector write to the origin: with no snapshot, first and second write to a chunk after a snapshot.</summary>
public sealed record SnapshotWriteCost(string Case, ulong DiskRequests, ulong Cycles);

/// <summary>Resynchronising a mirror leg of a size: everything (a new disk) or only the bitmap's regions.</summary>
public sealed record ResyncResult(uint Extents, ulong Kibibytes, int FullRegions, ulong FullCycles, int BitmapRegions, ulong BitmapCycles);

/// <summary>One request pattern's cost on a local volume and over the SAN.</summary>
public sealed record SanCost(string Request, ulong LocalCycles, ulong SanCycles, ulong Frames);

/// <summary>One live migration of a partition whose disk is on the SAN, and what the same move would carry with a
/// local disk instead.</summary>
/// <param name="Mode">pre-copy, stop-and-copy or hybrid.</param>
/// <param name="MemoryKibibytes">Memory sent over the migration link (measured).</param>
/// <param name="DiskSectorsCopied">Sectors the storage moved besides the guest's own requests (measured; 0 is the point).</param>
/// <param name="DowntimeMilliseconds">The guest stopped (measured, virtual ms).</param>
/// <param name="TotalMilliseconds">Request to the guest running on the target alone (measured, virtual ms).</param>
/// <param name="VolumeMatches">The LUN held exactly what the guest wrote, before and after the move.</param>
/// <param name="GuestContinued">The guest's output went on, in order, on the target.</param>
/// <param name="LocalDiskKibibytes">Computed, a lower bound: the memory sent plus the whole disk, had the disk been
/// local and moved along (a block migration also re-sends the sectors the guest rewrites meanwhile).</param>
/// <param name="LocalDiskTotalMilliseconds">Computed: the total time plus the disk's bytes at the link's bandwidth.</param>
public sealed record SanMigrationRow(string Mode, double MemoryKibibytes, long DiskSectorsCopied, double DowntimeMilliseconds,
    double TotalMilliseconds, bool VolumeMatches, bool GuestContinued, double LocalDiskKibibytes, double LocalDiskTotalMilliseconds);

/// <summary>Everything <c>workbench experiment storage</c> reports.</summary>
public sealed record StorageResults(int Seed, UtilisationResult Utilisation, IReadOnlyList<SnapshotWriteCost> Snapshot,
    IReadOnlyList<ResyncResult> Resync, IReadOnlyList<SanCost> San, IReadOnlyList<SanMigrationRow> SanMigration);

/// <summary>
/// The storage lab's measurements, in virtual time under <see cref="StorageCosts.Default"/> (100 cycles per
/// microsecond), on in-memory disks: deterministic, so the figures are the same on every machine.
/// </summary>
public static class StorageExperiment
{
    /// <summary>Extent (and thin block, mirror region, snapshot chunk) size: 4 KiB.</summary>
    public const uint ExtentSectors = 8;

    /// <summary>Mirror sizes the resync rows measure, in extents (256 KiB to 16 MiB).</summary>
    public static readonly IReadOnlyList<uint> ResyncSizes = [64, 256, 1024, 4096];

    /// <summary>The SAN migration rows' LUN: 4 MiB next to the partition's 128 KiB of memory, the ratio of a 2 GiB
    /// guest with a 64 GiB disk.</summary>
    public const uint MigrationVolumeSectors = 8192;

    /// <summary>Runs every measurement; <paramref name="resyncSizes"/> defaults to <see cref="ResyncSizes"/>.</summary>
    public static StorageResults Run(int seed = 2026, IReadOnlyList<uint>? resyncSizes = null) =>
        new(seed, Utilisation(seed), SnapshotCost(), [.. (resyncSizes ?? ResyncSizes).Select(Resync)], SanCosts(), SanMigration());

    /// <summary>
    /// Sixteen volumes are promised 256 blocks each; each writes, seeded, a share of its blocks drawn from
    /// 5-60 % (the spread of real volumes: most fill slowly), in random places. Thick provisioning reserves
    /// every promised block; thin allocates only the written ones, from a pool sized to them plus 20 % headroom.
    /// </summary>
    public static UtilisationResult Utilisation(int seed)
    {
        const int volumes = 16;
        const uint promised = 256;
        var random = new Random(seed);
        var shares = Enumerable.Range(0, volumes).Select(_ => 0.05 + random.NextDouble() * 0.55).ToList();
        var writes = shares.Select(share => Enumerable.Range(0, (int)(share * promised * 1.5)).Select(_ => (uint)random.Next((int)promised)).ToList()).ToList();
        ulong written = (ulong)writes.Sum(w => w.Distinct().Count());

        var poolBlocks = (uint)Math.Ceiling(written * 1.2);
        var group = Group(1, poolBlocks);
        var pool = group.CreateThinPool("pool", poolBlocks, PoolFullPolicy.Error);
        var sector = new byte[BlockDisk.SectorSize];
        for (var v = 0; v < volumes; v++)
        {
            var thin = pool.CreateVolume($"vol{v}", promised);
            foreach (var block in writes[v])
            {
                if (thin.Write(block * ExtentSectors, sector) != BlockStatus.Ok) throw new InvalidOperationException("the pool was sized to hold every write");
            }
        }
        var provisioned = (ulong)volumes * promised;
        return new UtilisationResult(volumes, provisioned, pool.AllocatedBlocks, 100.0 * written / provisioned, poolBlocks,
            100.0 * pool.AllocatedBlocks / poolBlocks, 100.0 * (1 - (double)pool.AllocatedBlocks / provisioned), pool.OverCommit);
    }

    /// <summary>One-sector writes to a linear volume: plain, then the first and second write to a chunk after a
    /// copy-on-write snapshot.</summary>
    public static IReadOnlyList<SnapshotWriteCost> SnapshotCost()
    {
        var group = Group(1, 64);
        var origin = group.CreateVolume("origin", 16);
        var disk = group.Disks[0].Disk;
        var sector = new byte[BlockDisk.SectorSize];
        SnapshotWriteCost Measure(string name, uint at)
        {
            var (requests, cycles) = (disk.Reads + disk.Writes, disk.BusyCycles);
            origin.Write(at, sector);
            return new SnapshotWriteCost(name, disk.Reads + disk.Writes - requests, disk.BusyCycles - cycles);
        }
        var plain = Measure("no snapshot", 0);
        group.CreateSnapshot(origin, "snap", 16);
        return [plain, Measure("first write after a snapshot", 8), Measure("second write, same chunk", 9)];
    }

    /// <summary>A two-leg mirror of <paramref name="extents"/> extents: a replacement disk copied whole, and a
    /// returning disk copying only the regions written while it was away (one in ten here).</summary>
    public static ResyncResult Resync(uint extents)
    {
        var full = Mirrored(extents, out var fullGroup);
        fullGroup.Disks[0].Disk.Fail();
        full.Write(0, new byte[BlockDisk.SectorSize]);
        full.Replace(0, "disk3");
        full.Resync();

        var bitmap = Mirrored(extents, out var bitmapGroup);
        var away = bitmapGroup.Disks[0].Disk;
        away.Fail();
        for (uint region = 0; region < extents; region += 10) bitmap.Write(region * ExtentSectors, new byte[BlockDisk.SectorSize]);
        away.Recover();
        bitmap.Repair(0);
        bitmap.Resync();
        return new ResyncResult(extents, extents * ExtentSectors * BlockDisk.SectorSize / 1024, full.RegionsCopied, full.ResyncCycles, bitmap.RegionsCopied, bitmap.ResyncCycles);
    }

    /// <summary>The same requests to a volume attached locally and to the same kind of volume over the SAN.</summary>
    public static IReadOnlyList<SanCost> SanCosts()
    {
        var results = new List<SanCost>();
        foreach (var (name, sectors, write) in new[] { ("write 1 sector", 1u, true), ("read 1 sector", 1u, false), ("write 8 sectors (4 KiB)", 8u, true), ("read 64 sectors (32 KiB)", 64u, false) })
        {
            var localGroup = Group(1, 64);
            var local = localGroup.CreateVolume("local", 32);
            var remoteGroup = Group(1, 64);
            var initiator = new SanInitiator(new SanTarget(remoteGroup.CreateVolume("lun", 32), 0x10), 0x20);
            var buffer = new byte[sectors * BlockDisk.SectorSize];
            var localBefore = localGroup.Disks[0].Disk.BusyCycles;
            var remoteBefore = remoteGroup.Disks[0].Disk.BusyCycles;
            if (write)
            {
                local.Write(0, buffer);
                initiator.Write(0, buffer);
            }
            else
            {
                local.Read(0, buffer);
                initiator.Read(0, buffer);
            }
            results.Add(new SanCost(name, localGroup.Disks[0].Disk.BusyCycles - localBefore,
                remoteGroup.Disks[0].Disk.BusyCycles - remoteBefore + initiator.NetworkCycles, initiator.Frames));
        }
        return results;
    }

    /// <summary>
    /// A partition writing its disk moved from one machine to another over 1 Gbit/s
    /// (<see cref="SanMigrationTrial"/>), once per mode, with its disk a 4 MiB LUN on a storage machine; beside each,
    /// what the same move would carry had the disk been local.
    /// </summary>
    public static IReadOnlyList<SanMigrationRow> SanMigration()
    {
        var link = SanMigrationTrial.Link;
        var diskBytes = (double)MigrationVolumeSectors * BlockDisk.SectorSize;
        return [.. MigrationTrial.Modes.Select(m =>
        {
            var r = SanMigrationTrial.Run(m.Mode, link, SanMigrationTrial.FreshVolume(MigrationVolumeSectors));
            return new SanMigrationRow(r.Mode, r.MemoryBytes / 1024.0, r.DiskSectorsCopied, r.DowntimeMilliseconds, r.TotalMilliseconds,
                r.VolumeMatches, r.GuestContinued, (r.MemoryBytes + diskBytes) / 1024,
                r.TotalMilliseconds + link.MillisecondsFor(1) * diskBytes / VirtualizationWorkbench.Machine.Memory.MemoryMap.PageSize);
        })];
    }

    private static Mirror Mirrored(uint extents, out VolumeGroup group)
    {
        group = Group(3, extents);
        return group.CreateMirror("m", extents);
    }

    private static VolumeGroup Group(int disks, uint extents)
    {
        var group = new VolumeGroup("vg", ExtentSectors);
        for (var i = 1; i <= disks; i++)
        {
            group.Add(PhysicalVolume.Create(PhysicalDisk.InMemory($"disk{i}", PhysicalVolume.LabelSectors + extents * ExtentSectors), ExtentSectors));
        }
        return group;
    }
}
