using System.Text;
using VirtualizationWorkbench.Machine;
using VirtualizationWorkbench.Machine.Assembler;
using VirtualizationWorkbench.Machine.Cpu;
using VirtualizationWorkbench.Machine.Virtualization.Emulation;

namespace VirtualizationWorkbench.Labs.TrapAndEmulate.Grading;

/// <summary>How a deprivileged guest's run ended.</summary>
public enum GuestEnd
{
    /// <summary>The guest executed hlt (emulated).</summary>
    Halted,
    /// <summary>A trap the emulator did not take; see the reason.</summary>
    Failed,
    /// <summary>The budget of instructions ran out.</summary>
    OutOfBudget,
}

/// <summary>
/// A guest kernel deprivileged to ring 1, the way a trap-and-emulate monitor runs it (it lives with the grading tests; you
/// write <see cref="PrivilegedEmulator"/>). Every exception comes to the host; a general-protection fault in
/// ring 1 means the guest tried a privileged instruction, and the monitor hands it to the emulator.
/// </summary>
public sealed class DeprivilegedGuest
{
    /// <summary>Loads <paramref name="source"/> and starts it in ring 1, interrupts on in reality (the guest's
    /// own interrupt flag is on the virtual CPU, off at start).</summary>
    public DeprivilegedGuest(string source)
    {
        Computer = new Computer(new MachineConfiguration { MemorySize = 1024 * 1024 });
        Computer.Load(Assembler.AssembleText(source, "guest.s"));
        Core = Computer.Cores[0];
        Core.State.Flags = 1u << Flags.CplShift | Flags.IF;
        Core.InterceptedExceptions = 0xFFFF_FFFF;
        Core.InterceptSoftwareInterrupts = true;
    }

    /// <summary>The machine.</summary>
    public Computer Computer { get; }

    /// <summary>The core running the guest.</summary>
    public Core Core { get; }

    /// <summary>What the guest believes about itself.</summary>
    public VirtualCpu Vcpu { get; } = new();

    /// <summary>The guest's virtual interrupt flag after each instruction the emulator performed, '1' on and '0'
    /// off: the history a monitor's interrupt delivery would have seen.</summary>
    public string InterruptFlagTrace => trace.ToString();

    private readonly StringBuilder trace = new();

    /// <summary>Runs the guest with <paramref name="emulator"/> until it halts, fails or spends the budget.</summary>
    public (GuestEnd End, string? Reason) Run(PrivilegedEmulator emulator, long budget = 100_000)
    {
        var end = Core.Counters.Instructions + (ulong)budget;
        while (Core.Counters.Instructions < end)
        {
            var exit = Core.Run((long)(end - Core.Counters.Instructions));
            if (exit.Reason == ExitReason.BudgetSpent) continue;
            if (exit is not { Reason: ExitReason.Trap, Vector: (int)ExceptionVector.GeneralProtection })
            {
                return (GuestEnd.Failed, $"unexpected {exit}");
            }
            var word = Computer.Memory.ReadWord(Core.State.Pc);
            if (!emulator.Emulate(Core, Vcpu, word))
            {
                return (GuestEnd.Failed, $"not emulated: {Disassembler.Decode(Core.State.Pc, word, 0).Text} at 0x{Core.State.Pc:x8}");
            }
            trace.Append(Vcpu.InterruptsEnabled ? '1' : '0');
            if (Vcpu.Halted) return (GuestEnd.Halted, null);
        }
        return (GuestEnd.OutOfBudget, null);
    }
}
