using VirtualizationWorkbench.Machine.Costs;
using VirtualizationWorkbench.Machine.Cpu;

namespace VirtualizationWorkbench.Machine.Virtualization.FullVirtualization;

/// <summary>
/// A type-2 (hosted) monitor by trap-and-emulate: the unmodified guest kernel runs in ring 1; every privileged
/// instruction it executes faults (#GP), and the monitor emulates it on the virtual CPU. Memory is confined
/// with the core's base-and-bounds window, so the guest's own page tables (guest-physical) can be used as they
/// are. It fails on this machine as it failed on classic x86: <c>popf</c> in ring 1 silently keeps the
/// interrupt flag and <c>getcpl</c> tells the truth, and neither traps, so the monitor never finds out.
/// </summary>
public sealed class TrapAndEmulateMonitor(CostTable costs) : DeprivilegedMonitor(costs, kernelRing: 1)
{
    /// <inheritdoc/>
    public override string Name => "trap-and-emulate";

    /// <inheritdoc/>
    protected override void Prepare(uint entry)
    {
        base.Prepare(entry);
        Core.SetMemoryWindow(Guest.HostBase, Guest.Size);
    }

    /// <inheritdoc/>
    public override void OnAddressSpaceChanged()
    {
        // The window relocates guest-physical addresses, so the hardware can walk the guest's tables directly.
        Core.State.Cr0 = Vcpu.Cr0 & ControlRegister.PagingEnabled;
        Core.State.Cr3 = Vcpu.Cr3;
        Core.FlushTlb();
    }

    /// <inheritdoc/>
    protected override MonitorRun? HandleExit(RunExit exit)
    {
        if (exit is { Reason: ExitReason.Trap, Vector: (int)ExceptionVector.GeneralProtection, PcAdvanced: false } && Core.State.Cpl == KernelRing)
        {
            return EmulateOrReflect(exit);
        }
        return HandleCommonExit(exit);
    }
}
