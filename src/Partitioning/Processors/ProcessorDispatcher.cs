using VirtualizationWorkbench.Machine;

namespace VirtualizationWorkbench.Partitioning.Processors;

/// <summary>
/// The POWER Hypervisor's dispatcher for micro-partitions: the virtual processors of the partitions in the shared
/// processor pool run on the pool's physical cores in fixed dispatch windows (POWER's is 10 ms). At the start of
/// each window the <see cref="SharedProcessorPool"/> divides the window among the partitions by what they want now
/// (their virtual processors that have not halted): each gets its entitlement, capped ones never more, and uncapped
/// ones the spare capacity by weight. A partition's cycles are spread over its runnable virtual processors, which
/// are laid on the pool's cores one after another, a processor that does not fit in one core's window going on to
/// the next (McNaughton's wrap-around; each processor gets at most one window, so it is never on two cores at the
/// same moment). A dispatch overshoots by at most the instruction (and exit) it ended in; the overshoot is taken
/// from the partition's next window, so over many windows it gets its share to within one dispatch. Cycles a
/// partition leaves unused because its processors halted are lost to the window (the pool's idle cycles).
/// Everything runs in partition, processor and core order: the same machine gives the same counters.
/// </summary>
public sealed class ProcessorDispatcher
{
    /// <summary>POWER's dispatch window, 10 ms, at the <see cref="VirtualClock"/>.</summary>
    public const ulong DefaultWindowCycles = 10 * VirtualClock.CyclesPerMillisecond;

    /// <summary>The shortest window: 100 cycles, so that 0.01 units of it is a whole cycle.</summary>
    public const ulong MinimumWindowCycles = 100;

    private readonly PartitionFirmware firmware;
    private readonly SharedProcessorPool pool;
    // Cycles a partition used beyond its allotment, taken from its next window.
    private readonly Dictionary<LogicalPartition, ulong> debt = [];
    // Where the wrap-around is in the current window: the pool core being filled and the cycles on it.
    private int fillCore;
    private ulong fill;

    internal ProcessorDispatcher(PartitionFirmware firmware, SharedProcessorPool pool, IReadOnlyList<Core> cores, ulong windowCycles)
    {
        if (windowCycles < MinimumWindowCycles || windowCycles % 100 != 0)
        {
            throw new PartitionError($"shared processor pool: a dispatch window is a multiple of 100 cycles, at least {MinimumWindowCycles}, not {windowCycles}");
        }
        this.firmware = firmware;
        this.pool = pool;
        Cores = cores;
        WindowCycles = windowCycles;
    }

    /// <summary>The pool's physical cores.</summary>
    public IReadOnlyList<Core> Cores { get; }

    /// <summary>The length of a dispatch window in cycles.</summary>
    public ulong WindowCycles { get; }

    /// <summary>Windows dispatched so far.</summary>
    public long Windows { get; private set; }

    /// <summary>Cycles the pool's cores ran virtual processors for, over all windows.</summary>
    public ulong BusyCycles { get; private set; }

    /// <summary>Pool capacity (cores × window, over all windows) that no virtual processor used: what partitions
    /// ceded and no uncapped one could take, less what overshoots borrowed from later windows.</summary>
    public ulong IdleCycles => (ulong)Windows * (ulong)Cores.Count * WindowCycles - Math.Min((ulong)Windows * (ulong)Cores.Count * WindowCycles, BusyCycles);

    /// <summary>The share each micro-partition got in the last window, in partition order.</summary>
    public IReadOnlyList<PoolShare> LastShares { get; private set; } = [];

    /// <summary>Checks that a partition with <paramref name="processing"/> can join the pool (its numbers in range,
    /// the entitlements within the pool); throws <see cref="PartitionError"/> saying why not.</summary>
    internal void Admit(SharedPartition processing) =>
        pool.Distribute([.. Members().Select(p => p.Processing!), processing]);

    /// <summary>Dispatches <paramref name="windows"/> windows.</summary>
    public void Run(int windows)
    {
        if (windows < 0) throw new PartitionError($"shared processor pool: run 0 or more dispatch windows, not {windows}");
        for (var w = 0; w < windows; w++) RunWindow();
    }

    private List<LogicalPartition> Members() => [.. firmware.Partitions.Where(p => p.Processing is not null)];

    private void RunWindow()
    {
        var members = Members();
        // A partition released since the last window leaves no debt behind.
        foreach (var gone in debt.Keys.Where(p => !members.Contains(p)).ToList()) debt.Remove(gone);
        var runnable = members.Select(p => p.State == PartitionState.Running ? p.CoreList.Where(c => !c.Halted).ToList() : []).ToList();
        var shares = pool.Distribute([.. members.Select((p, i) => p.Processing! with { Demand = runnable[i].Count })]);
        fillCore = 0;
        fill = 0;
        for (var i = 0; i < members.Count; i++)
        {
            var partition = members[i];
            // Shares are whole hundredths of a unit, so the allotment is exact in cycles.
            var allotted = (ulong)Math.Round(shares[i].Total * 100) * (WindowCycles / 100);
            debt.TryGetValue(partition, out var owed);
            var budget = allotted - Math.Min(allotted, owed);
            owed -= Math.Min(allotted, owed);
            var processors = runnable[i];
            ulong consumed = 0;
            for (var j = 0; j < processors.Count; j++)
            {
                var target = budget / (ulong)processors.Count + ((ulong)j < budget % (ulong)processors.Count ? 1UL : 0UL);
                consumed += Dispatch(partition, processors[j], target);
            }
            partition.DispatchedCycles += consumed;
            BusyCycles += consumed;
            debt[partition] = owed + (consumed > budget ? consumed - budget : 0);
        }
        LastShares = shares;
        Windows++;
    }

    // Runs a virtual processor for about `target` cycles on the pool's cores, from where the window's fill is,
    // moving on to the next core when one's window is full; returns the cycles it used.
    private ulong Dispatch(LogicalPartition partition, PartitionCore processor, ulong target)
    {
        ulong consumed = 0;
        while (consumed < target && !processor.Halted && partition.State == PartitionState.Running)
        {
            if (fill >= WindowCycles && fillCore < Cores.Count - 1)
            {
                fillCore++;
                fill = 0;
            }
            var room = fill >= WindowCycles ? target - consumed : Math.Min(target - consumed, WindowCycles - fill);
            var ran = RunOn(partition, processor, Cores[fillCore], room);
            consumed += ran;
            fill += ran;
        }
        return consumed;
    }

    // One dispatch: the processor's state enters the core, runs until it has used `cycles` (give or take the last
    // instruction) or halts, and leaves it, so that the core can take another partition's processor.
    private ulong RunOn(LogicalPartition partition, PartitionCore processor, Core core, ulong cycles)
    {
        processor.Core = core;
        var start = core.Counters.Cycles;
        long instructions = 0;
        while (!processor.Halted && partition.State == PartitionState.Running)
        {
            var spent = core.Counters.Cycles - start;
            if (spent >= cycles) break;
            // Budgets are in instructions: ask for what the cycles left buy at the rate seen so far (a quarter of
            // them before any is seen), so the dispatch ends close to its cycles and never far past them.
            var left = cycles - spent;
            var budget = instructions == 0 ? left / 4 : left * (ulong)instructions / Math.Max(1, spent) / 2;
            instructions += firmware.Slice(partition, processor, (long)Math.Max(1, Math.Min(budget, PartitionFirmware.Quantum)));
        }
        core.RecallGuest();
        return core.Counters.Cycles - start;
    }
}
