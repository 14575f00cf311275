using VirtualizationWorkbench.Partitioning;
using VirtualizationWorkbench.Partitioning.Memory;
using VirtualizationWorkbench.Partitioning.Memory.Sharing;

namespace VirtualizationWorkbench.Experiments;

/// <summary>One partition of a sharing run: what it held and what the pool did for it. Waited: its core on the paging
/// device; file: its core on its VIOS disk (the file written at boot, loaned cache pages read again).</summary>
public sealed record SharingPartitionRow(string Name, int Weight, int Resident, double FairShare, long Faults, long PageIns, long PageOuts,
    long CleanDrops, long LoanedFree, long LoanedCache, uint CacheMisses, uint Corrupt, double WaitedMs, double WaitedPercent, double FileMs);

/// <summary>One Active Memory Expansion run: the guest's working pages and their data, the pools as the run left
/// them, the factor achieved against the model's, and what compressing cost the guest.</summary>
public sealed record ExpansionRow(string Data, int WorkingPages, int LogicalPages, int Held, int U, double C, double Ratio, double Achieved, double Formula,
    double Deficit, long Compressions, long Decompressions, double CostMs, double CostPercent, uint Corrupt);

/// <summary>One run: the loan policy, whether the guests gave page hints, the device's traffic and each partition.</summary>
public sealed record SharingRun(string Policy, bool Hints, long DeviceWrites, long DeviceReads, IReadOnlyList<SharingPartitionRow> Partitions);

/// <summary>Everything <c>workbench experiment sharing</c> reports.</summary>
public sealed record SharingResults(int PoolFrames, int LogicalPages, long Instructions, IReadOnlyList<SharingRun> ByWeight, IReadOnlyList<SharingRun> ByLoaning,
    IReadOnlyList<ExpansionRow> Expansion);

/// <summary>
/// Active Memory Sharing on two partitions of 128 logical pages each over a pool of 64 frames (4× overcommitted),
/// both running guests/ams.s (40 working pages, 12 file-cache pages read every 4 visits, 16 freed boot buffers):
/// how the pool is split by memory weight, and what loaning saves the VIOS paging device. Then Active Memory
/// Expansion (<see cref="ExpansionTrial"/>): one partition of 4 blocks expanded twice, over more and more working
/// pages of each kind of data. Virtual time at 100 MHz: deterministic, the same on every machine.
/// </summary>
public static class SharingExperiment
{
    /// <summary>The pool: 4 blocks, 64 frames.</summary>
    public const int PoolBlocks = 4;

    /// <summary>Instructions each partition runs.</summary>
    public const long Instructions = 400_000;

    /// <summary>The weight pairs compared.</summary>
    public static IReadOnlyList<(int A, int B)> Weights { get; } = [(128, 128), (200, 100), (255, 50)];

    /// <summary>The expansion runs: (data, working pages).</summary>
    public static IReadOnlyList<(PageData Data, int Pages)> ExpansionRuns { get; } =
        [(PageData.Text, 24), (PageData.Text, 40), (PageData.Text, 46), (PageData.Text, 60), (PageData.Text, 80), (PageData.Text, 110),
         (PageData.Zeros, 110), (PageData.Random, 110)];

    /// <summary>The expansion factor of the expansion runs.</summary>
    public const double ExpansionFactor = 2.0;

    /// <summary>Runs every weight pair (loan policy cache), every loan policy (weights 200 and 100) and every
    /// expansion run.</summary>
    public static SharingResults Run(long instructions = Instructions)
    {
        var byWeight = Weights.Select(w => Once(w.A, w.B, LoanPolicy.FreeAndCache, hints: true, instructions)).ToList();
        var byLoaning = LoanPolicy.All.Select(p => Once(200, 100, p, hints: true, instructions)).Append(Once(200, 100, LoanPolicy.FreeAndCache, hints: false, instructions)).ToList();
        var expansion = ExpansionRuns.Select(r => Expanded(r.Data, r.Pages, instructions)).ToList();
        return new SharingResults(PoolBlocks * PartitionFirmware.PagesPerBlock, SharingTrial.LogicalBlocks * PartitionFirmware.PagesPerBlock, instructions, byWeight, byLoaning, expansion);
    }

    private static ExpansionRow Expanded(PageData data, int pages, long instructions)
    {
        var firmware = ExpansionTrial.Run(pages, data, ExpansionFactor, instructions);
        var p = firmware.Partitions[0];
        var e = p.Expansion!;
        return new ExpansionRow(data.ToString().ToLowerInvariant(), pages, e.LogicalPages, e.U + e.CompressedPageCount, e.U, Math.Round(e.C, 2), Math.Round(e.Ratio, 2),
            Math.Round(e.AchievedFactor, 3), Math.Round(e.FormulaFactor, 3), Math.Round(e.Deficit, 2), e.Compressions, e.Decompressions,
            Math.Round(VirtualClock.Milliseconds(e.Cycles), 3), Math.Round(100.0 * e.Cycles / p.Cycles, 1), SharingTrial.GuestWord(firmware, p, "corrupt"));
    }

    private static SharingRun Once(int weightA, int weightB, LoanPolicy policy, bool hints, long instructions)
    {
        var firmware = SharingTrial.Run(PoolBlocks, [new("a", weightA, policy), new("b", weightB, policy)], instructions,
            new GuestMemoryUse(WorkingPages: 40, CachePages: 12, ScratchPages: 16, CacheEvery: 4, Hints: hints));
        var pool = firmware.SharedPool!;
        var frames = pool.Frames;
        var rows = pool.Partitions.Select(p => new SharingPartitionRow(p.Partition.Name, p.Weight, p.ResidentPages, Math.Round(frames * p.Weight / (double)(weightA + weightB), 2),
            p.Faults, p.PageIns, p.PageOuts, p.CleanDrops, p.LoanedFree, p.LoanedCache,
            SharingTrial.GuestWord(firmware, p.Partition, "cache_misses"), SharingTrial.GuestWord(firmware, p.Partition, "corrupt"),
            Math.Round(VirtualClock.Milliseconds(p.PagingCycles), 3), Math.Round(100.0 * p.PagingCycles / p.Partition.Cycles, 1),
            Math.Round(VirtualClock.Milliseconds(p.Disk.Cycles), 3))).ToList();
        return new SharingRun(policy.Name, hints, pool.Device.Writes, pool.Device.Reads, rows);
    }
}
