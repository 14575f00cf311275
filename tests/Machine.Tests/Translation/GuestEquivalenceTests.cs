using VirtualizationWorkbench.Machine.Assembler;
using VirtualizationWorkbench.Machine.Cpu;

namespace VirtualizationWorkbench.Machine.Tests.Translation;

/// <summary>The guest programs the labs run, on both engines: identical state, memory, output, exits and
/// counters, run whole and run in odd slices (budgets that end inside blocks).</summary>
public class GuestEquivalenceTests
{
    private static string Guests => Path.Combine(TestMachine.RepositoryRoot, "labs", "guests");

    // Files that are included by others rather than run.
    private static readonly HashSet<string> Libraries = ["hypercalls.s", "lib.s"];

    public static IEnumerable<TestCaseData> Programs()
    {
        var root = Path.Combine(FindRoot(), "labs", "guests");
        foreach (var path in Directory.EnumerateFiles(root, "*.s", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            if (Libraries.Contains(Path.GetFileName(path)) || path.Contains($"{Path.DirectorySeparatorChar}rv32{Path.DirectorySeparatorChar}")) continue;
            var name = Path.GetRelativePath(root, path);
            yield return new TestCaseData(name, Array.Empty<string>()).SetName($"Guest_{name}");
        }
        foreach (var define in new[] { "SYSCALL", "IN", "CR8WR", "CALLRET", "PGFAULT", "DIVZERO", "PTEMOD", "COMPUTE", "MIXED" })
        {
            yield return new TestCaseData("microbench.s", new[] { define }).SetName($"Guest_microbench_{define}");
        }
        yield return new TestCaseData("minikernel.s", new[] { "FAULTY_TASK" }).SetName("Guest_minikernel_FAULTY_TASK");
    }

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Workbench.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("cannot find the repository root");
    }

    private static ProgramImage Assemble(string name, string[] defines)
    {
        var result = Assembler.Assembler.AssembleFile(Path.Combine(Guests, name), new AssemblerOptions { Defines = defines });
        Assert.That(result.Diagnostics, Is.Empty, string.Join("\n", result.Diagnostics));
        return result.Program!;
    }

    [TestCaseSource(nameof(Programs))]
    [CancelAfter(20_000)]
    public void Runs_The_Same_On_Both_Engines(string name, string[] defines)
    {
        var program = Assemble(name, defines);
        Computer Build(ExecutionEngine engine)
        {
            var computer = new Computer(new MachineConfiguration { Engine = engine, MemorySize = 16 * 1024 * 1024 });
            computer.Load(program);
            return computer;
        }
        EngineComparison.AssertSame(Build, EngineComparison.Whole(400_000), expectTranslation: false);
        // The same, stopped and resumed every few instructions: budgets end inside blocks.
        EngineComparison.AssertSame(Build, new EngineComparison.Drive([1, 7, 13, 64, 3, 250], 60_000), expectTranslation: false);
    }

    [Test]
    public void The_Minikernel_Runs_Translated_With_The_Interpreters_Counters_At_The_Default_Threshold()
    {
        var program = Assemble("minikernel.s", []);
        Computer Build(ExecutionEngine engine)
        {
            var computer = new Computer(new MachineConfiguration { Engine = engine });
            computer.Load(program);
            return computer;
        }
        var (interpreter, translator, machine) = EngineComparison.Run(Build, EngineComparison.Whole(10_000_000), threshold: 50);
        Assert.That(translator, Is.EqualTo(interpreter));
        Assert.That(machine.Console.PendingText, Does.EndWith("minikernel: all tasks finished\n"));
        Assert.That(machine.Cores[0].TranslationStatistics.BlocksTranslated, Is.GreaterThan(0), "without a warm-up the boot is translated");
    }

    [Test]
    public void The_Minikernel_Boots_Within_The_Default_Warmup_Without_Translating()
    {
        // The boot (about 63,000 instructions) is shorter than the warm-up: the translator's start-up is not paid
        // for a program that could not earn it back, and the run is the interpreter's.
        var program = Assemble("minikernel.s", []);
        Computer Build(ExecutionEngine engine)
        {
            var computer = new Computer(new MachineConfiguration { Engine = engine });
            computer.Load(program);
            return computer;
        }
        var (interpreter, translator, machine) = EngineComparison.Run(Build, EngineComparison.Whole(10_000_000), threshold: 50, warmup: Core.DefaultTranslationWarmup);
        Assert.That(translator, Is.EqualTo(interpreter));
        var core = machine.Cores[0];
        Assert.That(core.Counters.Instructions, Is.LessThan((ulong)Core.DefaultTranslationWarmup), "the boot is shorter than the warm-up");
        Assert.That(core.TranslationStatistics.BlocksTranslated, Is.Zero);
        Assert.That(core.TranslationStatistics.InterpretedInstructions, Is.EqualTo((long)core.Counters.Instructions));
    }

    [Test]
    public void A_Loop_Longer_Than_The_Warmup_Is_Translated_After_It_With_The_Interpreters_Counters()
    {
        var program = Assembler.Assembler.AssembleText("""
                li r2, 100000
            loop:
                addi r3, r3, 7
                xor r4, r4, r3
                subi r2, r2, 1
                jne loop
                hlt
            """, "loop.s");
        Computer Build(ExecutionEngine engine)
        {
            var computer = new Computer(new MachineConfiguration { Engine = engine });
            computer.Load(program);
            return computer;
        }
        // Budgets that end anywhere, so that the warm-up's end falls inside a run and inside the loop's block.
        var (interpreter, translator, machine) = EngineComparison.Run(Build, new EngineComparison.Drive([999, 12_345, 77_777], 1_000_000), threshold: 50, warmup: 100_003);
        Assert.That(translator, Is.EqualTo(interpreter));
        var statistics = machine.Cores[0].TranslationStatistics;
        Assert.That(statistics.BlocksTranslated, Is.GreaterThan(0), "translated after the warm-up");
        Assert.That(statistics.InterpretedInstructions, Is.InRange(100_003, 100_003 + 50 * 5 + 10), "the warm-up, then 50 passes until the loop is hot");
    }
}
