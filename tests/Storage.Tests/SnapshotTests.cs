using VirtualizationWorkbench.Machine;
using VirtualizationWorkbench.Machine.Devices;

namespace VirtualizationWorkbench.Storage.Tests;

public sealed class SnapshotTests
{
    [Test]
    public void A_Snapshot_Keeps_The_Volume_As_It_Was_While_The_Guest_Rewrites_It()
    {
        var group = GuestDisk.Group(disks: 2, extents: 8);
        var origin = group.CreateVolume("data", 8);
        GuestDisk.Boot(origin.Attach("vm1")).Run();
        var snapshot = group.CreateSnapshot(origin, "before", 8);
        origin.Detach();

        Assert.That(GuestDisk.Boot(origin.Attach("vm1"), secondPass: true).Run(), Is.EqualTo(ExitReason.Halt));

        Assert.That(GuestDisk.Hash(snapshot, 0, 64), Is.EqualTo(GuestDisk.ExpectedHash(0, 64)), "the snapshot: the first pass");
        Assert.That(GuestDisk.Hash(origin, 0, 64), Is.EqualTo(GuestDisk.ExpectedHash(0, 64, secondPass: true)), "the origin: the second");
        Assert.That(snapshot.ChunksCopied, Is.EqualTo(8));
        Assert.That(snapshot.Write(0, new byte[BlockDisk.SectorSize]), Is.EqualTo(BlockStatus.ReadOnly));
    }

    [Test]
    public void The_First_Write_To_A_Chunk_After_A_Snapshot_Costs_Three_Disk_Requests_The_Next_One()
    {
        var group = GuestDisk.Group(disks: 1, extents: 8);
        var origin = group.CreateVolume("data", 4);
        group.CreateSnapshot(origin, "snap", 2);
        var disk = group.Disk("disk1").Disk;
        var sector = new byte[BlockDisk.SectorSize];

        var before = disk.Reads + disk.Writes;
        origin.Write(3, sector);
        var first = disk.Reads + disk.Writes - before;
        before = disk.Reads + disk.Writes;
        origin.Write(4, sector);                    // same chunk (extent 0)
        var second = disk.Reads + disk.Writes - before;

        Assert.That((first, second), Is.EqualTo((3UL, 1UL)), "read old, write it to the store, write new; then only the write");
    }

    [Test]
    public void A_Snapshot_Whose_Store_Fills_Is_Invalidated_And_The_Origin_Runs_On()
    {
        var group = GuestDisk.Group(disks: 1, extents: 12);
        var origin = group.CreateVolume("data", 8);
        var snapshot = group.CreateSnapshot(origin, "small", 2);
        var guest = GuestDisk.Boot(origin.Attach("vm1"));

        Assert.That(guest.Run(), Is.EqualTo(ExitReason.Halt));

        Assert.That(guest.Console, Is.EqualTo("disk: full\n"));
        Assert.That(snapshot.Invalid, Is.True, "a third chunk did not fit in a store of two");
        Assert.That(snapshot.Read(0, new byte[BlockDisk.SectorSize]), Is.EqualTo(BlockStatus.IoError));
        Assert.That(GuestDisk.Hash(origin, 0, 64), Is.EqualTo(GuestDisk.ExpectedHash(0, 64)));
    }
}
