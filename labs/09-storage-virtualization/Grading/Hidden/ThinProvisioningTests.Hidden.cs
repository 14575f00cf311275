using NUnit.Framework;
using VirtualizationWorkbench.Grading;
using VirtualizationWorkbench.Machine.Devices;

namespace VirtualizationWorkbench.Labs.ThinProvisioning.Grading;

/// <summary>The hidden checks of <see cref="ThinProvisioningTests"/>: a guest writing through your volume. Graded, never
/// shown in detail, and kept out of the student kit and the installed tool (Grading/Hidden/ is the instructor's).</summary>
public sealed partial class ThinProvisioningTests
{
    [Test]
    [Property("Points", 3)]
    [Property("Hint", "The guest writes sector after sector; with error_if_no_space it must see status 4 exactly when the pool has no block left, and keep everything it wrote before.")]
    [Property("Visibility", "hidden")]
    public void A_Guest_Filling_The_Volume_Sees_An_Io_Error_When_The_Pool_Is_Full_And_Loses_Nothing()
    {
        var blocks = (uint)Inputs.Next(2, 10);
        var (pool, _) = Pool(blocks, PoolFullPolicy.Error);
        var volume = new ThinVolume(pool, blocks + (uint)Inputs.Next(1, 8));
        var guest = new GuestRun(volume);
        Observe.That(guest.Run(), Is.True, "the guest halts");
        Observe.That(guest.Console, Is.EqualTo("disk: I/O error\n"));
        Observe.That((guest.SectorsWritten, guest.LastStatus), Is.EqualTo((blocks * BlockSectors, 4u)));
        Observe.That(GuestRun.Hash(volume, blocks * BlockSectors), Is.EqualTo(GuestRun.ExpectedHash(blocks * BlockSectors)));
    }

    [Test]
    [Property("Points", 2)]
    [Property("Hint", "With queue_if_no_space the guest polls a busy disk; growing the pool's store must let its write through.")]
    [Property("Visibility", "hidden")]
    public void A_Guest_Waits_On_A_Full_Pool_And_Continues_When_It_Grows()
    {
        var first = (uint)Inputs.Next(1, 5);
        var size = first + (uint)Inputs.Next(1, 6);
        var data = new MemoryStream();
        data.SetLength(first * BlockSectors * BlockDisk.SectorSize);
        GuestRun? guest = null;
        var pool = new ThinPool(new StreamBlockStore(data), BlockSectors, PoolFullPolicy.Queue, 6_000_000_000, () => guest!.Cycles);
        var volume = new ThinVolume(pool, size);
        guest = new GuestRun(volume);
        Observe.That(guest.Run(2_000_000), Is.False, "the guest waits");
        Observe.That((guest.SectorsWritten, guest.LastStatus), Is.EqualTo((first * BlockSectors, 5u)));
        data.SetLength(size * BlockSectors * BlockDisk.SectorSize);
        Observe.That(guest.Run(), Is.True);
        Observe.That(guest.Console, Is.EqualTo("disk: full\n"));
        Observe.That(GuestRun.Hash(volume, size * BlockSectors), Is.EqualTo(GuestRun.ExpectedHash(size * BlockSectors)));
    }
}
