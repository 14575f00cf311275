using VirtualizationWorkbench.Machine;
using VirtualizationWorkbench.Machine.Devices;

namespace VirtualizationWorkbench.Storage.Tests;

public sealed class VolumeGroupTests
{
    [Test]
    public void A_Guest_Fills_A_Volume_Spread_Over_Two_Disks_As_If_It_Were_One_Disk()
    {
        var group = GuestDisk.Group(disks: 2, extents: 6);
        group.CreateVolume("filler", 4);            // takes disk1's first four extents
        var volume = group.CreateVolume("data", 6); // two extents left on disk1, then four on disk2
        Assert.That(volume.Map.Runs(), Is.EqualTo(new[] { "LE 0-1 -> disk1 PE 4-5", "LE 2-5 -> disk2 PE 0-3" }));

        var guest = GuestDisk.Boot(volume.Attach("vm1"));
        Assert.That(guest.Run(), Is.EqualTo(ExitReason.Halt));

        Assert.That(guest.Console, Is.EqualTo("disk: full\n"));
        Assert.That(guest.SectorsWritten, Is.EqualTo(48), "the guest found 6 extents x 8 sectors in the capacity register");
        Assert.That(GuestDisk.Hash(volume, 0, 48), Is.EqualTo(GuestDisk.ExpectedHash(0, 48)));
        Assert.That(group.Disk("disk1").Disk.SectorsWritten, Is.EqualTo(1 + 16), "label, then logical extents 0-1");
        Assert.That(group.Disk("disk2").Disk.SectorsWritten, Is.EqualTo(1 + 32), "label, then logical extents 2-5");
    }

    [Test]
    public void A_Volume_Grown_While_The_Guest_Writes_Is_Filled_To_Its_New_End()
    {
        var group = GuestDisk.Group(disks: 2, extents: 4);
        var volume = group.CreateVolume("data", 2);
        var guest = GuestDisk.Boot(volume.Attach("vm1"));
        guest.Run(5_000);                               // part-way through the first 16 sectors
        Assert.That(guest.SectorsWritten, Is.InRange(1u, 15u));

        group.Extend(volume, 5);                        // online: onto the second disk
        Assert.That(guest.Run(), Is.EqualTo(ExitReason.Halt));

        Assert.That(guest.SectorsWritten, Is.EqualTo(56), "7 extents x 8 sectors: the guest saw the new capacity");
        Assert.That(GuestDisk.Hash(volume, 0, 56), Is.EqualTo(GuestDisk.ExpectedHash(0, 56)));
        Assert.That(volume.Map.Runs(), Is.EqualTo(new[] { "LE 0-3 -> disk1 PE 0-3", "LE 4-6 -> disk2 PE 0-2" }));
    }

    [Test]
    public void A_Volume_Moves_To_Another_Disk_While_The_Guest_Writes_And_Loses_Nothing()
    {
        var group = GuestDisk.Group(disks: 2, extents: 8);
        var volume = group.CreateVolume("data", 8);
        var guest = GuestDisk.Boot(volume.Attach("vm1"));
        var move = group.Move(volume, "disk1", "disk2");
        // One extent moves between two slices of the guest's run: it writes before, during and after each move.
        while (guest.Run(3_000) != ExitReason.Halt)
        {
            move.Step();
        }
        move.Finish();

        Assert.That(move.Moved, Is.EqualTo(8));
        Assert.That(volume.Map.Runs(), Is.EqualTo(new[] { "LE 0-7 -> disk2 PE 0-7" }));
        Assert.That(GuestDisk.Hash(volume, 0, 64), Is.EqualTo(GuestDisk.ExpectedHash(0, 64)));
        Assert.DoesNotThrow(() => group.Remove("disk1"), "nothing lives on disk1 now");
    }

    [Test]
    public void A_Thick_Volume_Larger_Than_The_Free_Space_Is_Refused_And_Nothing_Is_Taken()
    {
        var group = GuestDisk.Group(disks: 2, extents: 4);
        var error = Assert.Throws<StorageError>(() => group.CreateVolume("big", 9))!;
        Assert.That(error.Message, Does.Contain("'big' needs 9 extents").And.Contain("has 8 free of 8").And.Contain("thin"));
        Assert.That(group.FreeExtents, Is.EqualTo(8));
        Assert.That(group.Volumes, Is.Empty);
    }

    [Test]
    public void Removing_A_Disk_A_Volume_Still_Needs_Is_Refused_With_The_Volume_Named()
    {
        var group = GuestDisk.Group(disks: 2, extents: 4);
        var volume = group.CreateVolume("data", 6);
        var guest = GuestDisk.Boot(volume.Attach("vm1"));
        guest.Run();
        var error = Assert.Throws<StorageError>(() => group.Remove("disk2"))!;
        Assert.That(error.Message, Does.Contain("data (2 extents)").And.Contain("move"));
        Assert.That(group.Disks, Has.Count.EqualTo(2));
        Assert.That(GuestDisk.Hash(volume, 0, 48), Is.EqualTo(GuestDisk.ExpectedHash(0, 48)));
    }

    [Test]
    public void A_Second_Machine_Cannot_Attach_A_Volume_Another_Machine_Writes()
    {
        var group = GuestDisk.Group(disks: 1, extents: 4);
        var volume = group.CreateVolume("data", 4);
        var first = volume.Attach("vm1");
        var error = Assert.Throws<StorageError>(() => volume.Attach("vm2"))!;
        Assert.That(error.Message, Does.Contain("already attached to machine 'vm1'").And.Contain("detach"));

        volume.Detach();
        var second = volume.Attach("vm2");
        Assert.That(first.Write(0, new byte[BlockDisk.SectorSize]), Is.EqualTo(BlockStatus.IoError), "the detached machine's disk is gone");
        Assert.That(second.Write(0, new byte[BlockDisk.SectorSize]), Is.EqualTo(BlockStatus.Ok));
    }
}
