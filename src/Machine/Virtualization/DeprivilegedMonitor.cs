using VirtualizationWorkbench.Machine.Costs;
using VirtualizationWorkbench.Machine.Cpu;
using VirtualizationWorkbench.Machine.Virtualization.Emulation;

namespace VirtualizationWorkbench.Machine.Virtualization;

/// <summary>
/// A software monitor that runs the guest kernel deprivileged — in ring 1 (or 3) instead of 0 — and keeps the
/// guest's privileged state on a <see cref="VirtualCpu"/>. Every exception and interrupt comes to the monitor
/// first (the core's intercepts), and the monitor reflects it into the guest.
/// </summary>
public abstract class DeprivilegedMonitor : VirtualMachineMonitor
{
    /// <summary>Creates the monitor; the guest kernel will run in <paramref name="kernelRing"/>.</summary>
    protected DeprivilegedMonitor(CostTable costs, int kernelRing) : base(costs)
    {
        if (kernelRing is < 1 or > 3) throw new ArgumentOutOfRangeException(nameof(kernelRing), "a deprivileged kernel runs in ring 1, 2 or 3");
        KernelRing = kernelRing;
        Emulator = new PrivilegedInstructionEmulator(this);
    }

    /// <summary>Creates the monitor for a guest on core <paramref name="core"/> of a shared machine.</summary>
    protected DeprivilegedMonitor(Computer computer, int core, uint guestBase, uint guestSize, int kernelRing)
        : base(computer, core, guestBase, guestSize)
    {
        if (kernelRing is < 1 or > 3) throw new ArgumentOutOfRangeException(nameof(kernelRing), "a deprivileged kernel runs in ring 1, 2 or 3");
        KernelRing = kernelRing;
        Emulator = new PrivilegedInstructionEmulator(this);
    }

    /// <summary>The real ring of the guest kernel.</summary>
    public int KernelRing { get; }

    /// <summary>The instruction emulator.</summary>
    protected PrivilegedInstructionEmulator Emulator { get; }

    /// <inheritdoc/>
    protected override void Prepare(uint entry)
    {
        // The guest starts as firmware leaves a native kernel: its ring 0 (really KernelRing), interrupts off,
        // paging off. The real interrupt flag stays on so that real interrupts reach the monitor.
        Core.State.Flags = (uint)KernelRing << Flags.CplShift | Flags.IF;
        Core.InterceptedExceptions = 0xFFFF_FFFF;
        Core.InterceptSoftwareInterrupts = true;
        Core.InterceptInterrupts = true;
    }

    /// <summary>Called when the guest's cr0 or cr3 changed: the monitor's memory virtualization follows.</summary>
    public abstract void OnAddressSpaceChanged();

    /// <summary>Called when the guest invalidated one TLB entry (an address) or all (null).</summary>
    public virtual void OnTlbInvalidated(uint? address)
    {
        if (address is { } a) Core.InvalidatePage(a);
        else Core.FlushTlb();
    }

    /// <summary>Puts the real processor in the ring that matches the guest's virtual ring.</summary>
    public virtual void EnterVirtualRing()
    {
        var ring = Vcpu.Ring == 3 ? 3 : KernelRing;
        // No TLB flush: the TLB checks the user bit on every access, whatever ring filled it.
        Core.State.Flags = (Core.State.Flags & ~Flags.CplMask) | (uint)ring << Flags.CplShift | Flags.IF;
    }

    /// <inheritdoc/>
    protected override void EnterGuestKernel() => EnterVirtualRing();

    /// <summary>
    /// Returns from a trap as <c>iret</c> would, on the virtual CPU: pops the four-word frame at guest-virtual
    /// <paramref name="frame"/> (error code, pc, flags, sp), takes the interrupt flag and ring from the saved
    /// flags, and enters the matching real ring. Both the emulated <c>iret</c> and the paravirtual iret
    /// hypercall end here.
    /// </summary>
    public bool ReturnFromTrap(uint frame, out string failure)
    {
        failure = "";
        ref var s = ref Core.State;
        if (!Guest.TryRead(frame + 4, out var pc) || !Guest.TryRead(frame + 8, out var flags) || !Guest.TryRead(frame + 12, out var sp))
        {
            failure = $"iret: the guest's stack at 0x{frame:x8} is not readable";
            return false;
        }
        Vcpu.InterruptsEnabled = (flags & Flags.IF) != 0;
        Vcpu.Ring = ((flags >> Flags.CplShift) & 3) == 3 ? 3 : 0;
        s.Flags = (s.Flags & ~Flags.Arithmetic) | (flags & Flags.Arithmetic);
        EnterVirtualRing();
        s.R[15] = sp;
        s.Pc = pc;
        return true;
    }

    /// <summary>Handles the exits every deprivileged monitor sees alike: interrupts become virtual ones, the
    /// guest's own exceptions and system calls are reflected into it, memory outside the guest stops it.</summary>
    protected MonitorRun? HandleCommonExit(RunExit exit)
    {
        switch (exit.Reason)
        {
            case ExitReason.BudgetSpent:
                return null;
            case ExitReason.Interrupt:
                Vcpu.PendingInterrupts |= 1u << (exit.Vector - (int)ExceptionVector.IrqBase);
                return null;
            case ExitReason.Trap:
                if (exit.Vector == (int)ExceptionVector.PageFault) Vcpu.Cr2 = exit.FaultAddress;
                return Reflect(exit.Vector, exit.ErrorCode, exit.ReturnPc, software: exit.PcAdvanced && exit.Vector != (int)ExceptionVector.Breakpoint);
            case ExitReason.Mmio:
                return Fail($"resource control: the guest {(exit.IsWrite ? "wrote" : "read")} guest-physical 0x{exit.Address:x8} at pc 0x{exit.Pc:x8}, outside its {Guest.Size / 1024} KiB");
            case ExitReason.Shutdown:
                return Fail(exit.Message ?? "shutdown");
            default:
                return Fail($"unexpected exit: {exit}");
        }
    }

    /// <summary>Emulates the trapping instruction, or reflects the fault into the guest if it is the guest's own.</summary>
    protected MonitorRun? EmulateOrReflect(RunExit exit)
    {
        switch (Emulator.Emulate(out var failure))
        {
            case EmulationOutcome.Emulated:
                return null;
            case EmulationOutcome.Failed:
                return Fail(failure);
            default:
                return Reflect(exit.Vector, exit.ErrorCode, exit.ReturnPc, software: false);
        }
    }
}
