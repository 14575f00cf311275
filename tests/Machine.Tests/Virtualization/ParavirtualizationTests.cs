using VirtualizationWorkbench.Machine.Costs;
using VirtualizationWorkbench.Machine.Virtualization;
using VirtualizationWorkbench.Machine.Virtualization.Paravirtualization;

namespace VirtualizationWorkbench.Machine.Tests.Virtualization;

public class ParavirtualizationTests
{
    [Test]
    public void The_Paravirtualized_Kernel_Runs_Equivalently()
    {
        var monitor = new ParavirtualHypervisor(CostTable.Default);
        var result = MonitorTestKit.Run(monitor, MonitorTestKit.Minikernel("PARAVIRT"));
        Assert.That(result.Outcome, Is.EqualTo(MonitorOutcome.Halted), result.Message + "\n" + monitor.ConsoleOutput);
        Assert.That(MonitorTestKit.ByTask(monitor.ConsoleOutput), Is.EqualTo(MonitorTestKit.ByTask(MonitorTestKit.NativeOutput())));
        Assert.Multiple(() =>
        {
            Assert.That(monitor.Statistics.PageTableUpdates, Is.EqualTo(1025), "1024 table entries and one directory entry");
            Assert.That(monitor.Statistics.Hypercalls, Is.GreaterThan(17 + 100), "17 batches of 64 updates, pins, and the console");
            Assert.That(monitor.Statistics.EmulatedInstructions, Is.Zero, "nothing is emulated: the kernel asks");
            Assert.That(monitor.Statistics.Refusals, Is.Zero);
            Assert.That(monitor.PinnedTables, Has.Count.EqualTo(2));
        });
    }

    [Test]
    public void The_Unmodified_Kernel_Fails_At_Its_First_Privileged_Instruction()
    {
        var monitor = new ParavirtualHypervisor(CostTable.Default);
        var result = MonitorTestKit.Run(monitor, MonitorTestKit.Minikernel());
        Assert.That(result.Outcome, Is.EqualTo(MonitorOutcome.GuestFailed));
        Assert.That(result.Message, Does.Contain("emulates no privileged instructions").And.Contain("'out 0x3f8, r1'").And.Contain("-D PARAVIRT"));
    }

    [Test]
    public void A_Kernel_In_Ring_3_Runs_Equivalently_Behind_Separate_Address_Spaces()
    {
        var ring1 = new ParavirtualHypervisor(CostTable.Default);
        MonitorTestKit.Run(ring1, MonitorTestKit.Minikernel("PARAVIRT"));
        var ring3 = new ParavirtualHypervisor(CostTable.Default, kernelRing: 3);
        var result = MonitorTestKit.Run(ring3, MonitorTestKit.Minikernel("PARAVIRT"));
        Assert.That(result.Outcome, Is.EqualTo(MonitorOutcome.Halted), result.Message + "\n" + ring3.ConsoleOutput);
        Assert.That(MonitorTestKit.ByTask(ring3.ConsoleOutput), Is.EqualTo(MonitorTestKit.ByTask(MonitorTestKit.NativeOutput())));
        Assert.That(ring3.Core.Counters.Cycles, Is.GreaterThan(ring1.Core.Counters.Cycles), "every kernel entry and exit switches address spaces");
    }

    [TestCase(1)]
    [TestCase(3)]
    public void User_Programs_Cannot_Read_The_Kernel(int kernelRing)
    {
        var monitor = new ParavirtualHypervisor(CostTable.Default, kernelRing);
        var result = MonitorTestKit.Run(monitor, MonitorTestKit.Minikernel("PARAVIRT", "SNOOPING_TASK"));
        Assert.That(result.Outcome, Is.EqualTo(MonitorOutcome.Halted), result.Message);
        Assert.That(monitor.ConsoleOutput, Does.Contain("task 2 killed by exception 14"), "the read of kernel memory faulted");
        Assert.That(monitor.ConsoleOutput, Does.Contain("task 1 exited with code 41"));
    }
}
