using VirtualizationWorkbench.Machine.Assembler;

namespace VirtualizationWorkbench.Machine.Tests;

/// <summary>Builds machines for tests from assembly text.</summary>
internal static class TestMachine
{
    /// <summary>All exceptions 0-31.</summary>
    public const uint AllExceptions = 0xFFFF_FFFF;

    public static Computer Boot(string source, uint memory = 1024 * 1024, int cores = 1, params string[] defines)
    {
        var program = Assembler.Assembler.AssembleText(source, "test.s", new AssemblerOptions { Defines = defines });
        var computer = new Computer(new MachineConfiguration { MemorySize = memory, Cores = cores });
        computer.Load(program);
        return computer;
    }

    /// <summary>Runs a snippet in ring 0 until it halts and returns the core.</summary>
    public static Core Execute(string source, long budget = 100_000)
    {
        var computer = Boot(source);
        var exit = computer.Run(budget);
        Assert.That(exit.Reason, Is.EqualTo(ExitReason.Halt), $"the snippet should halt, but: {exit}");
        return computer.Cores[0];
    }

    /// <summary>The repository root (the folder holding Workbench.sln).</summary>
    public static string RepositoryRoot
    {
        get
        {
            var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Workbench.sln"))) dir = dir.Parent;
            return dir?.FullName ?? throw new InvalidOperationException("cannot find the repository root");
        }
    }

    public static string MinikernelPath => Path.Combine(RepositoryRoot, "labs", "guests", "minikernel.s");

    public static Computer BootMinikernel(params string[] defines)
    {
        var result = Assembler.Assembler.AssembleFile(MinikernelPath, new AssemblerOptions { Defines = defines });
        Assert.That(result.Diagnostics, Is.Empty, string.Join("\n", result.Diagnostics));
        var computer = new Computer(new MachineConfiguration());
        computer.Load(result.Program!);
        return computer;
    }
}
