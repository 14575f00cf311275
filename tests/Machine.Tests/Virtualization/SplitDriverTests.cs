using VirtualizationWorkbench.Machine.Costs;
using VirtualizationWorkbench.Machine.Virtualization;
using VirtualizationWorkbench.Machine.Virtualization.Paravirtualization;

namespace VirtualizationWorkbench.Machine.Tests.Virtualization;

public class SplitDriverTests
{
    private static SplitDriverSystem Boot()
    {
        var system = new SplitDriverSystem(CostTable.Default);
        var dom0 = Path.Combine(TestMachine.RepositoryRoot, "labs", "guests", "dom0-console.s");
        system.Load(MonitorTestKit.Minikernel("PARAVIRT", "SPLIT_CONSOLE"), Assembler.Assembler.AssembleText(File.ReadAllText(dom0), dom0));
        return system;
    }

    [Test]
    public void DomU_Prints_Through_The_Back_End_In_Dom0()
    {
        var system = Boot();
        var result = system.Run(20_000_000);
        Assert.That(result.Outcome, Is.EqualTo(MonitorOutcome.Halted), result.Message + "\n" + system.ConsoleOutput);
        Assert.That(MonitorTestKit.ByTask(system.ConsoleOutput), Is.EqualTo(MonitorTestKit.ByTask(MonitorTestKit.NativeOutput())));
        Assert.Multiple(() =>
        {
            Assert.That(system.DomU.Statistics.DeviceAccesses, Is.Zero, "DomU never touched a device");
            Assert.That(system.Dom0.Statistics.DeviceAccesses, Is.EqualTo((ulong)system.ConsoleOutput.Length), "Dom0 wrote every byte to the real console");
            Assert.That(system.Channel.Events, Is.GreaterThan(13), "about one event per line, and one back per batch");
            Assert.That(system.Channel.Events, Is.LessThan((ulong)system.ConsoleOutput.Length), "fewer events than bytes: the ring batches");
        });
    }

    [Test]
    public void A_Stopped_Domain_Stops_The_System_And_Both_Resume_To_The_Same_End()
    {
        var system = Boot();
        system.Dom0.Core.RequestStop();
        var stopped = system.Run(20_000_000);
        Assert.That(stopped, Is.EqualTo(new MonitorRun(MonitorOutcome.Stopped, "Dom0: stopped at the host's request")));

        var result = system.Run(20_000_000);
        Assert.That(result.Outcome, Is.EqualTo(MonitorOutcome.Halted), result.Message + "\n" + system.ConsoleOutput);
        Assert.That(MonitorTestKit.ByTask(system.ConsoleOutput), Is.EqualTo(MonitorTestKit.ByTask(MonitorTestKit.NativeOutput())));
    }

    [Test]
    public void The_Split_System_Is_Deterministic()
    {
        var first = Boot();
        first.Run(20_000_000);
        var second = Boot();
        second.Run(20_000_000);
        Assert.That((second.ConsoleOutput, second.Channel.Events, second.DomU.Core.Counters.Cycles, second.Dom0.Core.Counters.Cycles),
            Is.EqualTo((first.ConsoleOutput, first.Channel.Events, first.DomU.Core.Counters.Cycles, first.Dom0.Core.Counters.Cycles)));
    }
}
