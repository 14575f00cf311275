using VirtualizationWorkbench.Machine.Devices;
using VirtualizationWorkbench.Partitioning;
using VirtualizationWorkbench.Partitioning.Migration;
using VirtualizationWorkbench.Storage.San;

namespace VirtualizationWorkbench.Storage.Tests;

public sealed class SanMigrationTests
{
    [TestCase(MigrationMode.PreCopy)]
    [TestCase(MigrationMode.StopAndCopy)]
    [TestCase(MigrationMode.Hybrid)]
    public void A_Partition_Whose_Disk_Is_On_The_San_Moves_With_Its_Memory_Only_And_Keeps_Writing(MigrationMode mode)
    {
        var r = SanMigrationTrial.Run(mode);
        Assert.Multiple(() =>
        {
            Assert.That(r.DiskSectorsCopied, Is.Zero, "the storage served the guest's requests and nothing else");
            Assert.That(r.MemoryPages, Is.GreaterThanOrEqualTo(SanMigrationTrial.Blocks * PartitionFirmware.PagesPerBlock), "every page of memory went over");
            Assert.That(r.MemoryBytes, Is.EqualTo(r.MemoryPages * 4096L));
            Assert.That(r.MemoryMatches, Is.True, "the target's memory was the source's at the switch (device writes marked dirty)");
            Assert.That(r.WritesBefore, Is.GreaterThan(SanMigrationTrial.VolumeSectors), "the guest went round its disk before the move");
            Assert.That(r.Writes, Is.GreaterThan(r.WritesBefore), "and kept writing after it");
            Assert.That(r.TargetRequests, Is.GreaterThan(0UL), "from the target machine's initiator");
            Assert.That(r.Reads, Is.InRange(r.Writes - 1, r.Writes), "each write read back, the last one perhaps not yet");
            Assert.That(r.SourceRequests + r.TargetRequests, Is.EqualTo((ulong)r.Writes + r.Reads), "every request from one machine or the other, none lost");
            Assert.That(r.VolumeMatches, Is.True, "the LUN holds the last write to each sector");
            Assert.That(r.GuestContinued, Is.True, r.Console);
            Assert.That(r.Console, Does.Not.Contain("disk:"), "no I/O error, no mismatch on read-back");
        });
    }

    [Test]
    public void The_Hybrid_Fetches_Missing_Pages_For_The_Guest_And_Its_Disk_On_The_Target()
    {
        // A slow link: the pages dirtied in the one pre-copy round take several chunks to push, and the guest runs
        // between them (at 1 Gbit/s the few dirty pages are pushed before it runs at all).
        var slow = new MigrationLink(100);
        var r = SanMigrationTrial.Run(MigrationMode.Hybrid, slow);
        Assert.Multiple(() =>
        {
            Assert.That(r.DemandFetches, Is.GreaterThan(0), "the guest touched pages still on the source");
            Assert.That((r.VolumeMatches, r.GuestContinued, r.DiskSectorsCopied), Is.EqualTo((true, true, 0L)), r.Console);
            Assert.That(r.Console, Does.Not.Contain("disk:"), "every read-back matched: a page the disk filled was present first");
            Assert.That(r.DowntimeMilliseconds, Is.LessThan(SanMigrationTrial.Run(MigrationMode.StopAndCopy, slow).DowntimeMilliseconds), "only the state moved while it was stopped");
        });
    }

    [Test]
    public void A_Partition_With_A_Local_Disk_Is_Refused_Saying_Why_And_Nothing_Changes()
    {
        var group = GuestDisk.Group(disks: 1, extents: 8);
        var volume = group.CreateVolume("data", 8);
        var source = SanMigrationTrial.Machine(SanMigrationTrial.SourceMac);
        var target = SanMigrationTrial.Machine(SanMigrationTrial.TargetMac);
        var partition = source.Activate(new PartitionProfile { Name = "local", DesiredBlocks = 2, MaxBlocks = 2 }, SanMigrationTrial.Guest);
        source.Attach(partition, PartitionDisk.Local(volume.Attach("machine-a")));
        source.RunFor(partition, 1 * VirtualClock.CyclesPerMillisecond);
        Assert.That(partition.State, Is.EqualTo(PartitionState.Running), partition.Fault);
        var written = source.ReadLogicalWord(partition, SanMigrationTrial.Guest.Symbols["written"]);
        Assert.That(written, Is.GreaterThan(0u), "the guest wrote its local disk");

        var migration = new PartitionMigration(source, target, new MigrationOptions(MigrationMode.PreCopy, SanMigrationTrial.Link, StopRule.Xen));
        var error = Assert.Throws<PartitionError>(() => migration.Move(partition))!;
        Assert.That(error.Message, Is.EqualTo("migrate 'local': its disk is the volume 'data' attached to this machine (64 sectors that would have to move too); serve the volume from a SAN target both machines are zoned to instead; live partition mobility moves memory and processor state only"));
        Assert.Multiple(() =>
        {
            Assert.That(partition.State, Is.EqualTo(PartitionState.Running));
            Assert.That(target.Partitions, Is.Empty);
            Assert.That(target.FreeBlocks, Is.EqualTo(target.PartitionBlocks));
        });
        source.RunFor(partition, 1 * VirtualClock.CyclesPerMillisecond);
        Assert.That(source.ReadLogicalWord(partition, SanMigrationTrial.Guest.Symbols["written"]), Is.GreaterThan(written), "and it goes on where it is");
    }

