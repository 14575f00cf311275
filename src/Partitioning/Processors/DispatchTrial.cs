using VirtualizationWorkbench.Machine;
using VirtualizationWorkbench.Machine.Assembler;

namespace VirtualizationWorkbench.Partitioning.Processors;

/// <summary>One micro-partition of a <see cref="DispatchTrial"/>: its entitlement (processing units), capped or
/// not, its uncapped weight, its virtual processors, and whether its guest is idle (halts at once, ceding its
/// entitlement) or busy (guests/lpar.s, counting on every processor).</summary>
public sealed record DispatchMember(string Name, double Entitlement, bool Capped, int Weight, int VirtualProcessors, bool Idle = false);

/// <summary>What one micro-partition got over a trial's measured windows: the units the pool's division promised
/// it (the last window's share) and the units its processors were dispatched for.</summary>
public sealed record DispatchShare(string Name, double Promised, double Measured, ulong Cycles);

/// <summary>
/// Micro-partitioning as the experiment and the tests run it: a fresh machine whose cores all form the shared
/// processor pool, one micro-partition per member, one window dispatched first (in which an idle guest halts), then
/// the measured windows.
/// </summary>
public static class DispatchTrial
{
    /// <summary>The idle guest: it halts at once.</summary>
    public static ProgramImage Idle { get; } = Assembler.AssembleText(".org 0x1000\nhlt\n", "idle.s");

    /// <summary>Runs the trial: the firmware as it left it and each member's share over the measured windows.</summary>
    public static (PartitionFirmware Firmware, IReadOnlyList<DispatchShare> Shares) Run(int poolCores, IReadOnlyList<DispatchMember> members, int windows,
        ulong windowCycles = ProcessorDispatcher.DefaultWindowCycles)
    {
        if (members.Count is < 1 or > 8) throw new PartitionError($"a dispatch trial has 1 to 8 partitions, not {members.Count}");
        if (windows < 1) throw new PartitionError($"a dispatch trial measures 1 or more windows, not {windows}");
        var firmware = new PartitionFirmware(new MachineConfiguration { MemorySize = 2 * 1024 * 1024, Cores = poolCores });
        var pool = firmware.CreateSharedProcessorPool(poolCores, windowCycles);
        var partitions = members.Select(m => firmware.ActivateMicroPartition(
            new PartitionProfile { Name = m.Name, DesiredBlocks = 2, MinCores = 1, DesiredCores = m.VirtualProcessors, MaxCores = m.VirtualProcessors },
            m.Idle ? Idle : PartitionGuests.Lpar, m.Entitlement, m.Capped, m.Weight)).ToList();
        pool.Run(1);
        var before = partitions.Select(p => p.DispatchedCycles).ToList();
        pool.Run(windows);
        var span = (double)windows * windowCycles;
        return (firmware, [.. partitions.Select((p, i) => new DispatchShare(p.Name, Math.Round(pool.LastShares[i].Total, 2), (p.DispatchedCycles - before[i]) / span, p.DispatchedCycles - before[i]))]);
    }
}
