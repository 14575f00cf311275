using VirtualizationWorkbench.Machine.Cpu;
using VirtualizationWorkbench.Machine.Snapshots;

namespace VirtualizationWorkbench.Machine.Debugging;

/// <summary>Where a watchpoint fired: the word, its old and new value, and the instruction that changed it.</summary>
public readonly record struct WatchHit(uint Address, uint OldValue, uint NewValue, uint ChangedBy);

/// <summary>
/// A debugger for one core of a machine: single-step, run to a breakpoint or watchpoint, step back, and the
/// event trace. Step-back restores the nearest checkpoint and re-runs forward, which is exact because the
/// machine is deterministic; input the host fed in between (console, network) is not replayed. The other
/// cores do not run while this debugger drives its core.
/// </summary>
public sealed class Debugger
{
    private readonly Computer computer;
    // Each checkpoint with how many trace events had been recorded then, so that the trace rewinds with the machine.
    private readonly SortedList<ulong, (byte[] Snapshot, long TraceTotal)> checkpoints = [];
    private readonly Dictionary<uint, uint> watches = [];

    /// <summary>Attaches to core <paramref name="coreIndex"/>; a checkpoint is kept every
    /// <paramref name="checkpointInterval"/> instructions for step-back.</summary>
    public Debugger(Computer computer, int coreIndex = 0, long checkpointInterval = 10_000)
    {
        if (checkpointInterval < 1) throw new ArgumentOutOfRangeException(nameof(checkpointInterval), "must be at least 1");
        this.computer = computer;
        Core = computer.Cores[coreIndex];
        CheckpointInterval = checkpointInterval;
        Checkpoint();
    }

    /// <summary>The core being debugged.</summary>
    public Core Core { get; }

    /// <summary>Instructions between automatic checkpoints.</summary>
    public long CheckpointInterval { get; }

    /// <summary>Addresses where <see cref="Continue"/> stops before executing.</summary>
    public ISet<uint> Breakpoints { get; } = new HashSet<uint>();

    /// <summary>The last watchpoint that fired, if the last stop was one.</summary>
    public WatchHit? LastWatchHit { get; private set; }

    /// <summary>Instructions the core has executed (the debugger's clock).</summary>
    public ulong Time => Core.Counters.Instructions;

    /// <summary>Recent traps, interrupts, page faults and exits of the core.</summary>
    public IReadOnlyList<TraceEvent> Events => Core.Trace.Snapshot();

    /// <summary>Stops <see cref="Continue"/> when the word at linear address <paramref name="address"/> changes.</summary>
    public void Watch(uint address) => watches[address] = Read(address);

    /// <summary>Removes a watchpoint.</summary>
    public bool Unwatch(uint address) => watches.Remove(address);

    /// <summary>The watched addresses.</summary>
    public IReadOnlyCollection<uint> Watchpoints => watches.Keys;

    /// <summary>Executes one instruction (a breakpoint at the current pc does not stop it).</summary>
    public RunExit Step() => RunHooked(1, stopAtBreakpointHere: false);

    /// <summary>
    /// Runs until a breakpoint, a watchpoint, an exit, or <paramref name="budget"/> instructions. A breakpoint at
    /// the current pc is stepped over, so calling it again after a breakpoint moves on.
    /// </summary>
    public RunExit Continue(long budget = long.MaxValue) => RunHooked(budget, stopAtBreakpointHere: false);

    /// <summary>Runs until the pc reaches <paramref name="address"/> (run to cursor).</summary>
    public RunExit RunTo(uint address, long budget = long.MaxValue)
    {
        var added = Breakpoints.Add(address);
        try
        {
            return Continue(budget);
        }
        finally
        {
            if (added) Breakpoints.Remove(address);
        }
    }

    /// <summary>Goes back <paramref name="instructions"/> instructions. Returns false if the history does not
    /// reach that far (the machine is then at the oldest checkpoint).</summary>
    public bool StepBack(long instructions = 1)
    {
        var now = Time;
        return GoTo(now >= (ulong)instructions ? now - (ulong)instructions : 0);
    }

    // Puts the machine at instruction `target` of its history: restores the nearest checkpoint at or before it and
    // replays to it. False if the history does not reach that far (the machine is then at the oldest checkpoint).
    private bool GoTo(ulong target)
    {
        var at = -1;
        for (var i = checkpoints.Count - 1; i >= 0; i--)
        {
            if (checkpoints.Keys[i] <= target)
            {
                at = i;
                break;
            }
        }
        var reachable = at >= 0;
        if (!reachable) at = 0;
        MachineSnapshot.Restore(computer, checkpoints.Values[at].Snapshot);
        Core.Trace.RewindTo(checkpoints.Values[at].TraceTotal);
        var remaining = (long)(target - Math.Min(target, checkpoints.Keys[at]));
        if (reachable && remaining > 0)
        {
            Core.Run(remaining);
        }
        // Later checkpoints belong to a future that is about to be rewritten.
        while (checkpoints.Count > at + 1) checkpoints.RemoveAt(checkpoints.Count - 1);
        foreach (var address in watches.Keys.ToList()) watches[address] = Read(address);
        LastWatchHit = null;
        return reachable && Time == target;
    }

