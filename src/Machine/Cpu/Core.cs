using VirtualizationWorkbench.Machine.Costs;
using VirtualizationWorkbench.Machine.Cpu;
using VirtualizationWorkbench.Machine.Debugging;
using VirtualizationWorkbench.Machine.Memory;

namespace VirtualizationWorkbench.Machine;

/// <summary>
/// One processor core of a <see cref="Computer"/>. Host code drives it as KVM drives a virtual CPU:
/// <see cref="Run(long)"/> executes until something needs the host and returns why. The mechanisms live in one
/// file each: the decode/execute loop (<c>Cpu/Execute.cs</c>), exception delivery (<c>Cpu/Traps.cs</c>),
/// address translation (<c>Memory/Mmu.cs</c>) and the virtualization extension
/// (<c>Virtualization/HardwareAssist.cs</c>).
/// </summary>
public sealed partial class Core
{
    private readonly Computer machine;
    private readonly byte[] ram;
    private CpuState state;
    private uint[] opCost;
    private CostTable costs;
    private bool halted;
    private uint irqPending;
    private volatile bool stopRequested;
    private int pendingIoRegister = -1;
    private uint pendingIoValue = 0xFFFF_FFFF;
    private RunExit pendingExit;

    internal Core(Computer machine, int index, CostTable costs)
    {
        this.machine = machine;
        Index = index;
        ram = machine.Memory.Bytes;
        this.costs = costs;
        opCost = costs.PerOpcode();
        windowSize = machine.Memory.Size;
        Reset(0);
    }

    /// <summary>The machine this core belongs to.</summary>
    public Computer Machine => machine;

    /// <summary>This core's index in the machine (what <c>cpuid</c> returns).</summary>
    public int Index { get; }

    /// <summary>The architectural state: registers, pc, flags, control registers. Writable by the host.</summary>
    public ref CpuState State => ref state;

    /// <summary>The counters of this core.</summary>
    public Counters Counters { get; } = new();

    /// <summary>The cost table charging this core.</summary>
    public CostTable Costs
    {
        get => costs;
        set
        {
            costs = value;
            opCost = value.PerOpcode();
            FlushTranslations();
        }
    }

    /// <summary>The core's local timer.</summary>
    public LocalTimer Timer { get; } = new();

    /// <summary>Recent traps, interrupts, faults and exits.</summary>
    public EventTrace Trace { get; } = new();

    /// <summary>Whether the core is halted (waiting for an interrupt).</summary>
    public bool Halted => halted;

    /// <summary>Interrupt lines raised and not yet delivered (bit n = IRQ n).</summary>
    public uint PendingInterrupts => irqPending;

    /// <summary>
    /// Exceptions (bit v = vector v, 0-31) that leave the core as <see cref="ExitReason.Trap"/> instead of going
    /// through the guest's interrupt table: how a trap-and-emulate monitor catches a deprivileged kernel's
    /// privileged instructions and page faults.
    /// </summary>
    public uint InterceptedExceptions { get; set; }

    /// <summary>Software interrupts (<c>int n</c>, n ≥ 32) leave the core as traps instead of being delivered.</summary>
    public bool InterceptSoftwareInterrupts { get; set; }

    /// <summary>Device interrupts leave the core as <see cref="ExitReason.Interrupt"/> instead of being
    /// delivered: the host decides what the guest sees.</summary>
    public bool InterceptInterrupts { get; set; }

    /// <summary>Resets registers, flags and control registers; the core starts in ring 0, interrupts off,
    /// paging off, at <paramref name="entry"/>, with the stack at the top of its memory (64 KiB lower per
    /// core index).</summary>
    public void Reset(uint entry)
    {
        state = default;
        state.Pc = entry;
        state.R[15] = windowSize - (uint)Index * 0x10000;
        halted = false;
        irqPending = 0;
        pendingIoRegister = -1;
        FlushTlb();
    }

    /// <summary>Starts a halted or fresh core at <paramref name="entry"/> without touching other state
    /// (how firmware starts a partition's processor).</summary>
    public void Start(uint entry)
    {
        state.Pc = entry;
        halted = false;
    }

    /// <summary>Asks <see cref="Run(long)"/> to return <see cref="ExitReason.Stopped"/> soon — within
    /// 65,536 instructions, whatever the budget; safe from another thread. A request made
    /// while no run is in progress ends the next run before its first instruction.</summary>
    public void RequestStop() => stopRequested = true;

    /// <summary>Answers the last <see cref="ExitReason.IoIn"/> or <see cref="ExitReason.Mmio"/> read: the value
    /// lands in the instruction's destination register when <see cref="Run(long)"/> is next called.</summary>
    public void CompleteIo(uint value) => pendingIoValue = value;

