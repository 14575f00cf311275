namespace VirtualizationWorkbench.Machine.Virtualization;

/// <summary>Why a guest in non-root mode left for its hypervisor, with what the qualification holds.</summary>
public enum VmExitReason
{
    /// <summary>An exception whose bit is set in the exception bitmap. Qualification: the vector; the error
    /// code is in <see cref="VirtualMachineControl.ExitErrorCode"/>; for #PF the address is in
    /// <see cref="VirtualMachineControl.ExitAddress"/>.</summary>
    Exception,
    /// <summary>A device interrupt with external-interrupt exiting on. Qualification: the vector.</summary>
    ExternalInterrupt,
    /// <summary><c>hlt</c> with HLT exiting on.</summary>
    Hlt,
    /// <summary><c>in</c> or <c>out</c> to an exiting port. Qualification: port | 0x10000 if out | rd or rs
    /// register number &lt;&lt; 20.</summary>
    IoInstruction,
    /// <summary>A control-register move that exits. Qualification: cr number | 0x100 if write (mov to crN) |
    /// general register number &lt;&lt; 20.</summary>
    ControlRegisterAccess,
    /// <summary><c>invlpg</c> with INVLPG exiting on. Qualification: the address.</summary>
    Invlpg,
    /// <summary><c>vmcall</c>. r0 holds the number.</summary>
    Vmcall,
    /// <summary>A guest-physical address the nested page table does not map (or maps read-only, for a write).
    /// Qualification: bit 0 read, bit 1 write, bit 2 fetch; address in
    /// <see cref="VirtualMachineControl.ExitAddress"/>.</summary>
    NestedPageFault,
    /// <summary><c>lidt</c> or <c>sidt</c> with descriptor-table exiting on.</summary>
    DescriptorTableAccess,
    /// <summary>The guest triple-faulted.</summary>
    TripleFault,
}

/// <summary>Helpers over <see cref="VmExitReason"/>.</summary>
public static class VmExitReasons
{
    /// <summary>The number of VM exit reasons (for counter arrays).</summary>
    public const int Count = (int)VmExitReason.TripleFault + 1;
}
