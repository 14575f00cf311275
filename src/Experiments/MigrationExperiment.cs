using VirtualizationWorkbench.Machine;
using VirtualizationWorkbench.Partitioning;
using VirtualizationWorkbench.Partitioning.Migration;

namespace VirtualizationWorkbench.Experiments;

/// <summary>One migration of the experiment: the workload, how it moved, over what link, and what it cost.</summary>
public sealed record MigrationRun(string Workload, string Mode, string StopRule, double Bandwidth, IReadOnlyList<MigrationRound> Rounds,
    int TotalPages, double DowntimeMs, double TotalMs, bool MemoryMatches, bool GuestContinued, int DemandFetches);

/// <summary>
/// Live partition mobility in the shape of Clark et al. (NSDI 2005): the partition-aware guest (labs/guests/lpar.s)
/// running an idle, a moderate (web-server-like) and a "diabolical" workload (a hot set of half its memory rewritten
/// faster than any round can send it) in a 2 MiB partition, moved across links of several bandwidths by pre-copy
/// under Xen's and QEMU's stop rules, by the hybrid that resumes early and fetches on demand, and by plain
/// stop-and-copy. Virtual time at 100 MHz (<see cref="VirtualClock"/>): deterministic, the same on every machine.
/// </summary>
public static class MigrationExperiment
{
    /// <summary>Link bandwidths, Mbit/s.</summary>
    public static IReadOnlyList<double> Bandwidths { get; } = [250, 500, 1000];

    /// <summary>The pre-copy stop rules compared: Xen's (5 rounds or under 50 pages) and QEMU's with a 1 ms target.</summary>
    public static IReadOnlyList<StopRule> Rules { get; } = [StopRule.Xen, StopRule.Qemu(1)];

    /// <summary>The partition's memory: 32 blocks, 2 MiB, 512 pages.</summary>
    public const int Blocks = 32;

    /// <summary>Runs every workload, bandwidth and mode (<paramref name="blocks"/> and <paramref name="bandwidths"/>
    /// make a smaller run for tests).</summary>
    public static IReadOnlyList<MigrationRun> Run(int blocks = Blocks, IReadOnlyList<double>? bandwidths = null)
    {
        var runs = new List<MigrationRun>();
        foreach (var workload in GuestWorkload.All)
        {
            foreach (var bandwidth in bandwidths ?? Bandwidths)
            {
                foreach (var rule in Rules) runs.Add(Move(workload, MigrationMode.PreCopy, rule, bandwidth, blocks));
                runs.Add(Move(workload, MigrationMode.Hybrid, StopRule.Xen, bandwidth, blocks));
                runs.Add(Move(workload, MigrationMode.StopAndCopy, StopRule.Xen, bandwidth, blocks));
            }
        }
        return runs;
    }

    /// <summary>One migration: a fresh pair of machines, the guest warmed up for 5 ms, then moved.</summary>
    public static MigrationRun Move(GuestWorkload workload, MigrationMode mode, StopRule rule, double bandwidth, int blocks = Blocks, bool clearDirtyOnSend = true)
    {
        var result = MigrationTrial.Run(workload, new MigrationOptions(mode, new MigrationLink(bandwidth), rule, clearDirtyOnSend), blocks);
        return new MigrationRun(workload.Name, MigrationTrial.NameOf(mode), mode == MigrationMode.PreCopy ? rule.Name : mode == MigrationMode.Hybrid ? "rounds-1" : "none", bandwidth,
            result.Rounds, result.TotalPages, Math.Round(result.DowntimeMilliseconds, 3), Math.Round(result.TotalMilliseconds, 3),
            result.MemoryMatches, result.GuestContinued, result.DemandFetches);
    }
}
