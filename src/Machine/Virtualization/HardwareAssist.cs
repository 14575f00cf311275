using VirtualizationWorkbench.Machine.Debugging;
using VirtualizationWorkbench.Machine.Memory;
using VirtualizationWorkbench.Machine.Virtualization;

namespace VirtualizationWorkbench.Machine;

/// <summary>
/// The hardware virtualization extension ("ring -1", after Intel VT-x and AMD-V): root and non-root mode,
/// VM entry and exit through a <see cref="VirtualMachineControl"/>, and second-level (nested) paging.
/// The hypervisor is host code: it calls <see cref="EnterGuest"/>, then <see cref="Run(long)"/>, and handles the
/// <see cref="ExitReason.VmExit"/> that comes back.
/// </summary>
public sealed partial class Core
{
    private bool nonRoot;
    private VirtualMachineControl? vmcs;
    // 1 while a guest runs with nested paging on; or-ed into the fast paths' "translate?" test.
    private uint nestedFlag;

    /// <summary>Whether the core is in non-root (guest) mode.</summary>
    public bool InGuestMode => nonRoot;

    /// <summary>The control structure of the guest running now, or of the last one to exit.</summary>
    public VirtualMachineControl? Control => vmcs;

    private bool NestedPagingActive => nestedFlag != 0;

    // Set by a nested translation with accessed/dirty bits on: the page's nested dirty bit is still clear.
    private bool nestedClean;

    // True while the walker reads the guest's own page tables (they count as writes for nested dirty bits).
    private bool walkingGuestTable;

    /// <summary>
    /// VM entry: saves the core's state as the host state, loads the guest state and switches to non-root
    /// mode. An event in <see cref="VirtualMachineControl.InjectVector"/> is delivered through the guest's
    /// interrupt table when <see cref="Run(long)"/> next starts. The TLB is flushed (this machine's TLB is not
    /// tagged per guest, like first-generation VT-x).
    /// </summary>
    public void EnterGuest(VirtualMachineControl control)
    {
        if (nonRoot) throw new InvalidOperationException("the core is already in non-root mode");
        if (control.NestedPaging && !machine.Memory.Contains(control.NestedPageTableRoot & PageTableEntry.FrameMask, MemoryMap.PageSize))
        {
            throw new ArgumentException($"the nested page table root 0x{control.NestedPageTableRoot:x8} is not in RAM");
        }
        control.Host = state;
        state = control.Guest;
        vmcs = control;
        nonRoot = true;
        nestedFlag = control.NestedPaging ? 1u : 0u;
        halted = false;
        FlushTlb();
        Counters.Cycles += costs.VmEntry;
        Trace.Record(new TraceEvent(Counters.Cycles, Index, TraceEventKind.VmEntry, state.Pc, 0, 0));
        if (control.InjectVector >= 0) injectOnRun = true;
    }

    /// <summary>
    /// Takes the core back from its guest between two runs, as a host does that suspends a virtual machine (VT-x's
    /// preemption timer, an interrupt routed to the host): the guest's state goes to its control structure, the
    /// host's state comes back, and no exit is reported. Does nothing in root mode.
    /// </summary>
    public void RecallGuest()
    {
        if (!nonRoot) return;
        vmcs!.Guest = state;
        state = vmcs.Host;
        nonRoot = false;
        nestedFlag = 0;
        FlushTlb();
    }

    private bool injectOnRun;

    /// <summary>Delivers the control structure's injected event, at the start of a run after entry.</summary>
    private bool InjectPendingEvent()
    {
        injectOnRun = false;
        var control = vmcs!;
        var vector = control.InjectVector;
        control.InjectVector = -1;
        if (vector < 0 || !nonRoot) return false;
        Counters.Traps[vector]++;
        Trace.Record(new TraceEvent(Counters.Cycles, Index, TraceEventKind.Exception, state.Pc, vector, control.InjectErrorCode));
        return EnterHandler((Cpu.ExceptionVector)vector, control.InjectErrorCode, state.Pc, state.Pc, software: false, depth: 0);
    }

