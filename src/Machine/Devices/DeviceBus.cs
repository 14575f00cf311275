namespace VirtualizationWorkbench.Machine.Devices;

/// <summary>
/// Maps I/O ports and physical address ranges to devices. Port and device-memory accesses are rare next to
/// RAM accesses, so a short list searched in order is enough.
/// </summary>
public sealed class DeviceBus
{
    private readonly List<(uint First, uint Count, IDevice Device)> ports = [];
    private readonly List<(uint First, uint Count, IDevice Device)> memory = [];
    private readonly List<IDevice> devices = [];

    /// <summary>Every attached device, in attach order (the order snapshots use).</summary>
    public IReadOnlyList<IDevice> Devices => devices;

    /// <summary>Every mapped port range and its device, in map order (a partition firmware makes them all exit
    /// for a partition that does not own the device).</summary>
    public IEnumerable<(uint First, uint Count, IDevice Device)> PortRanges => ports;

    /// <summary>Maps ports [first, first + count) to <paramref name="device"/>.</summary>
    public void MapPorts(uint first, uint count, IDevice device)
    {
        Add(ports, first, count, device, "ports");
    }

    /// <summary>Maps physical addresses [first, first + count) to <paramref name="device"/>.</summary>
    public void MapMemory(uint first, uint count, IDevice device)
    {
        Add(memory, first, count, device, "addresses");
    }

    /// <summary>The device at a port and the offset in its range, or null.</summary>
    public IDevice? FindPort(uint port, out uint offset) => Find(ports, port, out offset);

    /// <summary>The device at a physical address and the offset in its range, or null.</summary>
    public IDevice? FindMemory(uint address, out uint offset) => Find(memory, address, out offset);

    private void Add(List<(uint First, uint Count, IDevice Device)> map, uint first, uint count, IDevice device, string what)
    {
        foreach (var (f, c, d) in map)
        {
            if (first < f + c && f < first + count)
            {
                throw new InvalidOperationException($"{device.Name}: {what} 0x{first:x}-0x{first + count - 1:x} overlap {d.Name}");
            }
        }
        map.Add((first, count, device));
        if (!devices.Contains(device))
        {
            devices.Add(device);
        }
    }

    private static IDevice? Find(List<(uint First, uint Count, IDevice Device)> map, uint key, out uint offset)
    {
        foreach (var (first, count, device) in map)
        {
            if (key - first < count)
            {
                offset = key - first;
                return device;
            }
        }
        offset = 0;
        return null;
    }
}
