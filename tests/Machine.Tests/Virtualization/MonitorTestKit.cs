using VirtualizationWorkbench.Machine.Assembler;
using VirtualizationWorkbench.Machine.Virtualization;

namespace VirtualizationWorkbench.Machine.Tests.Virtualization;

/// <summary>Builds guests and runs them under monitors.</summary>
internal static class MonitorTestKit
{
    public static ProgramImage Minikernel(params string[] defines) =>
        Assembler.Assembler.AssembleText(File.ReadAllText(TestMachine.MinikernelPath), TestMachine.MinikernelPath, new AssemblerOptions { Defines = defines });

    public static string NativeOutput(params string[] defines)
    {
        var computer = new Computer(new MachineConfiguration());
        computer.Load(Minikernel(defines));
        Assert.That(computer.Run(10_000_000).Reason, Is.EqualTo(ExitReason.Halt));
        return computer.Console.PendingText;
    }

    public static MonitorRun Run(VirtualMachineMonitor monitor, ProgramImage program, long budget = 10_000_000)
    {
        monitor.Load(program);
        return monitor.Run(budget);
    }

    /// <summary>Output with timing taken out, as Popek and Goldberg's equivalence allows: each task's lines in
    /// their order, the kernel's lines in theirs.</summary>
    public static string[] ByTask(string output) =>
        [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries).GroupBy(Owner).OrderBy(g => g.Key, StringComparer.Ordinal).SelectMany(g => g)];

    private static string Owner(string line) =>
        line.StartsWith("task ", StringComparison.Ordinal) ? line[..6]
        : line.StartsWith("minikernel: task ", StringComparison.Ordinal) ? line[12..18]
        : "kernel";
}
