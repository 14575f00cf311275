using VirtualizationWorkbench.Machine;

namespace VirtualizationWorkbench.Storage.Tests;

public sealed class MirrorTests
{
    [Test]
    public void A_Disk_Failing_In_The_Middle_Of_A_Guest_Write_Loses_No_Data_And_A_Replacement_Resyncs_In_The_Background()
    {
        var group = GuestDisk.Group(disks: 3, extents: 8);
        var mirror = group.CreateMirror("m", 8);
        var guest = GuestDisk.Boot(mirror.Attach("vm1"));
        // disk1 holds leg 0; it dies after 20 more sectors: the guest's 21st write (sector 20, region 2) kills it.
        group.Disk("disk1").Disk.FailAfterWrites(20);

        Assert.That(guest.Run(), Is.EqualTo(ExitReason.Halt));

        Assert.That(guest.Console, Is.EqualTo("disk: full\n"), "the guest never saw the failure");
        Assert.That(mirror.Legs[0].State, Is.EqualTo(MirrorLegState.Failed));
        Assert.That(GuestDisk.Hash(mirror, 0, 64), Is.EqualTo(GuestDisk.ExpectedHash(0, 64)), "no data lost");
        Assert.That(mirror.DirtyRegions, Is.EqualTo(6), "regions 2-7: the bitmap marks the regions written while degraded");

        // A new disk replaces the dead one; it is copied region by region while the guest writes everything again.
        mirror.Replace(0, "disk3");
        var second = GuestDisk.Boot(ReattachTo(mirror, "vm1"), secondPass: true);
        while (second.Run(4_000) != ExitReason.Halt)
        {
            mirror.ResyncStep();
        }
        mirror.Resync();

        Assert.That(mirror.Legs.Select(l => l.State), Is.All.EqualTo(MirrorLegState.InSync));
        Assert.That(mirror.Legs[0].Disk.Name, Is.EqualTo("disk3"));
        var expected = GuestDisk.ExpectedHash(0, 64, secondPass: true);
        Assert.That(GuestDisk.Hash(mirror.Legs[0].Volume, 0, 64), Is.EqualTo(expected), "the new copy");
        Assert.That(GuestDisk.Hash(mirror.Legs[1].Volume, 0, 64), Is.EqualTo(expected), "the survivor");
        Assert.That(mirror.RegionsCopied, Is.EqualTo(8));
        Assert.That(group.FreeOn(group.Disk("disk1")), Is.EqualTo(8), "the dead leg's extents were given up");
        Assert.DoesNotThrow(() => group.Remove("disk1"));
    }

    [Test]
    public void A_Disk_That_Comes_Back_Copies_Only_The_Regions_Its_Bitmap_Marks()
    {
        var group = GuestDisk.Group(disks: 2, extents: 8);
        var mirror = group.CreateMirror("m", 8);
        var guest = GuestDisk.Boot(mirror.Attach("vm1"));
        guest.Run();
        var disk2 = group.Disk("disk2").Disk;
        disk2.Fail();
        mirror.Detach();
        var again = GuestDisk.Boot(mirror.Attach("vm1"), secondPass: true, firstSector: 40);   // rewrites regions 5-7
        Assert.That(again.Run(), Is.EqualTo(ExitReason.Halt));
        Assert.That(mirror.DirtyRegions, Is.EqualTo(3));

        disk2.Recover();
        mirror.Repair(1);
        mirror.Resync();

        Assert.That(mirror.RegionsCopied, Is.EqualTo(3), "three regions, not eight");
        using var both = Assert.EnterMultipleScope();
        Assert.That(GuestDisk.Hash(mirror.Legs[1].Volume, 0, 40), Is.EqualTo(GuestDisk.ExpectedHash(0, 40)));
        Assert.That(GuestDisk.Hash(mirror.Legs[1].Volume, 40, 24), Is.EqualTo(GuestDisk.ExpectedHash(40, 24, secondPass: true)));
    }

    [Test]
    public void A_Disk_Dying_Part_Way_Through_One_Multi_Sector_Write_Loses_None_Of_It()
    {
        var group = GuestDisk.Group(disks: 2, extents: 4);
        var mirror = group.CreateMirror("m", 4);
        var data = new byte[16 * 512];
        for (var i = 0; i < data.Length; i++) data[i] = (byte)(i * 13 + 1);
        group.Disk("disk1").Disk.FailAfterWrites(5);   // five of the sixteen sectors land on leg 0, then it dies

        Assert.That(mirror.Write(4, data), Is.EqualTo(Machine.Devices.BlockStatus.Ok), "the write is acknowledged: leg 1 has all of it");

        var back = new byte[data.Length];
        Assert.That(mirror.Read(4, back), Is.EqualTo(Machine.Devices.BlockStatus.Ok));
        Assert.That(Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(back)), Is.EqualTo(Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(data))));
        Assert.That(mirror.Legs[0].State, Is.EqualTo(MirrorLegState.Failed));
        Assert.That(mirror.DirtyRegions, Is.EqualTo(3), "sectors 4-19 touch regions 0, 1 and 2");
    }

    [Test]
    public void Losing_Every_Copy_Is_An_Io_Error_Not_Silent_Loss()
    {
        var group = GuestDisk.Group(disks: 2, extents: 8);
        var mirror = group.CreateMirror("m", 8);
        group.Disk("disk1").Disk.FailAfterWrites(10);
        group.Disk("disk2").Disk.FailAfterWrites(20);
        var guest = GuestDisk.Boot(mirror.Attach("vm1"));
        Assert.That(guest.Run(), Is.EqualTo(ExitReason.Halt));
        Assert.That(guest.Console, Is.EqualTo("disk: I/O error\n"));
        Assert.That(guest.SectorsWritten, Is.EqualTo(20));
    }

    private static VirtualizationWorkbench.Storage.VolumeAttachment ReattachTo(Volume volume, string machine)
    {
        volume.Detach();
        return volume.Attach(machine);
    }
}
