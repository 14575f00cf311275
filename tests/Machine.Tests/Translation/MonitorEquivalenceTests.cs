using VirtualizationWorkbench.Machine.Costs;
using VirtualizationWorkbench.Machine.Cpu;
using VirtualizationWorkbench.Machine.Virtualization;

namespace VirtualizationWorkbench.Machine.Tests.Translation;

/// <summary>Every monitor of the course boots the minikernel on both engines with the same output, guest
/// counters and monitor statistics. (Binary translation drives the core with hooks, which always interpret: it
/// must still give the same figures when the translator is selected.)</summary>
public class MonitorEquivalenceTests
{
    [TestCaseSource(typeof(MonitorCatalog), nameof(MonitorCatalog.Names))]
    [CancelAfter(30_000)]
    public void A_Monitor_Gives_The_Same_Run_On_Both_Engines(string name)
    {
        var defines = name.StartsWith("paravirtualization", StringComparison.Ordinal) ? new[] { "PARAVIRT" } : [];
        var result = Assembler.Assembler.AssembleFile(TestMachine.MinikernelPath, new Assembler.AssemblerOptions { Defines = defines });
        Assert.That(result.Diagnostics, Is.Empty);
        string Describe(ExecutionEngine engine, out long translatedBlocks)
        {
            var vm = MonitorCatalog.Create(name, CostTable.Default)!;
            foreach (var core in vm.Computer.Cores)
            {
                core.Engine = engine;
                core.TranslationThreshold = 1;
                core.TranslationWarmup = 0;
            }
            vm.Load(result.Program!);
            var run = vm.Run(3_000_000);
            translatedBlocks = vm.Computer.Cores.Sum(c => c.TranslationStatistics.BlocksExecuted);
            return $"{run.Outcome} {run.Message}\n{vm.ConsoleOutput}\n"
                + string.Join(",", vm.Core.Counters.Describe().Select(p => $"{p.Key}={p.Value}")) + "\n"
                + string.Join(",", vm.Statistics.Describe().Select(p => $"{p.Key}={p.Value}")) + "\n"
                + EngineComparison.Describe(vm.Computer, []);
        }
        var interpreted = Describe(ExecutionEngine.Interpreter, out _);
        var translated = Describe(ExecutionEngine.Translator, out var blocks);
        Assert.That(translated, Is.EqualTo(interpreted));
        Assert.That(interpreted, Does.Contain("minikernel: booting"), "the guest ran");
        if (name != "binary-translation") Assert.That(blocks, Is.GreaterThan(0), "translated code ran");
    }
}
