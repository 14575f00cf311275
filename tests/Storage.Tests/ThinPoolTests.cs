using VirtualizationWorkbench.Machine;
using VirtualizationWorkbench.Machine.Devices;

namespace VirtualizationWorkbench.Storage.Tests;

public sealed class ThinPoolTests
{
    [Test]
    public void Blocks_Are_Taken_From_The_Pool_Only_On_First_Write()
    {
        var group = GuestDisk.Group(disks: 2, extents: 8);
        var pool = group.CreateThinPool("pool", 4);
        var a = pool.CreateVolume("a", 100);
        pool.CreateVolume("b", 100);
        Assert.That(pool.AllocatedBlocks, Is.Zero);
        Assert.That(pool.OverCommit, Is.EqualTo(50.0), "200 blocks promised from 4");

        var sector = new byte[BlockDisk.SectorSize];
        Assert.That(a.Read(80, sector), Is.EqualTo(BlockStatus.Ok));
        Assert.That(pool.AllocatedBlocks, Is.Zero, "reading takes nothing");
        sector[0] = 7;
        a.Write(80, sector);   // block 10
        a.Write(81, sector);   // block 10 again
        a.Write(8, sector);    // block 1
        Assert.That(pool.AllocatedBlocks, Is.EqualTo(2));
        Assert.That(a.PoolBlockOf(10), Is.EqualTo(0u));
        Assert.That(a.PoolBlockOf(1), Is.EqualTo(1u));
        Assert.That(a.PoolBlockOf(2), Is.Null);
        Assert.That(pool.DataPercent, Is.EqualTo(50.0));
        Array.Clear(sector);
        a.Read(82, sector);
        Assert.That(sector, Is.All.EqualTo(0), "the rest of a new block reads as zeros");
    }

    [Test]
    public void A_Full_Pool_In_Error_Mode_Is_An_Io_Error_The_Guest_Sees_And_Every_Acknowledged_Write_Is_Kept()
    {
        var group = GuestDisk.Group(disks: 1, extents: 8);
        var pool = group.CreateThinPool("pool", 3, PoolFullPolicy.Error);
        var volume = pool.CreateVolume("thin", 10);     // promises 80 sectors, the pool holds 24
        var guest = GuestDisk.Boot(volume.Attach("vm1"));

        Assert.That(guest.Run(), Is.EqualTo(ExitReason.Halt));

        Assert.That(guest.Console, Is.EqualTo("disk: I/O error\n"));
        Assert.That(guest.LastStatus, Is.EqualTo(BlockDisk.StatusIoError));
        Assert.That(guest.SectorsWritten, Is.EqualTo(24), "the write of sector 24 needed a fourth block");
        Assert.That(GuestDisk.Hash(volume, 0, 24), Is.EqualTo(GuestDisk.ExpectedHash(0, 24)), "all 24 acknowledged sectors intact");
        Assert.That(GuestDisk.Hash(volume, 24, 56), Is.EqualTo(GuestDisk.Hash(new StreamBlockStore(new MemoryStream(new byte[56 * 512])), 0, 56)), "nothing half-written past them");
        Assert.That(pool.Events, Has.Some.Contains("out-of-data-space"));
    }

    [Test]
    public void A_Full_Pool_Queues_The_Write_And_Growing_It_Online_Lets_The_Guest_Continue()
    {
        var group = GuestDisk.Group(disks: 2, extents: 8);
        var pool = group.CreateThinPool("pool", 3);
        var volume = pool.CreateVolume("thin", 10);
        var guest = GuestDisk.Boot(volume.Attach("vm1"));
        pool.UseClock(() => guest.Cycles);

        Assert.That(guest.Run(2_000_000), Is.EqualTo(ExitReason.BudgetSpent), "the guest waits on its queued write");
        Assert.That(guest.SectorsWritten, Is.EqualTo(24));
        Assert.That(guest.Computer.Cores[0].State.R[10], Is.EqualTo(BlockDisk.StatusBusy));
        Assert.That(pool.OutOfDataSpace, Is.True);

        pool.Extend(7);                                  // the administrator adds space: 10 blocks now
        Assert.That(guest.Run(), Is.EqualTo(ExitReason.Halt));

        Assert.That(guest.Console, Is.EqualTo("disk: full\n"));
        Assert.That(guest.SectorsWritten, Is.EqualTo(80));
        Assert.That(GuestDisk.Hash(volume, 0, 80), Is.EqualTo(GuestDisk.ExpectedHash(0, 80)));
        Assert.That(pool.DataPercent, Is.EqualTo(100.0));
    }

    [Test]
    public void A_Queued_Write_Fails_With_An_Io_Error_When_The_No_Space_Timeout_Passes_In_Virtual_Time()
    {
        var group = GuestDisk.Group(disks: 1, extents: 8);
        var pool = group.CreateThinPool("pool", 2);
        pool.NoSpaceTimeout = 200_000;                   // 2 ms of virtual time, not dm-thin's 60 s
        var volume = pool.CreateVolume("thin", 4);
        var guest = GuestDisk.Boot(volume.Attach("vm1"));
        pool.UseClock(() => guest.Cycles);
        ulong queuedAt = 0;
        while (guest.SectorsWritten < 16 || guest.Computer.Cores[0].State.R[10] != BlockDisk.StatusBusy)
        {
            guest.Run(1);
            queuedAt = guest.Cycles;
        }

        Assert.That(guest.Run(), Is.EqualTo(ExitReason.Halt));

        Assert.That(guest.LastStatus, Is.EqualTo(BlockDisk.StatusIoError));
        Assert.That(guest.Cycles - queuedAt, Is.GreaterThanOrEqualTo(200_000), "the write waited out the timeout");
        Assert.That(pool.ErroringIo, Is.True);
        Assert.That(GuestDisk.Hash(volume, 0, 16), Is.EqualTo(GuestDisk.ExpectedHash(0, 16)));
    }

    [Test]
    public void Utilisation_And_Over_Commit_Are_Reported_After_A_Seeded_Sparse_Workload()
    {
        var group = GuestDisk.Group(disks: 1, extents: 64);
        var pool = group.CreateThinPool("pool", 64);
        var volumes = Enumerable.Range(0, 4).Select(i => pool.CreateVolume($"vm{i}", 64)).ToList();
        var random = new Random(9);
        var sector = new byte[BlockDisk.SectorSize];
        var touched = new HashSet<(int, uint)>();
        for (var i = 0; i < 40; i++)
        {
            var v = random.Next(4);
            var s = (uint)random.Next(64 * 8);
            volumes[v].Write(s, sector);
            touched.Add((v, s / 8));
        }
        Assert.That(pool.AllocatedBlocks, Is.EqualTo(touched.Count));
        Assert.That(pool.ProvisionedBlocks, Is.EqualTo(256));
        Assert.That(pool.OverCommit, Is.EqualTo(4.0));
    }
}