    /// <summary>VM exit: saves the guest state (its pc as the caller left it), restores the host state and
    /// returns true with the exit pending.</summary>
    private bool VmExitNow(VmExitReason reason, uint qualification, uint pc, uint instructionLength, uint error = 0, uint address = 0)
    {
        var control = vmcs!;
        control.ExitReason = reason;
        control.ExitQualification = qualification;
        control.ExitErrorCode = error;
        control.ExitAddress = address;
        control.ExitInstructionLength = instructionLength;
        control.Guest = state;
        state = control.Host;
        nonRoot = false;
        nestedFlag = 0;
        halted = false;
        FlushTlb();
        Counters.VmExits[(int)reason]++;
        Counters.Cycles += costs.VmExit;
        Trace.Record(new TraceEvent(Counters.Cycles, Index, TraceEventKind.VmExit, pc, (int)reason, qualification));
        Leave(new RunExit { Reason = ExitReason.VmExit, Pc = pc, VmExitReason = reason, Qualification = qualification, ErrorCode = error, FaultAddress = address });
        return true;
    }

    /// <summary>Guest-physical to RAM through the nested page table; a miss is a VM exit.</summary>
    private int ResolveNested(uint gpa, Access access, uint size, out int hpa)
    {
        hpa = -1;
        if (TryNestedEntry(gpa, out var pte, out var pde, out var pteAt) && (access != Access.Write || (pde & pte & PageTableEntry.Writable) != 0))
        {
            var at = (pte & PageTableEntry.FrameMask) | (gpa & 0xFFF);
            if ((gpa & 0xFFF) <= 0x1000 - size && machine.Memory.Contains(at, size))
            {
                if (vmcs!.NestedAccessedDirty) NoteNestedUse(pteAt, pte, access == Access.Write || walkingGuestTable);
                hpa = (int)at;
                return ToRam;
            }
        }
        var kind = access switch { Access.Read => 1u, Access.Write => 2u, _ => 4u };
        return VmExitNow(VmExitReason.NestedPageFault, kind, state.Pc, 0, 0, gpa) ? Exited : Exited;
    }

    // Sets the nested entry's accessed bit, and its dirty bit for a write; remembers for the TLB fill whether the
    // page is still clean (a translation cached from a read of a clean page must not allow writes).
    private void NoteNestedUse(uint pteAt, uint pte, bool write)
    {
        var updated = pte | PageTableEntry.Accessed | (write ? PageTableEntry.Dirty : 0);
        if (updated != pte)
        {
            NoteWrite((int)pteAt);
            WriteRam((int)pteAt, updated);
        }
        nestedClean = (updated & PageTableEntry.Dirty) == 0;
    }

    private bool TryNestedEntry(uint gpa, out uint pte, out uint pde, out uint pteAt)
    {
        pte = 0;
        pteAt = 0;
        var root = vmcs!.NestedPageTableRoot & PageTableEntry.FrameMask;
        pde = ReadRam((int)(root + (PageTableEntry.DirectoryIndex(gpa) << 2)));
        if ((pde & PageTableEntry.Present) == 0) return false;
        pteAt = (pde & PageTableEntry.FrameMask) + (PageTableEntry.TableIndex(gpa) << 2);
        if (!machine.Memory.Contains(pteAt, 4)) return false;
        pte = ReadRam((int)pteAt);
        return (pte & PageTableEntry.Present) != 0;
    }

    private bool TryPeekNested(uint gpa, out uint ramAddress)
    {
        ramAddress = 0;
        if (!TryNestedEntry(gpa, out var pte, out _, out _)) return false;
        ramAddress = (pte & PageTableEntry.FrameMask) | (gpa & 0xFFF);
        return ramAddress < ram.Length;
    }
}
