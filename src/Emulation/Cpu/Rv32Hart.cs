namespace VirtualizationWorkbench.Emulation.Cpu;

/// <summary>
/// One RV32IM hart (a RISC-V hardware thread): its state, its memory, and the run loop that hands guest
/// instructions to the chosen engine until something needs the host (a system call, <c>tohost</c>, a guest
/// exception) or the budget is spent. In system mode it also takes the machine timer's interrupt, between
/// slices of instructions, so that every engine sees the interrupt at the same instruction.
/// </summary>
public sealed class Rv32Hart
{
    /// <summary>A hart on <paramref name="memory"/>; <paramref name="systemMode"/> starts it in machine mode
    /// with CSRs and traps delivered to mtvec, otherwise it is a user-mode Linux process's hart whose traps
    /// exit to the host.</summary>
    public Rv32Hart(Rv32Memory memory, bool systemMode)
    {
        Memory = memory;
        SystemMode = systemMode;
        State.Privilege = systemMode ? 3u : 0u;
    }

    /// <summary>The architectural state; engines read and write it in place.</summary>
    public Rv32State State;

    /// <summary>What the hart addresses.</summary>
    public Rv32Memory Memory { get; }

    /// <summary>Machine mode, CSRs and trap delivery (true), or a user-mode process (false).</summary>
    public bool SystemMode { get; }

    /// <summary>mtimecmp of the machine timer (system mode): a timer interrupt is pending once mtime
    /// (<see cref="Rv32State.Instructions"/>) reaches it.</summary>
    public ulong TimerCompare { get; set; } = ulong.MaxValue;

    /// <summary>The block translator, when the hart runs translated code.</summary>
    public Translation.Rv32BlockTranslator? Translator { get; set; }

    /// <summary>The JavaScript engine, when the hart runs under Jint.</summary>
    public JavaScript.Rv32JavaScriptEngine? JavaScript { get; set; }

    /// <summary>Set by anything that may change when an interrupt is due (a CSR write, mret, a device store):
    /// the engines stop their slice so the run loop looks again.</summary>
    internal bool Recheck;

    /// <summary>The exit an engine recorded when it stopped early.</summary>
    internal Rv32Exit PendingExit;

    /// <summary>Resets registers and counters and starts at <paramref name="entry"/>.</summary>
    public void Reset(uint entry)
    {
        State = default;
        State.Pc = entry;
        State.Privilege = SystemMode ? 3u : 0u;
        TimerCompare = ulong.MaxValue;
    }

    /// <summary>Register x<paramref name="index"/>.</summary>
    public uint this[int index]
    {
        get => State.X[index];
        set { if (index != 0) State.X[index] = value; }
    }

    /// <summary>
    /// Runs at most <paramref name="budget"/> instructions and returns why it stopped. Deterministic: the same
    /// state and budget give the same exit and counters, whichever engine runs.
    /// </summary>
    public Rv32Exit Run(long budget)
    {
        var end = State.Instructions + (ulong)Math.Max(0, budget);
        while (true)
        {
            if (SystemMode && TimerInterruptDue())
            {
                if (!Rv32Traps.Deliver(this, Rv32TrapCause.MachineTimerInterrupt, 0)) return PendingExit;
            }
            if (State.Instructions >= end) return new Rv32Exit(Rv32ExitReason.BudgetSpent, State.Pc);
            var slice = end - State.Instructions;
            if (SystemMode && TimerEnabled() && TimerCompare > State.Instructions)
            {
                slice = Math.Min(slice, TimerCompare - State.Instructions);
            }
            Recheck = false;
            var stopped = Translator is { } translator ? translator.Run(this, slice)
                : JavaScript is { } script ? script.Run(this, slice)
                : Rv32Interpreter.Run(this, slice);
            if (stopped) return PendingExit;
        }
    }

    // A machine-level interrupt is taken in M mode only when mstatus.MIE is set, and always in U mode.
    private bool TimerEnabled() => (State.Mie & Rv32Csrs.MieTimer) != 0 && (State.Privilege < 3 || (State.Mstatus & Rv32Csrs.MstatusMie) != 0);

    private bool TimerInterruptDue() => TimerEnabled() && State.Instructions >= TimerCompare;
}