    [Test]
    public void A_Machine_Outside_The_Zone_Cannot_Log_In_Nor_Read_A_Sector_Nor_Take_A_Partition()
    {
        var group = GuestDisk.Group(disks: 1, extents: 4);
        var lun = group.CreateVolume("lun0", 4);
        var secret = new byte[BlockDisk.SectorSize];
        secret.AsSpan().Fill(0x5A);
        Assert.That(lun.Write(0, secret), Is.EqualTo(BlockStatus.Ok));
        var target = new SanTarget(lun, SanMigrationTrial.StorageMac, new SanZone("only-a").Add(SanMigrationTrial.SourceMac));
        var a = SanMigrationTrial.Machine(SanMigrationTrial.SourceMac);
        var b = SanMigrationTrial.Machine(SanMigrationTrial.TargetMac);

        var login = Assert.Throws<StorageError>(() => PartitionDisk.OverSan(target, b))!;
        Assert.That(login.Message, Is.EqualTo("SAN login to target 020000000010: initiator 02000000000b is not in zone 'only-a' of LUN 'lun0' (members: 02000000000a); add it to the zone first"));

        // B's frames straight onto the wire: the target answers with an error and no data (LUN masking).
        var replies = new List<byte[]>();
        target.Replies = new Wire(replies);
        target.Transmit(BlockFrame.Build(SanMigrationTrial.StorageMac, SanMigrationTrial.TargetMac, BlockFrame.Read, BlockStatus.Ok, 7, 0, 1, []));
        Assert.That(replies, Has.Count.EqualTo(1));
        Assert.Multiple(() =>
        {
            Assert.That(BlockFrame.Status(replies[0]), Is.EqualTo(BlockStatus.IoError));
            Assert.That(replies[0], Has.Length.EqualTo(BlockFrame.HeaderLength), "no sector in it");
            Assert.That((target.Requests, target.Refused, target.SectorsServed), Is.EqualTo((0UL, 1UL, 0UL)));
        });

        // A partition on A with its disk on the LUN cannot move to B: B cannot reach the LUN.
        var partition = a.Activate(new PartitionProfile { Name = "p", DesiredBlocks = 2, MaxBlocks = 2 }, SanMigrationTrial.Guest);
        a.Attach(partition, PartitionDisk.OverSan(target, a));
        a.RunFor(partition, VirtualClock.CyclesPerMillisecond);
        var move = Assert.Throws<PartitionError>(() => new PartitionMigration(a, b, new MigrationOptions(MigrationMode.PreCopy, SanMigrationTrial.Link, StopRule.Xen)).Move(partition))!;
        Assert.That(move.Message, Does.StartWith("migrate 'p': its disk cannot reach its LUN from the target machine: initiator 02000000000b is not in zone 'only-a'"));
        Assert.That((partition.State, b.Partitions.Count), Is.EqualTo((PartitionState.Running, 0)));
    }

    [Test]
    public void One_Initiator_Holds_A_Lun_At_A_Time_And_Releasing_The_Partition_Frees_It()
    {
        var group = GuestDisk.Group(disks: 1, extents: 4);
        var target = new SanTarget(group.CreateVolume("lun0", 4), SanMigrationTrial.StorageMac);
        var a = SanMigrationTrial.Machine(SanMigrationTrial.SourceMac);
        var b = SanMigrationTrial.Machine(SanMigrationTrial.TargetMac);
        var partition = a.Activate(new PartitionProfile { Name = "p", DesiredBlocks = 2, MaxBlocks = 2 }, SanMigrationTrial.Guest);
        a.Attach(partition, PartitionDisk.OverSan(target, a));
        var second = Assert.Throws<StorageError>(() => PartitionDisk.OverSan(target, b))!;
        Assert.That(second.Message, Does.Contain("LUN 'lun0' is held by initiator 02000000000a; one initiator writes a volume at a time"));
        a.Release(partition);
        Assert.That(PartitionDisk.OverSan(target, b).Initiator!.Target.Initiator, Is.EqualTo(SanMigrationTrial.TargetMac));
    }

    private sealed class Wire(List<byte[]> frames) : INetworkLink
    {
        public void Transmit(ReadOnlySpan<byte> frame) => frames.Add(frame.ToArray());
    }
}
