namespace VirtualizationWorkbench.Containers.Namespaces;

/// <summary>An endpoint: a bound port and the values waiting at it.</summary>
public sealed class Endpoint(Process owner, int port)
{
    /// <summary>The process that bound it and receives from it.</summary>
    public Process Owner { get; } = owner;

    /// <summary>The port.</summary>
    public int Port { get; } = port;

    /// <summary>Values sent and not yet received.</summary>
    public Queue<uint> Pending { get; } = new();
}

/// <summary>
/// A network namespace: its own ports, its own loopback (127.0.0.1 reaches only its own ports) and, when
/// configured, an address on the kernel's bridge through which namespaces on the same bridge reach each other.
/// </summary>
public sealed class NetNamespace(string name, uint? bridgeAddress)
{
    /// <summary>127.0.0.1.</summary>
    public const uint Loopback = 0x7F00_0001;

    /// <summary>Who it belongs to (the host or a container's name).</summary>
    public string Name { get; } = name;

    /// <summary>Its address on the bridge (10.0.0.N), or null when it has only a loopback.</summary>
    public uint? BridgeAddress { get; } = bridgeAddress;

    /// <summary>Bound ports.</summary>
    public SortedDictionary<int, Endpoint> Endpoints { get; } = [];

    /// <summary>Dotted text of an address.</summary>
    public static string Format(uint address) => $"{address >> 24}.{(address >> 16) & 255}.{(address >> 8) & 255}.{address & 255}";
}
