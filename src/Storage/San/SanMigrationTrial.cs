using System.Security.Cryptography;
using VirtualizationWorkbench.Machine;
using VirtualizationWorkbench.Machine.Assembler;
using VirtualizationWorkbench.Machine.Devices;
using VirtualizationWorkbench.Machine.Memory;
using VirtualizationWorkbench.Partitioning;
using VirtualizationWorkbench.Partitioning.Migration;

namespace VirtualizationWorkbench.Storage.San;

/// <summary>
/// Compute and storage on different machines, and a live migration that then moves only memory: a storage machine
/// serves the LUN 'lun0' to a zone of two compute machines, A and B; a partition on A runs labs/guests/lpar-disk.s,
/// which keeps writing its disk (the LUN, over A's network card) and printing; it is warmed up, then moved to B.
/// Its disk logs in to the same LUN from B; the guest's writes go on from there, and the LUN must hold at the end
/// exactly what the guest wrote. Fresh machines each time: deterministic.
/// </summary>
public static class SanMigrationTrial
{
    /// <summary>The storage machine's, A's and B's MAC addresses.</summary>
    public const ulong StorageMac = 0x02_00_00_00_00_10, SourceMac = 0x02_00_00_00_00_0A, TargetMac = 0x02_00_00_00_00_0B;

    /// <summary>The partition's memory: two blocks (128 KiB).</summary>
    public const int Blocks = 2;

    /// <summary>The LUN's size unless given: 8 sectors (4 KiB), so the guest goes round it before and after the
    /// move.</summary>
    public const uint VolumeSectors = 8;

    /// <summary>The link between A and B: 1 Gbit/s, a round trip of 0.1 ms.</summary>
    public static MigrationLink Link { get; } = new(1000);

    /// <summary>The source of labs/guests/lpar-disk.s.</summary>
    public static string GuestSource { get; } = Read("Guests.lpar-disk.s");

    /// <summary>The assembled guest.</summary>
    public static ProgramImage Guest { get; } = Assembler.AssembleText(GuestSource, "guests/lpar-disk.s");

    /// <summary>Moves the writing partition from A to B in <paramref name="mode"/> over <paramref name="link"/>
    /// (<see cref="Link"/> if null) after <paramref name="warmupMilliseconds"/> of virtual time on A; B runs it
    /// <paramref name="afterMilliseconds"/> more. The LUN is <paramref name="lun"/> (a volume attached nowhere; it is
    /// detached again at the end) or a fresh one of <see cref="VolumeSectors"/>.</summary>
    public static SanMigrationResult Run(MigrationMode mode, MigrationLink? link = null, Volume? lun = null, double warmupMilliseconds = 5, double afterMilliseconds = 5)
    {
        lun ??= FreshVolume(VolumeSectors);
        var before = Contents(lun);
        var zone = new SanZone("lpm").Add(SourceMac).Add(TargetMac);
        var target = new SanTarget(lun, StorageMac, zone);
        try
        {
            var source = Machine(SourceMac);
            var destination = Machine(TargetMac);
            var partition = source.Activate(new PartitionProfile { Name = "mover", DesiredBlocks = Blocks, MaxBlocks = Blocks }, Guest);
            var disk = PartitionDisk.OverSan(target, source);
            source.Attach(partition, disk);
            source.RunFor(partition, (ulong)(warmupMilliseconds * VirtualClock.CyclesPerMillisecond));
            var writesBefore = (uint)disk.SectorsWritten;

            var migration = new PartitionMigration(source, destination, new MigrationOptions(mode, link ?? Link, StopRule.Xen, AfterMilliseconds: afterMilliseconds));
            var result = migration.Move(partition);
            var moved = migration.Moved!;
            var movedDisk = (PartitionDisk)moved.VirtualDevices.Single();
            // The disk's own count (it moved with it): the guest's `written` lags it by one when the run ends between
            // a write and its read-back.
            var writes = (uint)movedDisk.SectorsWritten;
            var guestSectors = movedDisk.SectorsRead + movedDisk.SectorsWritten;
            destination.Release(moved);
            return new SanMigrationResult(MigrationTrial.NameOf(mode), result.TotalPages, (long)result.TotalPages * MemoryMap.PageSize,
                (long)(target.SectorsServed - guestSectors), result.DowntimeMilliseconds, result.TotalMilliseconds, lun.Sectors,
                writesBefore, writes, (uint)movedDisk.SectorsRead, disk.Initiator!.Frames / 2, movedDisk.Initiator!.Frames / 2,
                VolumeHash.Of(lun) == ExpectedHash(writes, before), result.MemoryMatches, result.GuestContinued, result.DemandFetches, moved.Console);
        }
        finally
        {
            lun.Detach();
        }
    }

