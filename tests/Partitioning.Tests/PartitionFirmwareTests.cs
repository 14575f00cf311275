using VirtualizationWorkbench.Machine;
using VirtualizationWorkbench.Machine.Assembler;

namespace VirtualizationWorkbench.Partitioning.Tests;

public sealed class PartitionFirmwareTests
{
    internal static PartitionFirmware Machine(int megabytes = 2, int cores = 4) =>
        new(new MachineConfiguration { MemorySize = (uint)megabytes * 1024 * 1024, Cores = cores });

    internal static PartitionProfile Profile(string name, int blocks = 4, int cores = 1, int? first = null) =>
        new() { Name = name, MinBlocks = 1, DesiredBlocks = blocks, MaxBlocks = 48, MinCores = 1, DesiredCores = cores, MaxCores = 4, FirstBlock = first };

    [Test]
    public void Two_Partitions_Run_Their_Own_Guests_With_Their_Own_Consoles()
    {
        var firmware = Machine();
        var a = firmware.Activate(Profile("a"), PartitionGuests.Lpar);
        var b = firmware.Activate(Profile("b", 6), PartitionGuests.Lpar);
        PartitionGuests.SetWorkload(firmware, a, GuestWorkload.Moderate with { PrintEvery = 20 });
        PartitionGuests.SetWorkload(firmware, b, GuestWorkload.Moderate with { PrintEvery = 10 });
        firmware.Run(300_000);
        Assert.Multiple(() =>
        {
            Assert.That(a.State, Is.EqualTo(PartitionState.Running), a.Fault);
            Assert.That(b.State, Is.EqualTo(PartitionState.Running), b.Fault);
            Assert.That(a.Console, Does.StartWith("tick 0\ntick 1\n"));
            Assert.That(b.Console.Length, Is.GreaterThan(a.Console.Length), "b prints twice as often");
            Assert.That(a.Blocks, Is.EqualTo(new[] { 1, 2, 3, 4 }));
            Assert.That(b.Blocks, Is.EqualTo(new[] { 5, 6, 7, 8, 9, 10 }));
        });
    }

    [Test]
    public void A_Guest_Reaching_Outside_Its_Partition_Faults_And_Nothing_Outside_Changes()
    {
        var firmware = Machine();
        var a = firmware.Activate(Profile("a"), PartitionGuests.Lpar);
        firmware.Run(50_000);
        firmware.Suspend(a);
        // r2 is the partition's memory size: the first address past its end; then an address in a's memory.
        var reach = Assembler.AssembleText(".org 0x1000\nli r4, 0x12345678\nst [r2], r4\nhlt\n");
        var b = firmware.Activate(Profile("b", 2), reach);
        var before = firmware.HashOutside(b);
        firmware.Run(1000);
        Assert.Multiple(() =>
        {
            Assert.That(b.State, Is.EqualTo(PartitionState.Faulted));
            Assert.That(b.Fault, Does.Contain("reached logical address 0x00020000 (write)").And.Contain("outside its 128 KiB"));
            Assert.That(firmware.HashOutside(b), Is.EqualTo(before));
        });
    }
}
