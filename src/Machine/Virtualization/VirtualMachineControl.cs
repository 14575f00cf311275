using VirtualizationWorkbench.Machine.Cpu;

namespace VirtualizationWorkbench.Machine.Virtualization;

/// <summary>
/// The per-virtual-CPU control structure of the hardware virtualization extension (Intel's VMCS, AMD's
/// VMCB): the guest's state, the host's state, the controls that choose what exits, event injection, and
/// the information about the last exit. The hypervisor (host code) fills it and calls
/// <see cref="Core.EnterGuest"/>; the core runs the guest in non-root mode until something exits.
/// </summary>
public sealed class VirtualMachineControl
{
    /// <summary>Guest-state area: loaded on entry, saved on exit.</summary>
    public CpuState Guest;

    /// <summary>Host-state area: the core's root-mode state, saved on entry and restored on exit.</summary>
    public CpuState Host;

    /// <summary><c>hlt</c> exits.</summary>
    public bool HltExiting { get; set; } = true;

    /// <summary>Every <c>in</c>/<c>out</c> exits (otherwise only ports in <see cref="ExitingPorts"/>).</summary>
    public bool UnconditionalIoExiting { get; set; } = true;

    /// <summary>Ports whose accesses exit when <see cref="UnconditionalIoExiting"/> is off (the I/O bitmap);
    /// other ports go straight to the machine's devices.</summary>
    public HashSet<uint> ExitingPorts { get; } = [];

    /// <summary>Bit n set: <c>mov crN, r</c> exits.</summary>
    public uint ControlRegisterWriteExiting { get; set; } = 1u << ControlRegister.Cr0 | 1u << ControlRegister.Cr3;

    /// <summary>Bit n set: <c>mov r, crN</c> exits.</summary>
    public uint ControlRegisterReadExiting { get; set; }

    /// <summary>Bit v set: exception vector v (0-31) exits instead of going through the guest's table.</summary>
    public uint ExceptionBitmap { get; set; }

    /// <summary>Device interrupts exit (otherwise they are delivered through the guest's table).</summary>
    public bool ExternalInterruptExiting { get; set; } = true;

    /// <summary><c>invlpg</c> exits.</summary>
    public bool InvlpgExiting { get; set; }

    /// <summary><c>lidt</c> and <c>sidt</c> exit.</summary>
    public bool DescriptorTableExiting { get; set; }

    /// <summary>Second-level (nested) paging on: guest-physical addresses go through the nested page table.</summary>
    public bool NestedPaging { get; set; }

    /// <summary>Host-physical address of the nested page directory (same two-level format as guest tables).</summary>
    public uint NestedPageTableRoot { get; set; }

    /// <summary>
    /// Accessed and dirty bits in the nested page table (Intel's EPT A/D bits, from Haswell on): every access through
    /// a nested entry sets its accessed bit, every write its dirty bit, so the host learns which guest-physical pages
    /// the guest used and changed without a fault. Accesses to the guest's own page tables count as writes, as on
    /// Intel, since the walker may set their bits. The bits are set on a TLB miss: a host that clears an accessed bit
    /// flushes the TLB to see the next use. A write through a TLB entry filled by a read of a clean page walks again,
    /// so a dirty bit is never missed. Off by default (the bits cost walks).
    /// </summary>
    public bool NestedAccessedDirty { get; set; }

    /// <summary>A vector to deliver through the guest's table at the next entry, or -1.</summary>
    public int InjectVector { get; set; } = -1;

    /// <summary>The error code pushed with <see cref="InjectVector"/>.</summary>
    public uint InjectErrorCode { get; set; }

    /// <summary>The reason of the last VM exit.</summary>
    public VmExitReason ExitReason { get; internal set; }

    /// <summary>The qualification of the last VM exit.</summary>
    public uint ExitQualification { get; internal set; }

    /// <summary>The error code of an exception exit.</summary>
    public uint ExitErrorCode { get; internal set; }

    /// <summary>The address involved in a page-fault or nested-page-fault exit.</summary>
    public uint ExitAddress { get; internal set; }

    /// <summary>Length in bytes of the instruction that exited (0 for events): add it to the guest pc to skip
    /// the instruction after emulating it.</summary>
    public uint ExitInstructionLength { get; internal set; }
}
