namespace VirtualizationWorkbench.Machine.Virtualization.Paravirtualization;

/// <summary>
/// The hypercall interface of the paravirtual hypervisor: <c>vmcall</c> with the number in r0 and arguments in
/// r1-r2; the result comes back in r0 (0 for success, 0xFFFFFFFF when refused). Modelled on Xen's.
/// </summary>
public enum Hypercall : uint
{
    /// <summary>Print the byte in r1 on the console.</summary>
    ConsoleWrite = 1,
    /// <summary>The kernel's interrupt table is at guest-virtual r1 (Xen: set_trap_table).</summary>
    SetTrapTable = 2,
    /// <summary>Guest-physical page r1 is a page table of level r2 (1 = table, 2 = directory): validated, and from
    /// now on writable only through <see cref="MmuUpdate"/> (Xen: pin).</summary>
    PinTable = 3,
    /// <summary>Apply r2 page-table updates listed at guest-virtual r1 as (guest-physical entry address, new value)
    /// pairs, each validated; r0 = how many were applied (Xen: mmu_update).</summary>
    MmuUpdate = 4,
    /// <summary>Switch to the pinned directory at guest-physical r1 and turn paging on (Xen: new_baseptr).</summary>
    NewBasePointer = 5,
    /// <summary>Tick every r1 cycles (Xen: set_timer_op).</summary>
    SetTimer = 6,
    /// <summary>Deliver events (virtual interrupts) if r1 is 1, hold them if 0 (Xen's event mask).</summary>
    Events = 7,
    /// <summary>Return from a trap: pop r0, then the four-word frame (Xen: iret).</summary>
    Iret = 8,
    /// <summary>The kernel stack for traps from user mode is r1 (Xen: stack_switch).</summary>
    StackSwitch = 9,
    /// <summary>The domain is done.</summary>
    Shutdown = 10,
    /// <summary>Drop the TLB entry of guest-virtual r1.</summary>
    InvalidatePage = 11,
    /// <summary>Read device port r1 on the domain's behalf; r0 = the value (a domain has no port access).</summary>
    PortIn = 12,
    /// <summary>Set the task priority to r1 (the guest's cr8).</summary>
    SetPriority = 13,
    /// <summary>Share the domain's page at guest-physical r1 with the control domain (Xen: grant table).</summary>
    Grant = 14,
    /// <summary>Notify the other end of the event channel (Xen: evtchn send).</summary>
    EventSend = 15,
    /// <summary>Wait until an event is pending for this domain, then clear it (Xen: block).</summary>
    Block = 16,
    /// <summary>Control domain only: copy r3 bytes at offset r1 of the granted page to guest-virtual r2 (Xen: grant copy).</summary>
    GrantCopy = 17,
    /// <summary>Control domain only: write the word r2 at offset r1 of the granted page.</summary>
    GrantWrite = 18,
}
