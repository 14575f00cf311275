using VirtualizationWorkbench.Machine.Costs;
using VirtualizationWorkbench.Machine.Cpu;
using VirtualizationWorkbench.Machine.Memory;
using VirtualizationWorkbench.Machine.Virtualization.Paging;

namespace VirtualizationWorkbench.Machine.Virtualization.HardwareAssisted;

/// <summary>
/// A hypervisor on the hardware virtualization extension ("ring -1"): the unmodified guest kernel runs in ring 0
/// of non-root mode, so every sensitive instruction does what the guest expects without help, and the hypervisor
/// in root mode sees only the exits it chose in the control structure — port I/O (emulated devices), hlt, device
/// interrupts (injected back as virtual ones) and, without nested paging, page faults and cr3 writes for shadow
/// paging. With nested paging, the hardware walks a second table the hypervisor built (guest-physical →
/// machine) and the guest's own page tables cost no exits at all.
/// </summary>
public sealed class HardwareAssistedHypervisor : VirtualMachineMonitor
{
    private const uint NestedTableBase = MonitorMemoryBase + 0x0040_0000;

    /// <summary>Creates the hypervisor, with nested paging or with shadow paging.</summary>
    public HardwareAssistedHypervisor(CostTable costs, bool nestedPaging = true) : base(costs)
    {
        NestedPaging = nestedPaging;
        if (!nestedPaging) Shadow = new ShadowPageTable(this);
    }

    /// <inheritdoc/>
    public override string Name => NestedPaging ? "hardware-assisted" : "hardware-assisted, shadow paging";

    /// <summary>Whether the hardware's nested paging is used (otherwise shadow paging).</summary>
    public bool NestedPaging { get; }

    /// <summary>The shadow page tables, without nested paging.</summary>
    public ShadowPageTable? Shadow { get; }

    /// <summary>The guest's control structure.</summary>
    public VirtualMachineControl Control { get; } = new();

    /// <inheritdoc/>
    protected override void Prepare(uint entry)
    {
        Control.Guest = Core.State;
        Control.HltExiting = true;
        Control.UnconditionalIoExiting = true;
        Control.ExternalInterruptExiting = true;
        if (NestedPaging)
        {
            BuildNestedTable();
            Control.NestedPaging = true;
            Control.NestedPageTableRoot = NestedTableBase;
            Control.ControlRegisterWriteExiting = 0;
            Control.ExceptionBitmap = 0;
        }
        else
        {
            // Shadow paging: the guest's cr0 and cr3 live in the hypervisor; the hardware walks the shadow.
            Control.ControlRegisterWriteExiting = 1u << ControlRegister.Cr0 | 1u << ControlRegister.Cr3;
            Control.ControlRegisterReadExiting = 1u << ControlRegister.Cr0 | 1u << ControlRegister.Cr3;
            Control.ExceptionBitmap = 1u << (int)ExceptionVector.PageFault;
            // Every guest page-table write is caught (its pages are read-only in the shadow), so the shadow is
            // never stale and the guest's invlpg need not exit.
            Control.InvlpgExiting = false;
            Control.Guest.Cr0 = ControlRegister.PagingEnabled;
            Control.Guest.Cr3 = Shadow!.Directory;
            Shadow.Reset();
        }
    }

    // Guest-physical [0, size) → machine [base, base + size), writable; nothing else exists for the guest.
    private void BuildNestedTable()
    {
        var ram = Computer.Memory;
        ram.Slice(NestedTableBase, MemoryMap.PageSize).Clear();
        var tables = (Guest.Size + 0x3F_FFFF) / 0x40_0000;
        for (var t = 0u; t < tables; t++)
        {
            var table = NestedTableBase + (t + 1) * MemoryMap.PageSize;
            ram.Slice(table, MemoryMap.PageSize).Clear();
            ram.WriteWord(NestedTableBase + t * 4, PageTableEntry.Make(table, PageTableEntry.Present | PageTableEntry.Writable));
            for (var i = 0u; i < 1024; i++)
            {
                var guestPhysical = (t << 22) | (i << 12);
                if (guestPhysical >= Guest.Size) break;
                ram.WriteWord(table + i * 4, PageTableEntry.Make(Guest.HostBase + guestPhysical, PageTableEntry.Present | PageTableEntry.Writable));
            }
        }
    }

    /// <inheritdoc/>
    protected override RunExit RunGuest(long budget)
    {
        if (!Core.InGuestMode) Core.EnterGuest(Control);
        return Core.Run(budget);
    }

