using VirtualizationWorkbench.Machine.Memory;

namespace VirtualizationWorkbench.Partitioning;

/// <summary>
/// The machine's devices a partition can own, with their ports. The core's I/O bitmap makes ownership a hardware
/// rule: a partition's accesses to the ports it owns go straight to the device; every other device's ports exit to
/// the firmware, which serves the partition's own virtual terminal on the console's ports, hands the ports of its
/// virtual devices (<see cref="IVirtualDevice"/>) to them, and stops a partition that touches anything else. Only
/// devices without DMA can be owned: the disk and the network card write machine memory at addresses they are
/// given, and this machine has no I/O MMU (POWER's TCE tables) to confine that to the owner's blocks; a partition
/// gets a virtual disk instead, whose memory accesses the firmware makes for it (<see cref="VirtualIo"/>).
/// </summary>
public static class PartitionDevices
{
    /// <summary>The console's ports: every partition's virtual terminal.</summary>
    public static readonly (uint First, uint Count) Console = (MemoryMap.ConsolePort, 3);

    private static readonly Dictionary<string, (uint First, uint Count)> Ports = new()
    {
        ["clock"] = (MemoryMap.ClockPort, 2),
    };

    /// <summary>Devices that can be owned.</summary>
    public static IReadOnlyCollection<string> Names => Ports.Keys;

    /// <summary>The ports of <paramref name="device"/>.</summary>
    public static (uint First, uint Count) PortsOf(string device) => Ports[device];

    /// <summary>The ownable device at <paramref name="port"/>, if any.</summary>
    public static string? At(uint port) => Ports.FirstOrDefault(p => port - p.Value.First < p.Value.Count).Key;
}
