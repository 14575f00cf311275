using VirtualizationWorkbench.Machine.Costs;
using VirtualizationWorkbench.Machine.Virtualization;
using VirtualizationWorkbench.Machine.Virtualization.FullVirtualization;

namespace VirtualizationWorkbench.Machine.Tests.Virtualization;

public class BinaryTranslationTests
{
    [Test]
    public void The_Unmodified_Kernel_Runs_Equivalently()
    {
        var monitor = new BinaryTranslationMonitor(CostTable.Default);
        var result = MonitorTestKit.Run(monitor, MonitorTestKit.Minikernel());
        Assert.That(result.Outcome, Is.EqualTo(MonitorOutcome.Halted), result.Message + "\n" + monitor.ConsoleOutput);
        Assert.That(MonitorTestKit.ByTask(monitor.ConsoleOutput), Is.EqualTo(MonitorTestKit.ByTask(MonitorTestKit.NativeOutput())));
        Assert.That(monitor.ConsoleOutput, Does.StartWith("minikernel: booting in ring 0\n"), "getcpl became a callout that answers the virtual ring");
        Assert.Multiple(() =>
        {
            Assert.That(monitor.Statistics.TranslatedBlocks, Is.GreaterThan(20));
            Assert.That(monitor.Statistics.Callouts, Is.GreaterThan(10));
            Assert.That(monitor.Statistics.HiddenPageFaults, Is.GreaterThan(0));
            Assert.That(monitor.Shadow.Verify(), Is.Null);
        });
    }
}
