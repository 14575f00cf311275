using VirtualizationWorkbench.Machine.Costs;
using VirtualizationWorkbench.Machine.Virtualization;
using VirtualizationWorkbench.Machine.Virtualization.FullVirtualization;

namespace VirtualizationWorkbench.Machine.Tests.Virtualization;

public class TrapAndEmulateTests
{
    [Test]
    public void The_Unmodified_Kernel_Fails_Visibly_Because_Of_Sensitive_Instructions()
    {
        var monitor = new TrapAndEmulateMonitor(CostTable.Default);
        var result = MonitorTestKit.Run(monitor, MonitorTestKit.Minikernel(), budget: 3_000_000);
        Assert.Multiple(() =>
        {
            Assert.That(monitor.ConsoleOutput, Does.StartWith("minikernel: booting in ring 1\n"), "getcpl told the deprivileged kernel the truth");
            Assert.That(result.Outcome, Is.EqualTo(MonitorOutcome.BudgetSpent), "popf never turned the virtual interrupts on: the kernel waits for a tick forever");
            Assert.That(monitor.ConsoleOutput, Does.Not.Contain("timer running"));
            Assert.That(monitor.Vcpu.InterruptsEnabled, Is.False);
            Assert.That(monitor.Vcpu.PendingInterrupts, Is.Not.Zero, "the timer did fire; the guest just never accepts it");
        });
    }

    [Test]
    public void A_Kernel_Without_Sensitive_Instructions_Runs_Equivalently()
    {
        var monitor = new TrapAndEmulateMonitor(CostTable.Default);
        var result = MonitorTestKit.Run(monitor, MonitorTestKit.Minikernel("TRAP_FRIENDLY"));
        Assert.That(result.Outcome, Is.EqualTo(MonitorOutcome.Halted), result.Message + "\n" + monitor.ConsoleOutput);
        Assert.That(MonitorTestKit.ByTask(monitor.ConsoleOutput), Is.EqualTo(MonitorTestKit.ByTask(MonitorTestKit.NativeOutput("TRAP_FRIENDLY"))));
        Assert.That(monitor.Statistics.EmulatedInstructions, Is.GreaterThan(10));
        Assert.That(monitor.Statistics.ReflectedEvents, Is.GreaterThan(10), "system calls and timer interrupts reflected into the guest");
    }
}
