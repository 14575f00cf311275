using VirtualizationWorkbench.Machine.Costs;
using VirtualizationWorkbench.Machine.Virtualization;
using VirtualizationWorkbench.Machine.Virtualization.HardwareAssisted;

namespace VirtualizationWorkbench.Machine.Tests.Virtualization;

public class HardwareAssistedTests
{
    [TestCase(true)]
    [TestCase(false)]
    public void The_Unmodified_Kernel_Runs_Equivalently(bool nested)
    {
        var monitor = new HardwareAssistedHypervisor(CostTable.Default, nested);
        var result = MonitorTestKit.Run(monitor, MonitorTestKit.Minikernel());
        Assert.That(result.Outcome, Is.EqualTo(MonitorOutcome.Halted), result.Message + "\n" + monitor.ConsoleOutput);
        Assert.That(monitor.ConsoleOutput, Does.StartWith("minikernel: booting in ring 0\n"), "non-root ring 0 is ring 0 to the guest");
        Assert.That(MonitorTestKit.ByTask(monitor.ConsoleOutput), Is.EqualTo(MonitorTestKit.ByTask(MonitorTestKit.NativeOutput())));
        var exits = monitor.Core.Counters.VmExits;
        Assert.That(exits[(int)VmExitReason.IoInstruction], Is.GreaterThan(100), "console and timer ports exit");
        Assert.That(exits[(int)VmExitReason.Exception], nested ? Is.Zero : Is.GreaterThan(0), "page faults exit only for shadow paging");
        if (!nested) Assert.That(monitor.Shadow!.Verify(), Is.Null);
    }
}
