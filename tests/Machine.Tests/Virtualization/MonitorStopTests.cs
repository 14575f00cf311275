using VirtualizationWorkbench.Machine.Costs;
using VirtualizationWorkbench.Machine.Virtualization;
using VirtualizationWorkbench.Machine.Virtualization.FullVirtualization;
using VirtualizationWorkbench.Machine.Virtualization.HardwareAssisted;
using VirtualizationWorkbench.Machine.Virtualization.Paravirtualization;

namespace VirtualizationWorkbench.Machine.Tests.Virtualization;

/// <summary>A host stopping a guest (<see cref="Core.RequestStop"/>) gets the same answer from every monitor.</summary>
public class MonitorStopTests
{
    private static IEnumerable<TestCaseData> Monitors()
    {
        yield return new TestCaseData(new Func<VirtualMachineMonitor>(() => new TrapAndEmulateMonitor(CostTable.Default))).SetArgDisplayNames("trap-and-emulate");
        yield return new TestCaseData(new Func<VirtualMachineMonitor>(() => new BinaryTranslationMonitor(CostTable.Default))).SetArgDisplayNames("binary-translation");
        yield return new TestCaseData(new Func<VirtualMachineMonitor>(() => new ParavirtualHypervisor(CostTable.Default))).SetArgDisplayNames("paravirtualization");
        yield return new TestCaseData(new Func<VirtualMachineMonitor>(() => new HardwareAssistedHypervisor(CostTable.Default, true))).SetArgDisplayNames("hardware-nested");
        yield return new TestCaseData(new Func<VirtualMachineMonitor>(() => new HardwareAssistedHypervisor(CostTable.Default, false))).SetArgDisplayNames("hardware-shadow");
    }

    [TestCaseSource(nameof(Monitors))]
    public void A_Stop_Requested_Mid_Run_Returns_To_The_Caller_And_The_Guest_Resumes(Func<VirtualMachineMonitor> create)
    {
        var monitor = create();
        monitor.Load(Assembler.Assembler.AssembleText("spin:\n    addi r1, r1, 1\n    jmp spin\n"));
        var core = monitor.Core;
        var run = Task.Factory.StartNew(() => monitor.Run(long.MaxValue / 2), TaskCreationOptions.LongRunning);
        Assert.That(SpinWait.SpinUntil(() => Volatile.Read(ref core.Counters.Instructions) > 0, TimeSpan.FromSeconds(60)), "the guest started");
        Thread.Sleep(100);

        core.RequestStop();

        // A hang catcher, not a speed limit: a monitor that swallows the stop runs its endless budget.
        Assert.That(run.Wait(TimeSpan.FromSeconds(30)), Is.True, $"{monitor.Name}: Run returned after the stop");
        var stopped = run.Result;
        Assert.That(stopped, Is.EqualTo(new MonitorRun(MonitorOutcome.Stopped, "stopped at the host's request")), monitor.Name);

        // The guest is intact and goes on where it stopped: 1,000 more instructions of its loop are 500 more adds.
        var counted = core.State.R[1];
        Assert.That(counted, Is.GreaterThan(0u), "the guest ran before the stop");
        var resumed = monitor.Run(1000);
        Assert.That(resumed.Outcome, Is.EqualTo(MonitorOutcome.BudgetSpent), $"{monitor.Name}: {resumed.Message}");
        Assert.That(core.State.R[1], Is.EqualTo(counted + 500), monitor.Name);
    }
}