    /// <summary>Raises interrupt line <paramref name="line"/> (0-15) on this core.</summary>
    public void RaiseInterrupt(int line)
    {
        if ((uint)line >= 16) throw new ArgumentOutOfRangeException(nameof(line), line, "interrupt lines are 0-15");
        irqPending |= 1u << line;
    }

    /// <summary>Charges <paramref name="cycles"/> virtual cycles: monitors call this for the work they do
    /// in host code (emulating an instruction, walking a table), so techniques compare honestly.</summary>
    public void Charge(ulong cycles) => Counters.Cycles += cycles;

    /// <summary>
    /// Runs at most <paramref name="budget"/> instructions and returns why it stopped. The host's answer to
    /// the previous exit (<see cref="CompleteIo"/>, register changes) is taken now.
    /// </summary>
    public RunExit Run(long budget)
    {
        var hooks = default(NoHooks);
        return Run(budget, ref hooks);
    }

    /// <summary>
    /// Runs like <see cref="Run(long)"/>, asking <paramref name="hooks"/> before every instruction whether to stop
    /// there: how the debugger stops at breakpoints and a binary-translation monitor at untranslated code. The loop
    /// is compiled once per hook type (a struct), so the core knows nothing of what the hooks consult and a run
    /// without them pays nothing.
    /// </summary>
    public RunExit Run<THooks>(long budget, ref THooks hooks) where THooks : struct, IExecutionHooks
    {
        if (budget < 0) throw new ArgumentOutOfRangeException(nameof(budget), budget, "the budget cannot be negative");
        if (pendingIoRegister >= 0)
        {
            state.R[pendingIoRegister] = pendingIoValue;
            pendingIoRegister = -1;
        }
        pendingIoValue = 0xFFFF_FFFF;
        NoteHostMayHaveWritten();
        if (injectOnRun && InjectPendingEvent())
        {
            return pendingExit;
        }
        var c = Counters;
        var stopAt = c.Instructions + (ulong)budget;
        while (true)
        {
            if (stopRequested)
            {
                stopRequested = false;
                return Leave(new RunExit { Reason = ExitReason.Stopped, Pc = state.Pc });
            }
            if (c.Cycles >= Timer.NextFire)
            {
                Timer.Fired(c.Cycles);
                irqPending |= 1u << LocalTimer.Irq;
            }
            if (irqPending != 0 && (state.Flags & Flags.IF) != 0 && DeliverPendingInterrupt())
            {
                return pendingExit;
            }
            if (halted)
            {
                // Waiting for an interrupt: time passes until the timer fires, if it can reach the core.
                if ((state.Flags & Flags.IF) != 0 && Timer.Armed)
                {
                    c.HaltedCycles += Timer.NextFire - c.Cycles;
                    c.Cycles = Timer.NextFire;
                    continue;
                }
                return Leave(new RunExit { Reason = ExitReason.Halt, Pc = state.Pc - 4, PcAdvanced = true });
            }
            if (c.Instructions >= stopAt)
            {
                return Leave(new RunExit { Reason = ExitReason.BudgetSpent, Pc = state.Pc });
            }
            // The slice (up to the timer, an instruction that changes what may interrupt, or the budget) runs in
            // chunks, so that a stop requested from another thread is seen within StopCheckInterval instructions
            // even when the slice is the whole budget (timer off). Between chunks only the stop flag is looked
            // at: a run that nobody stops executes exactly as it would in one piece, counters included.
            bool chunkOver;
            do
            {
                var stopInstructions = Math.Min(stopAt, c.Instructions + StopCheckInterval);
                // The translator keeps the interpreter's contract; a run with hooks always interprets.
                bool exited;
                if (translation is null || typeof(THooks) != typeof(NoHooks))
                {
                    exited = Execute(ref hooks, stopInstructions, Timer.NextFire);
                }
                else if (c.Instructions < translation.WarmupEnd)
                {
                    // The translator's warm-up: the interpreter's loop up to its end (an instruction bound, like a
                    // chunk's); the dispatcher starts with the next chunk.
                    var before = c.Instructions;
                    exited = Execute(ref hooks, Math.Min(stopInstructions, translation.WarmupEnd), Timer.NextFire);
                    translation.InterpretedInstructions += (long)(c.Instructions - before);
                }
                else
                {
                    exited = ExecuteTranslated(stopInstructions, Timer.NextFire);
                }
                if (exited)
                {
                    return pendingExit;
                }
                chunkOver = instructionsRanOut && c.Instructions < stopAt;
            }
            while (chunkOver && !stopRequested);
        }
    }

