namespace VirtualizationWorkbench.Network.Switching;

/// <summary>How a switch port treats VLANs.</summary>
public enum PortMode
{
    /// <summary>One VLAN, untagged: frames without a tag join the port's VLAN (its PVID), and leave untagged.</summary>
    Access,

    /// <summary>Several VLANs, tagged: frames carry their VLAN in an 802.1Q tag; an optional native VLAN travels
    /// untagged.</summary>
    Trunk,
}