    /// <summary>Tries to move a partition whose disk is <paramref name="volume"/> attached to machine A itself:
    /// returns the refusal (the partition goes on running on A, then is removed and the volume detached).</summary>
    public static string TryMoveLocal(Volume volume)
    {
        var source = Machine(SourceMac);
        var destination = Machine(TargetMac);
        var partition = source.Activate(new PartitionProfile { Name = "local", DesiredBlocks = Blocks, MaxBlocks = Blocks }, Guest);
        source.Attach(partition, PartitionDisk.Local(volume.Attach("machine A")));
        source.RunFor(partition, VirtualClock.CyclesPerMillisecond);
        try
        {
            new PartitionMigration(source, destination, new MigrationOptions(MigrationMode.PreCopy, Link, StopRule.Xen)).Move(partition);
            return "";
        }
        catch (PartitionError e)
        {
            return e.Message;
        }
        finally
        {
            if (partition.State != PartitionState.Moved) source.Release(partition);
        }
    }

    /// <summary>A volume of <paramref name="sectors"/> (a multiple of 8) on an in-memory disk of its own.</summary>
    public static Volume FreshVolume(uint sectors)
    {
        if (sectors == 0 || sectors % 8 != 0) throw new StorageError($"SAN migration trial: the LUN's size is a multiple of 8 sectors (4 KiB extents), not {sectors}");
        var group = new VolumeGroup("san", 8);
        group.Add(PhysicalVolume.Create(PhysicalDisk.InMemory("storage1", PhysicalVolume.LabelSectors + sectors), 8));
        return group.CreateVolume("lun0", sectors / 8);
    }

    /// <summary>A compute machine for the partition: its memory plus the firmware's block and one spare.</summary>
    public static PartitionFirmware Machine(ulong mac)
    {
        var firmware = new PartitionFirmware(new MachineConfiguration { MemorySize = (Blocks + 2) * PartitionFirmware.BlockSize, Cores = 1 });
        firmware.Machine.Network.MacAddress = mac;
        return firmware;
    }

    /// <summary>What lpar-disk.s writes as write number <paramref name="write"/>.</summary>
    public static byte[] Pattern(uint write)
    {
        var bytes = new byte[BlockDisk.SectorSize];
        for (uint i = 0; i < 128; i++) BitConverter.TryWriteBytes(bytes.AsSpan((int)i * 4), (write << 16) | i);
        return bytes;
    }

    /// <summary>SHA-256 of what a disk holds after lpar-disk.s wrote <paramref name="writes"/> sectors to it, when it
    /// held <paramref name="before"/> (its sectors, in order): each sector the last write that went to it, or what it
    /// held.</summary>
    public static string ExpectedHash(uint writes, IReadOnlyList<byte[]> before)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var sectors = (uint)before.Count;
        for (uint s = 0; s < sectors; s++)
        {
            hash.AppendData(writes > s ? Pattern(s + (writes - 1 - s) / sectors * sectors) : before[(int)s]);
        }
        return Convert.ToHexString(hash.GetHashAndReset());
    }

    private static List<byte[]> Contents(IBlockStore store)
    {
        var sectors = new List<byte[]>((int)store.Sectors);
        for (uint s = 0; s < store.Sectors; s++)
        {
            var buffer = new byte[BlockDisk.SectorSize];
            if (store.Read(s, buffer) != BlockStatus.Ok) throw new StorageError($"sector {s} of the volume does not read");
            sectors.Add(buffer);
        }
        return sectors;
    }

    private static string Read(string name)
    {
        using var stream = typeof(SanMigrationTrial).Assembly.GetManifestResourceStream(name) ?? throw new InvalidOperationException($"resource {name} missing");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
