using VirtualizationWorkbench.Machine.Assembler;

namespace VirtualizationWorkbench.Partitioning.Tests;

public sealed class DynamicReallocationTests
{
    private static (PartitionFirmware Firmware, DynamicReallocation Dlpar, LogicalPartition A, LogicalPartition B) TwoRunning()
    {
        var firmware = PartitionFirmwareTests.Machine(2, 4);
        var a = firmware.Activate(PartitionFirmwareTests.Profile("a", 8, 2), PartitionGuests.Lpar);
        var b = firmware.Activate(PartitionFirmwareTests.Profile("b", 4), PartitionGuests.Lpar);
        // a sweeps all its memory (cold writes every other write) so a block it kept using would fault.
        PartitionGuests.SetWorkload(firmware, a, new GuestWorkload("sweep", 64, 5, 2, 50));
        PartitionGuests.SetWorkload(firmware, b, new GuestWorkload("hot", 16, 5, 0, 50));
        firmware.Run(100_000);
        return (firmware, new DynamicReallocation(firmware), a, b);
    }

    [Test]
    public void Memory_Leaves_A_Running_Partition_Only_After_Its_Guest_Released_It()
    {
        var (firmware, dlpar, a, _) = TwoRunning();
        var taken = a.Blocks[^1];
        dlpar.RemoveMemory(a, 2);
        firmware.Run(300_000);
        Assert.Multiple(() =>
        {
            Assert.That(a.State, Is.EqualTo(PartitionState.Running), a.Fault);
            Assert.That(a.MemorySize, Is.EqualTo(6 * PartitionFirmware.BlockSize));
            Assert.That(firmware.ReadLogicalWord(a, a.Program!.Symbols["limit"]), Is.EqualTo(6 * PartitionFirmware.BlockSize), "the guest's own limit");
            Assert.That(a.Table.Mappings().Select(m => (int)(m.Frame / PartitionFirmware.BlockSize)), Does.Not.Contain(taken).And.Not.Contain(taken - 1));
            Assert.That(firmware.OwnerOfBlock(taken), Is.Null, "back in the free pool");
        });
    }

    [Test]
    public void A_Guest_That_Never_Answers_Keeps_Its_Memory_And_The_Request_Fails()
    {
        var firmware = PartitionFirmwareTests.Machine();
        var deaf = firmware.Activate(PartitionFirmwareTests.Profile("deaf"), Assembler.AssembleText(".org 0x1000\nloop: jmp loop\n"));
        var hash = firmware.HashOf(deaf);
        var error = Assert.Throws<PartitionError>(() => new DynamicReallocation(firmware).RemoveMemory(deaf, 1));
        Assert.Multiple(() =>
        {
            Assert.That(error!.Message, Does.Contain("the guest did not release 1 block(s) above 0x30000").And.Contain("nothing was taken"));
            Assert.That(deaf.Blocks, Has.Count.EqualTo(4));
            Assert.That(deaf.Table.Mappings().Count(), Is.EqualTo(64));
            Assert.That(firmware.HashOf(deaf), Is.EqualTo(hash));
        });
    }

    [Test]
    public void A_Core_Moves_From_One_Running_Partition_To_Another()
    {
        var (firmware, dlpar, a, b) = TwoRunning();
        dlpar.RemoveCore(a);
        dlpar.AddCore(b);
        dlpar.AddMemory(b, 1);
        firmware.Run(200_000);
        Assert.Multiple(() =>
        {
            Assert.That((a.Cores.Count, b.Cores.Count), Is.EqualTo((1, 2)));
            Assert.That(b.Cores[1].Core.Index, Is.EqualTo(1), "a's second core, now b's");
            Assert.That(firmware.ReadLogicalWord(b, b.Program!.Symbols["secondary_count"]), Is.GreaterThan(0u), "b's new core runs its secondary loop");
            Assert.That(firmware.ReadLogicalWord(b, b.Program.Symbols["limit"]), Is.EqualTo(5 * PartitionFirmware.BlockSize), "b was told of its new block");
            Assert.That((a.State, b.State), Is.EqualTo((PartitionState.Running, PartitionState.Running)));
        });
    }

    [Test]
    public void Changes_Outside_The_Profile_Or_The_Free_Pool_Are_Refused()
    {
        var (_, dlpar, a, b) = TwoRunning();
        Assert.Multiple(() =>
        {
            Assert.That(Assert.Throws<PartitionError>(() => dlpar.RemoveMemory(b, 4))!.Message, Is.EqualTo("remove memory from 'b': 4 - 4 blocks is under its profile's minimum of 1"));
            Assert.That(Assert.Throws<PartitionError>(() => dlpar.AddMemory(a, 41))!.Message, Is.EqualTo("add memory to 'a': 8 + 41 blocks is over its profile's maximum of 48"));
            Assert.That(Assert.Throws<PartitionError>(() => dlpar.AddMemory(a, 20))!.Message, Is.EqualTo("add memory to 'a': 20 blocks wanted, 19 free"));
            Assert.That(Assert.Throws<PartitionError>(() => dlpar.RemoveCore(b))!.Message, Is.EqualTo("remove a core from 'b': it has 1, its profile's minimum is 1"));
            Assert.That((a.Blocks.Count, b.Blocks.Count, a.Cores.Count), Is.EqualTo((8, 4, 2)), "no partition harmed");
        });
    }
}
