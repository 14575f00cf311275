using VirtualizationWorkbench.Machine;
using VirtualizationWorkbench.Storage.San;

namespace VirtualizationWorkbench.Storage.Tests;

public sealed class SanTests
{
    [Test]
    public void A_Guest_Fills_A_Volume_That_Lives_On_Another_Machine_Over_The_Network()
    {
        var group = GuestDisk.Group(disks: 2, extents: 4);
        var lun = group.CreateVolume("lun0", 6);
        var target = new SanTarget(lun, mac: 0x02_00_00_00_00_10);
        var initiator = new SanInitiator(target, mac: 0x02_00_00_00_00_20);
        var guest = GuestDisk.Boot(initiator);

        Assert.That(guest.Run(), Is.EqualTo(ExitReason.Halt));

        Assert.That(guest.Console, Is.EqualTo("disk: full\n"));
        Assert.That(guest.SectorsWritten, Is.EqualTo(48));
        Assert.That(GuestDisk.Hash(lun, 0, 48), Is.EqualTo(GuestDisk.ExpectedHash(0, 48)), "the storage machine's volume holds it");
        Assert.That(target.Requests, Is.EqualTo(48));
        Assert.That(GuestDisk.Hash(initiator, 0, 48), Is.EqualTo(GuestDisk.ExpectedHash(0, 48)), "and reads come back over the wire");
        Assert.That(initiator.Frames, Is.EqualTo(2 * 48 + 2 * 48), "a request and a reply for each one-sector write, then for each one-sector read");
        var error = Assert.Throws<StorageError>(() => lun.Attach("vm-local"))!;
        Assert.That(error.Message, Does.Contain("SAN target"));
    }

    [Test]
    public void An_Io_Error_On_The_Storage_Machine_Reaches_The_Guest_Through_The_Network()
    {
        var group = GuestDisk.Group(disks: 1, extents: 8);
        var pool = group.CreateThinPool("pool", 2, PoolFullPolicy.Error);
        var target = new SanTarget(pool.CreateVolume("thin", 8), 0x10);
        var guest = GuestDisk.Boot(new SanInitiator(target, 0x20));
        Assert.That(guest.Run(), Is.EqualTo(ExitReason.Halt));
        Assert.That(guest.Console, Is.EqualTo("disk: I/O error\n"));
        Assert.That(guest.SectorsWritten, Is.EqualTo(16));
    }

    [Test]
    public void Malformed_Frames_Are_Dropped_Not_Served()
    {
        var group = GuestDisk.Group(disks: 1, extents: 4);
        var target = new SanTarget(group.CreateVolume("lun", 4), 0x10);
        target.Transmit(new byte[10]);
        target.Transmit(BlockFrame.Build(0x10, 0x20, BlockFrame.Write, Machine.Devices.BlockStatus.Ok, 1, 0, 2, new byte[100]));   // says 2 sectors, carries 100 bytes
        Assert.That((target.Requests, target.Dropped), Is.EqualTo((0UL, 2UL)));
    }
}
