using VirtualizationWorkbench.Partitioning;
using VirtualizationWorkbench.Partitioning.Processors;

namespace VirtualizationWorkbench.Experiments;

/// <summary>One micro-partition of a run: its settings, the units the pool's division promised it, the units it was
/// dispatched for over the measured windows, and those cycles.</summary>
public sealed record MicroPartitionRow(string Name, double Entitlement, bool Capped, int Weight, int VirtualProcessors, bool Idle, double Promised, double Measured, ulong Cycles);

/// <summary>One run: what it shows, the pool's cores, the share of the pool's capacity nobody used, each partition.</summary>
public sealed record MicroPartitioningRun(string Scenario, int PoolCores, double IdlePercent, IReadOnlyList<MicroPartitionRow> Partitions);

/// <summary>Everything <c>workbench experiment micropartitioning</c> reports.</summary>
public sealed record MicroPartitioningResults(double WindowMs, int Windows, IReadOnlyList<MicroPartitioningRun> Runs);

/// <summary>
/// Micro-partitioning on running guests (<see cref="DispatchTrial"/>): busy guests (guests/lpar.s on every virtual
/// processor) and idle ones (halted) in a shared processor pool, dispatched in POWER's 10 ms windows; for each
/// partition, the units the pool's division promises and the units it was measured to get. The HMC's worked
/// example; a capped partition beside an uncapped one taking an idle partition's entitlement; the spare capacity
/// split by weight. Virtual time at 100 MHz: deterministic, the same on every machine.
/// </summary>
public static class MicroPartitioningExperiment
{
    /// <summary>Windows measured in each run (after the first, in which idle guests halt).</summary>
    public const int Windows = 10;

    /// <summary>The runs: a name and its pool and partitions.</summary>
    public static IReadOnlyList<(string Scenario, int PoolCores, DispatchMember[] Members)> Scenarios { get; } =
    [
        ("hmc-example", 3, [new("busy", 2.05, true, 128, 3), new("a", 0.10, false, 200, 3), new("b", 0.10, false, 100, 3)]),
        ("idle-ceded", 2, [new("idle", 0.80, false, 255, 1, Idle: true), new("capped", 0.40, true, 128, 1), new("uncapped", 0.40, false, 1, 2)]),
        ("weights-128-128", 2, [new("capped", 0.50, true, 128, 1), new("a", 0.50, false, 128, 2), new("b", 0.50, false, 128, 2)]),
        ("weights-200-100", 2, [new("capped", 0.50, true, 128, 1), new("a", 0.50, false, 200, 2), new("b", 0.50, false, 100, 2)]),
        ("weights-255-50", 2, [new("capped", 0.50, true, 128, 1), new("a", 0.50, false, 255, 2), new("b", 0.50, false, 50, 2)]),
    ];

    /// <summary>Runs every scenario.</summary>
    public static MicroPartitioningResults Run(int windows = Windows) =>
        new(VirtualClock.Milliseconds(ProcessorDispatcher.DefaultWindowCycles), windows, [.. Scenarios.Select(s => Once(s.Scenario, s.PoolCores, s.Members, windows))]);

    private static MicroPartitioningRun Once(string scenario, int poolCores, DispatchMember[] members, int windows)
    {
        var (firmware, shares) = DispatchTrial.Run(poolCores, members, windows);
        var pool = firmware.ProcessorPool!;
        var capacity = (double)pool.Windows * pool.Cores.Count * pool.WindowCycles;
        return new MicroPartitioningRun(scenario, poolCores, Math.Round(100 * pool.IdleCycles / capacity, 2),
            [.. members.Select((m, i) => new MicroPartitionRow(m.Name, m.Entitlement, m.Capped, m.Weight, m.VirtualProcessors, m.Idle, shares[i].Promised, Math.Round(shares[i].Measured, 4), shares[i].Cycles))]);
    }
}
