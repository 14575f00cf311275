namespace VirtualizationWorkbench.Network.Switching;

/// <summary>What travels with a frame through the network besides its bytes: the VLAN it was last classified
/// into, and the tick it entered the network (for latency).</summary>
public readonly record struct FrameMeta(int Vid, long Born);
