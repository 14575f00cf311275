using VirtualizationWorkbench.Machine.Assembler;
using VirtualizationWorkbench.Machine.Costs;
using VirtualizationWorkbench.Machine.Virtualization.FullVirtualization;
using VirtualizationWorkbench.Machine.Virtualization.HardwareAssisted;
using VirtualizationWorkbench.Machine.Virtualization.Paravirtualization;

namespace VirtualizationWorkbench.Machine.Virtualization.Experiments;

/// <summary>One row of the overhead table: virtual cycles per operation under each technique.</summary>
public sealed record OverheadRow(string Name, double Native, double BinaryTranslation, double Paravirtualization, double HardwareAssisted)
{
    /// <summary>The cheapest of the three virtualization techniques ("bt", "pv" or "hw").</summary>
    public string Winner(bool includeParavirtualization = true)
    {
        var candidates = new List<(string Key, double Cycles)> { ("bt", BinaryTranslation), ("hw", HardwareAssisted) };
        if (includeParavirtualization) candidates.Add(("pv", Paravirtualization));
        return candidates.MinBy(c => c.Cycles).Key;
    }
}

/// <summary>A macro workload's overhead over native, in percent, under each technique.</summary>
public sealed record WorkloadOverhead(string Name, double BinaryTranslation, double Paravirtualization, double HardwareAssisted);

/// <summary>The whole experiment for one cost table.</summary>
public sealed record OverheadTable(string CostTable, string HardwarePaging, IReadOnlyList<OverheadRow> Rows, IReadOnlyList<WorkloadOverhead> Workloads);

/// <summary>
/// <c>workbench experiment overhead</c>: Adams and Agesen's microbenchmarks and two macro workloads
/// (<c>labs/guests/microbench.s</c>) run natively, under binary translation, under paravirtualization and under
/// hardware assistance, on the same machine and cost table. Cycles per operation are measured as the difference
/// between a run of 2n operations and a run of n, divided by n, so setup costs cancel out. With the 2006 table
/// the hardware-assisted hypervisor uses shadow paging (first-generation VT-x had no nested paging); with the
/// modern table it uses nested paging.
/// </summary>
public sealed class OverheadExperiment(string microbenchSource, string sourcePath)
{
    /// <summary>The microbenchmarks, in the paper's order, with the build symbol of each.</summary>
    public static readonly (string Name, string Define)[] Microbenchmarks =
    [
        ("syscall", "SYSCALL"), ("in", "IN"), ("cr8wr", "CR8WR"), ("callret", "CALLRET"),
        ("pgfault", "PGFAULT"), ("divzero", "DIVZERO"), ("ptemod", "PTEMOD"),
    ];

    /// <summary>The macro workloads, with the build symbol and iterations of each.</summary>
    public static readonly (string Name, string Define, int Iterations)[] Workloads =
    [
        ("compute", "COMPUTE", 300_000), ("mixed", "MIXED", 1_000),
    ];

    private const int Operations = 200;
    private readonly Dictionary<string, ProgramImage> builds = [];

    /// <summary>Runs everything with one cost table.</summary>
    public OverheadTable Run(CostTable table)
    {
        var nested = table.Name != CostTables.Year2006.Name;
        var rows = new List<OverheadRow>();
        foreach (var (name, define) in Microbenchmarks)
        {
            rows.Add(new OverheadRow(name,
                PerOperation("native", define, table, nested),
                PerOperation("bt", define, table, nested),
                PerOperation("pv", define, table, nested),
                PerOperation("hw", define, table, nested)));
        }
        var workloads = new List<WorkloadOverhead>();
        foreach (var (name, define, iterations) in Workloads)
        {
            // Steady state: the difference between 2n and n iterations, so that booting (building page tables,
            // which paravirtualization does one validated hypercall at a time) does not count.
            double Steady(string technique) => Cycles(technique, define, 2 * iterations, table, nested) - Cycles(technique, define, iterations, table, nested);
            var native = Steady("native");
            double Overhead(string technique) => Math.Round((Steady(technique) - native) * 100.0 / native, 1);
            workloads.Add(new WorkloadOverhead(name, Overhead("bt"), Overhead("pv"), Overhead("hw")));
        }
        return new OverheadTable(table.Name, nested ? "nested" : "shadow", rows, workloads);
    }

    /// <summary>Cycles per operation of one microbenchmark under one technique.</summary>
    public double PerOperation(string technique, string define, CostTable table, bool nestedPaging) =>
        Math.Round((Cycles(technique, define, 2 * Operations, table, nestedPaging) - Cycles(technique, define, Operations, table, nestedPaging)) / (double)Operations, 1);

    /// <summary>Runs one build under one technique for <paramref name="iterations"/> and returns the cycles
    /// spent (time spent halted excluded).</summary>
    public double Cycles(string technique, string define, int iterations, CostTable table, bool nestedPaging)
    {
        var paravirtual = technique == "pv";
        var program = Build(define, paravirtual);
        var iterationsAddress = program.Symbols["iterations"];
        Core core;
        bool halted;
        string failure;
        if (technique == "native")
        {
            var computer = new Computer(new MachineConfiguration { Costs = table });
            computer.Load(program);
            computer.Memory.WriteWord(iterationsAddress, (uint)iterations);
            var exit = computer.Run(500_000_000);
            core = computer.Cores[0];
            halted = exit.Reason == ExitReason.Halt;
            failure = exit.ToString();
        }
        else
        {
            VirtualMachineMonitor monitor = technique switch
            {
                "bt" => new BinaryTranslationMonitor(table),
                "pv" => new ParavirtualHypervisor(table),
                "hw" => new HardwareAssistedHypervisor(table, nestedPaging),
                _ => throw new ArgumentException($"unknown technique '{technique}'", nameof(technique)),
            };
            monitor.Load(program);
            monitor.Guest.ToHost(iterationsAddress, out var at);
            monitor.Computer.Memory.WriteWord(at, (uint)iterations);
            var result = monitor.Run(500_000_000);
            core = monitor.Core;
            halted = result.Outcome == MonitorOutcome.Halted;
            failure = result.Message;
        }
        if (!halted) throw new InvalidOperationException($"{define} under {technique} did not finish: {failure}");
        return core.Counters.Cycles - core.Counters.HaltedCycles;
    }

    private ProgramImage Build(string define, bool paravirtual)
    {
        var key = define + (paravirtual ? "+pv" : "");
        if (!builds.TryGetValue(key, out var program))
        {
            var defines = paravirtual ? new[] { define, "PARAVIRT" } : [define];
            program = Assembler.Assembler.AssembleText(microbenchSource, sourcePath, new AssemblerOptions { Defines = defines });
            builds[key] = program;
        }
        return program;
    }
}
