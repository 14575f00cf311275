namespace VirtualizationWorkbench.Labs.VlanPorts;

/// <summary>How a switch port treats VLANs.</summary>
public enum PortMode
{
    /// <summary>One VLAN (the PVID), untagged.</summary>
    Access,

    /// <summary>Several VLANs, tagged; the PVID (if not 0) is the native VLAN, untagged.</summary>
    Trunk,
}

/// <summary>A port's VLAN configuration: its mode, its PVID (an access port's VLAN, a trunk's native VLAN or 0 for
/// none) and, for a trunk, the VLANs it carries tagged.</summary>
public sealed record PortConfig(PortMode Mode, int Pvid, IReadOnlyList<int> TaggedVlans);