    /// <summary>Instructions run between two looks at the stop flag, at most: a fraction of a millisecond of host
    /// time at this interpreter's speed (even on the slow paths), and one comparison per 65,536 instructions.</summary>
    private const ulong StopCheckInterval = 1 << 16;

    // Set by Execute when it returns false (see there).
    private bool instructionsRanOut;

    /// <summary>Counts an exit, records it in the trace and returns it.</summary>
    private RunExit Leave(RunExit exit)
    {
        exit = exit with { Core = Index };
        Counters.Exits[(int)exit.Reason]++;
        if (exit.Reason is not (ExitReason.BudgetSpent or ExitReason.Stopped))
        {
            Trace.Record(new TraceEvent(Counters.Cycles, Index, TraceEventKind.Exit, exit.Pc, (int)exit.Reason, exit.Address));
        }
        pendingExit = exit;
        return exit;
    }

    /// <summary>Saves the core's whole state for a snapshot.</summary>
    internal void Save(BinaryWriter w)
    {
        for (var i = 0; i < 16; i++) w.Write(state.R[i]);
        w.Write(state.Pc); w.Write(state.Flags); w.Write(state.Cr0); w.Write(state.Cr2); w.Write(state.Cr3);
        w.Write(state.Ksp); w.Write(state.Cr8); w.Write(state.Idtr);
        w.Write(halted); w.Write(irqPending); w.Write(pendingIoRegister);
        w.Write(windowBase); w.Write(windowSize);
        w.Write(InterceptedExceptions); w.Write(InterceptSoftwareInterrupts); w.Write(InterceptInterrupts);
        Timer.Save(w);
        var c = Counters;
        w.Write(c.Instructions); w.Write(c.Cycles); w.Write(c.HaltedCycles); w.Write(c.TlbHits); w.Write(c.TlbMisses);
        w.Write(c.PageFaults); w.Write(c.Interrupts);
        foreach (var v in c.Traps) w.Write(v);
        foreach (var v in c.Exits) w.Write(v);
        foreach (var v in c.VmExits) w.Write(v);
        // The TLB is a cache, but what it holds decides future hits, misses and cycles: it is saved so a
        // restored machine continues with exactly the counters the original would have had.
        for (var i = 0; i < TlbEntries; i++)
        {
            w.Write(tlbTag[i]); w.Write(tlbFrame[i]); w.Write(tlbPerm[i]);
        }
        w.Write(fetchPage); w.Write(fetchFrame);
    }

    /// <summary>Restores what <see cref="Save"/> wrote, TLB included.</summary>
    internal void Restore(BinaryReader r)
    {
        for (var i = 0; i < 16; i++) state.R[i] = r.ReadUInt32();
        state.Pc = r.ReadUInt32(); state.Flags = r.ReadUInt32(); state.Cr0 = r.ReadUInt32(); state.Cr2 = r.ReadUInt32();
        state.Cr3 = r.ReadUInt32(); state.Ksp = r.ReadUInt32(); state.Cr8 = r.ReadUInt32(); state.Idtr = r.ReadUInt32();
        halted = r.ReadBoolean(); irqPending = r.ReadUInt32(); pendingIoRegister = r.ReadInt32();
        windowBase = r.ReadUInt32(); windowSize = r.ReadUInt32();
        InterceptedExceptions = r.ReadUInt32(); InterceptSoftwareInterrupts = r.ReadBoolean(); InterceptInterrupts = r.ReadBoolean();
        Timer.Restore(r);
        var c = Counters;
        c.Instructions = r.ReadUInt64(); c.Cycles = r.ReadUInt64(); c.HaltedCycles = r.ReadUInt64(); c.TlbHits = r.ReadUInt64();
        c.TlbMisses = r.ReadUInt64(); c.PageFaults = r.ReadUInt64(); c.Interrupts = r.ReadUInt64();
        for (var i = 0; i < c.Traps.Length; i++) c.Traps[i] = r.ReadUInt64();
        for (var i = 0; i < c.Exits.Length; i++) c.Exits[i] = r.ReadUInt64();
        for (var i = 0; i < c.VmExits.Length; i++) c.VmExits[i] = r.ReadUInt64();
        for (var i = 0; i < TlbEntries; i++)
        {
            tlbTag[i] = r.ReadUInt32(); tlbFrame[i] = r.ReadInt32(); tlbPerm[i] = r.ReadByte();
        }
        fetchPage = r.ReadUInt32(); fetchFrame = r.ReadInt32();
    }
}