    /// <summary>
    /// Goes back to the last time, before now, that the pc reached a breakpoint (reverse-continue, as gdb's
    /// <c>reverse-continue</c> on a recorded run). The history is replayed from checkpoint to checkpoint, newest
    /// first, to find that moment, then the machine steps back to it exactly. Returns false, with the machine
    /// unchanged, when no breakpoint was reached within the history.
    /// </summary>
    public bool ReverseContinue()
    {
        var now = Time;
        if (Breakpoints.Count == 0 || checkpoints.Count == 0) return false;
        ulong? found = null;
        // Each window runs from a checkpoint to the next one (the last to now); replaying it cannot change the
        // future, because the machine is deterministic, and GoTo below puts everything back.
        for (var i = checkpoints.Count - 1; i >= 0 && found is null; i--)
        {
            var start = checkpoints.Keys[i];
            if (start >= now) continue;
            var end = i + 1 < checkpoints.Count ? Math.Min(checkpoints.Keys[i + 1], now) : now;
            MachineSnapshot.Restore(computer, checkpoints.Values[i].Snapshot);
            while (Time < end)
            {
                if (Breakpoints.Contains(Core.State.Pc)) found = Time;
                var hooks = new DebugHooks(this, skipBreakpointAt: Core.State.Pc, watching: false);
                var exit = Core.Run((long)(end - Time), ref hooks);
                if (exit.Reason is not (ExitReason.Breakpoint or ExitReason.BudgetSpent)) break;
            }
        }
        // The windows above moved the machine: to the breakpoint, or back to now.
        GoTo(found ?? now);
        return found is not null;
    }

    /// <summary>Reads the word at a linear address as the core sees it (0 if unmapped).</summary>
    public uint Read(uint address)
    {
        Span<byte> b = stackalloc byte[4];
        return Core.ReadVirtual(address, b) == 4 ? BitConverter.ToUInt32(b) : 0;
    }

    /// <summary>Writes the word at a linear address; returns false if it is not mapped.</summary>
    public bool Write(uint address, uint value) => Core.WriteVirtual(address, BitConverter.GetBytes(value)) == 4;

    private RunExit RunHooked(long budget, bool stopAtBreakpointHere)
    {
        LastWatchHit = null;
        var hooks = new DebugHooks(this, skipBreakpointAt: stopAtBreakpointHere ? null : Core.State.Pc);
        RunExit exit;
        do
        {
            var slice = Math.Min(budget, CheckpointInterval - (long)(Time % (ulong)CheckpointInterval));
            var before = Time;
            exit = Core.Run(slice, ref hooks);
            budget -= (long)(Time - before);
            if (Time % (ulong)CheckpointInterval == 0 && !checkpoints.ContainsKey(Time)) Checkpoint();
        }
        while (exit.Reason == ExitReason.BudgetSpent && budget > 0);
        if (exit.Reason == ExitReason.Watchpoint) LastWatchHit = hooks.Hit;
        return exit;
    }

    private void Checkpoint()
    {
        checkpoints[Time] = (MachineSnapshot.Capture(computer), Core.Trace.Total);
    }

    // Breakpoints always; watchpoints only when watching (a reverse-continue's replay must not move them on).
    private struct DebugHooks(Debugger debugger, uint? skipBreakpointAt, bool watching = true) : IExecutionHooks
    {
        private uint? skip = skipBreakpointAt;
        private uint lastPc = debugger.Core.State.Pc;
        public WatchHit? Hit;

        public bool StopBefore(Core core, uint pc, out ExitReason reason)
        {
            if (watching)
            {
                foreach (var (address, old) in debugger.watches)
                {
                    var now = debugger.Read(address);
                    if (now != old)
                    {
                        debugger.watches[address] = now;
                        Hit = new WatchHit(address, old, now, lastPc);
                        reason = ExitReason.Watchpoint;
                        return true;
                    }
                }
            }
            lastPc = pc;
            if (skip == pc)
            {
                skip = null;
            }
            else if (debugger.Breakpoints.Contains(pc))
            {
                reason = ExitReason.Breakpoint;
                return true;
            }
            reason = default;
            return false;
        }
    }
}
