using VirtualizationWorkbench.Machine.Memory;

namespace VirtualizationWorkbench.Machine.Virtualization.Emulation;

/// <summary>
/// The guest's devices as a monitor emulates them when the guest's <c>in</c> or <c>out</c> reaches it (a trap, a
/// callout, a VM exit): the timer is the guest's own virtual timer, kept on the core's timer whose interrupts
/// the monitor turns into virtual ones; every other port is served by the machine's device on the guest's
/// behalf. Each access is charged as device emulation.
/// </summary>
public sealed class VirtualDevices(VirtualMachineMonitor monitor)
{
    /// <summary>Emulates <c>in</c> from <paramref name="port"/>.</summary>
    public uint In(uint port)
    {
        Count();
        var core = monitor.Core;
        if (port - MemoryMap.TimerPeriodPort < 3) return core.Timer.Read(port - MemoryMap.TimerPeriodPort, core.Counters.Cycles);
        var device = monitor.Computer.Bus.FindPort(port, out var offset);
        return device?.Read(offset, 4) ?? 0xFFFF_FFFF;
    }

    /// <summary>Emulates <c>out</c> to <paramref name="port"/>.</summary>
    public void Out(uint port, uint value)
    {
        Count();
        var core = monitor.Core;
        if (port - MemoryMap.TimerPeriodPort < 3)
        {
            core.Timer.Write(port - MemoryMap.TimerPeriodPort, value, core.Counters.Cycles);
            return;
        }
        var device = monitor.Computer.Bus.FindPort(port, out var offset);
        device?.Write(offset, 4, value);
    }

    private void Count()
    {
        monitor.Statistics.DeviceAccesses++;
        monitor.Core.Charge(monitor.Costs.DeviceEmulation);
    }
}