    /// <inheritdoc/>
    protected override MonitorRun? DeliverVirtualInterrupt()
    {
        // Events go in through the control structure at the next entry, when the guest accepts them.
        if (Core.InGuestMode || Vcpu.PendingInterrupts == 0 || Control.InjectVector >= 0 || (Control.Guest.Flags & Flags.IF) == 0) return null;
        var line = System.Numerics.BitOperations.TrailingZeroCount(Vcpu.PendingInterrupts);
        Vcpu.PendingInterrupts &= ~(1u << line);
        Vcpu.Halted = false;
        Control.InjectVector = (int)ExceptionVector.IrqBase + line;
        Statistics.ReflectedEvents++;
        return null;
    }

    /// <inheritdoc/>
    protected override MonitorRun? HandleExit(RunExit exit)
    {
        if (exit.Reason == ExitReason.BudgetSpent) return null;
        if (exit.Reason != ExitReason.VmExit) return Fail($"unexpected exit: {exit}");
        ref var guest = ref Control.Guest;
        var q = Control.ExitQualification;
        switch (Control.ExitReason)
        {
            case VmExitReason.IoInstruction:
                var register = (int)(q >> 20) & 15;
                if ((q & 0x10000) != 0) Devices.Out(q & 0xFFFF, guest.R[register]);
                else guest.R[register] = Devices.In(q & 0xFFFF);
                guest.Pc += Control.ExitInstructionLength;
                return null;
            case VmExitReason.Hlt:
                guest.Pc += Control.ExitInstructionLength;
                Vcpu.InterruptsEnabled = (guest.Flags & Flags.IF) != 0;
                Vcpu.Halted = true;
                return null;
            case VmExitReason.ExternalInterrupt:
                Vcpu.PendingInterrupts |= 1u << ((int)q - (int)ExceptionVector.IrqBase);
                return null;
            case VmExitReason.ControlRegisterAccess:
                return ControlRegisterAccess(ref guest, q);
            case VmExitReason.Invlpg:
                Shadow?.Invalidate(q);
                guest.Pc += Control.ExitInstructionLength;
                return null;
            case VmExitReason.Exception when Shadow is not null && q == (uint)ExceptionVector.PageFault:
                return ShadowFault(ref guest);
            case VmExitReason.Vmcall:
                guest.R[0] = 0xFFFF_FFFF;      // no hypercalls for an unmodified guest
                guest.Pc += Control.ExitInstructionLength;
                return null;
            case VmExitReason.NestedPageFault:
                return Fail($"resource control: the guest reached guest-physical 0x{Control.ExitAddress:x8} at pc 0x{guest.Pc:x8}, outside its {Guest.Size / 1024} KiB");
            case VmExitReason.TripleFault:
                return Fail($"the guest triple-faulted at pc 0x{guest.Pc:x8}");
            default:
                return Fail($"unexpected VM exit {Control.ExitReason}");
        }
    }

    private MonitorRun? ControlRegisterAccess(ref CpuState guest, uint q)
    {
        var number = (int)(q & 0xFF);
        var register = (int)(q >> 20) & 15;
        if ((q & 0x100) != 0)
        {
            if (number == Cpu.ControlRegister.Cr0) Vcpu.Cr0 = guest.R[register];
            else Vcpu.Cr3 = guest.R[register];
            Shadow!.Reset();
        }
        else
        {
            guest.R[register] = number == Cpu.ControlRegister.Cr0 ? Vcpu.Cr0 : Vcpu.Cr3;
        }
        Core.Charge(Costs.Emulation);
        guest.Pc += Control.ExitInstructionLength;
        return null;
    }

    private MonitorRun? ShadowFault(ref CpuState guest)
    {
        Vcpu.Ring = guest.Cpl == 3 ? 3 : 0;
        switch (Shadow!.HandleFault(Control.ExitAddress, Control.ExitErrorCode, out _))
        {
            case Paging.ShadowFault.Filled:
                return null;
            case Paging.ShadowFault.GuestFault:
                guest.Cr2 = Control.ExitAddress;
                Control.InjectVector = (int)ExceptionVector.PageFault;
                Control.InjectErrorCode = Control.ExitErrorCode;
                Statistics.ReflectedEvents++;
                return null;
            default:
                if (!GuestStoreEmulator.TryEmulate(ref guest, Guest, Computer.Memory, Vcpu, out var written, out var failure)) return Fail(failure);
                Statistics.HiddenPageFaults++;
                Statistics.TracedPageTableWrites++;
                Core.Charge(Costs.Emulation);
                Shadow.OnGuestTableWritten(written);
                return null;
        }
    }
}
