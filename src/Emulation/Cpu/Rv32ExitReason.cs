namespace VirtualizationWorkbench.Emulation.Cpu;

/// <summary>Why <see cref="Rv32Hart.Run"/> returned, in the style of the workbench core's run loop.</summary>
public enum Rv32ExitReason
{
    /// <summary>The budget of instructions is spent; the pc is at the next instruction to run.</summary>
    BudgetSpent,
    /// <summary>User mode: the guest made a system call (ecall); the pc has already moved past the ecall, the
    /// host handles a7/a0-a5 and puts the result in a0.</summary>
    SystemCall,
    /// <summary>System mode: the guest wrote <see cref="Rv32Exit.Value"/> to <c>tohost</c> (1: pass;
    /// (n &lt;&lt; 1) | 1: test n failed).</summary>
    ToHost,
    /// <summary>The guest did something no handler takes: in user mode any trap but ecall (the signal a Linux
    /// process would get), in system mode a trap whose vector is not mapped. The pc is at the instruction.</summary>
    GuestException,
}

/// <summary>One exit of <see cref="Rv32Hart.Run"/>: the reason, the pc, and for a guest exception its cause and
/// value (the bad address or instruction word); for <see cref="Rv32ExitReason.ToHost"/> the value written.</summary>
public readonly record struct Rv32Exit(Rv32ExitReason Reason, uint Pc, Rv32TrapCause Cause = 0, uint Value = 0);
