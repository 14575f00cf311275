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
    }
}
