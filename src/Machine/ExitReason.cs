namespace VirtualizationWorkbench.Machine;

/// <summary>Why <see cref="Core.Run(long)"/> returned control to its host: the KVM_RUN exit reasons of this
/// machine.</summary>
public enum ExitReason
{
    /// <summary>The budget of instructions is spent; the pc is at the next instruction to run.</summary>
    BudgetSpent,
    /// <summary><c>hlt</c> with nothing that can wake the core (interrupts off, or no timer armed and no
    /// interrupt pending). The pc is past the <c>hlt</c>.</summary>
    Halt,
    /// <summary><c>in</c> from a port no device claims. The pc is past the instruction; answer with
    /// <see cref="Core.CompleteIo"/> before the next <c>Run</c> (unanswered reads see 0xFFFFFFFF).</summary>
    IoIn,
    /// <summary><c>out</c> to a port no device claims. The pc is past the instruction.</summary>
    IoOut,
    /// <summary>A data access to a physical address that is neither RAM nor a device. The pc is past the
    /// instruction; answer reads with <see cref="Core.CompleteIo"/>.</summary>
    Mmio,
    /// <summary>An exception the host intercepts (<see cref="Core.InterceptedExceptions"/>), e.g. a privileged
    /// instruction in a deprivileged guest kernel. Faults leave the pc at the instruction; software interrupts
    /// (<c>int</c>, <c>brk</c>) leave it past.</summary>
    Trap,
    /// <summary>A device interrupt the host intercepts (<see cref="Core.InterceptInterrupts"/>); the guest's
    /// pc is unchanged.</summary>
    Interrupt,
    /// <summary><c>vmcall</c> in root mode: a hypercall to host code. The pc is past the instruction;
    /// r0 holds the number, r1-r3 the arguments, and the host's result goes in r0. The core charges only the
    /// instruction: the host that serves the call charges what serving it costs.</summary>
    Hypercall,
    /// <summary>A VM exit from non-root mode; the reason and qualification are in the exit and in the
    /// <see cref="Virtualization.VirtualMachineControl"/>. The core is back in root mode.</summary>
    VmExit,
    /// <summary>The debugger's breakpoint (pc not yet executed), or <c>brk</c> with no handler installed
    /// (pc past it).</summary>
    Breakpoint,
    /// <summary>A watched memory word changed; the pc is past the instruction that changed it.</summary>
    Watchpoint,
    /// <summary>The binary-translation hook stopped before <c>Pc</c>: code not yet translated, or a callout site
    /// (see <see cref="Virtualization.TranslationHooks"/>). The pc has not moved.</summary>
    Translation,
    /// <summary>A fault while delivering a double fault (triple fault): the machine stops. See the message.</summary>
    Shutdown,
    /// <summary>The host asked the core to stop (<see cref="Core.RequestStop"/>).</summary>
    Stopped,
}

/// <summary>Helpers over <see cref="ExitReason"/>.</summary>
public static class ExitReasons
{
    /// <summary>The number of exit reasons (for counter arrays).</summary>
    public const int Count = (int)ExitReason.Stopped + 1;
}
