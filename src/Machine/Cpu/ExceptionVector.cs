namespace VirtualizationWorkbench.Machine.Cpu;

/// <summary>
/// Interrupt-table vectors with a fixed meaning. Exceptions use 0-31 (x86 numbering), device interrupts
/// 32-47 (IRQ line + 32); any vector may be raised by <c>int n</c> if its gate allows the caller's ring.
/// </summary>
public enum ExceptionVector : byte
{
    /// <summary>#DE: division by zero or quotient overflow. Faulting pc.</summary>
    DivideError = 0,
    /// <summary>#BP: the <c>brk</c> instruction. The saved pc is after it.</summary>
    Breakpoint = 3,
    /// <summary>#UD: undefined opcode or operand (a control register that does not exist).</summary>
    InvalidOpcode = 6,
    /// <summary>#DF: an exception while delivering an exception. A fault while delivering #DF shuts the
    /// machine down (triple fault).</summary>
    DoubleFault = 8,
    /// <summary>#GP: a privileged instruction outside ring 0, <c>int n</c> through a gate the ring may not use,
    /// a fetch from memory that is not RAM.</summary>
    GeneralProtection = 13,
    /// <summary>#PF: error code bit 0 = protection violation (else not present), bit 1 = write, bit 2 = user
    /// mode, bit 4 = instruction fetch; cr2 = the address.</summary>
    PageFault = 14,
    /// <summary>First vector of the device interrupt lines (IRQ 0 = timer).</summary>
    IrqBase = 32,
    /// <summary>Timer (IRQ 0).</summary>
    Timer = 32,
    /// <summary>Serial console input (IRQ 1).</summary>
    Console = 33,
    /// <summary>Block disk completion (IRQ 2).</summary>
    Disk = 34,
    /// <summary>Network card frame received (IRQ 3).</summary>
    Network = 35,
    /// <summary>Conventional system-call vector (<c>int 0x80</c>).</summary>
    SystemCall = 0x80,
}

/// <summary>Bits of the page-fault error code.</summary>
public static class PageFaultError
{
    /// <summary>The page was present: the fault is a protection violation.</summary>
    public const uint Present = 1;
    /// <summary>The access was a write.</summary>
    public const uint Write = 2;
    /// <summary>The access came from ring 3.</summary>
    public const uint User = 4;
    /// <summary>The access was an instruction fetch.</summary>
    public const uint Fetch = 16;
}
