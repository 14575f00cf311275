using VirtualizationWorkbench.Machine.Cpu;

namespace VirtualizationWorkbench.Machine.Virtualization.Emulation;

/// <summary>
/// The privileged state a deprivileged guest kernel believes it has: the interrupt flag, its ring, its control
/// registers and its interrupt table. A software monitor keeps it here; the real processor runs the guest in a
/// less privileged ring with the monitor's own settings.
/// </summary>
public sealed class VirtualCpu
{
    /// <summary>The guest's interrupt flag.</summary>
    public bool InterruptsEnabled { get; set; }

    /// <summary>The ring the guest believes it runs in: 0 for its kernel, 3 for its user programs.</summary>
    public int Ring { get; set; }

    /// <summary>The guest's cr0 (bit 0: paging on).</summary>
    public uint Cr0 { get; set; }

    /// <summary>The guest's cr2: the address of its last page fault.</summary>
    public uint Cr2 { get; set; }

    /// <summary>The guest's cr3: its page directory, a guest-physical address.</summary>
    public uint Cr3 { get; set; }

    /// <summary>The guest's ksp: where traps from its user programs put their frame.</summary>
    public uint Ksp { get; set; }

    /// <summary>The guest's task priority.</summary>
    public uint Cr8 { get; set; }

    /// <summary>The guest's interrupt-table base, a guest-virtual address.</summary>
    public uint Idtr { get; set; }

    /// <summary>Virtual interrupt lines raised and not yet delivered (bit n = IRQ n).</summary>
    public uint PendingInterrupts { get; set; }

    /// <summary>The guest executed hlt and waits for an interrupt.</summary>
    public bool Halted { get; set; }

    /// <summary>Whether the guest has paging on.</summary>
    public bool PagingEnabled => (Cr0 & ControlRegister.PagingEnabled) != 0;

    /// <summary>The flags as the guest should see them: the real arithmetic flags with the virtual interrupt
    /// flag and ring.</summary>
    public uint GuestFlags(uint realFlags) =>
        (realFlags & Flags.Arithmetic) | (InterruptsEnabled ? Flags.IF : 0) | ((uint)Ring << Flags.CplShift);
}
