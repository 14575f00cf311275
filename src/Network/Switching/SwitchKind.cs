namespace VirtualizationWorkbench.Network.Switching;

/// <summary>The two kinds of VLAN the lesson contrasts.</summary>
public enum SwitchKind
{
    /// <summary>IEEE 802.1Q, packet-based: access and trunk ports, tags inserted and removed at the edges,
    /// priority from the tag's PCP.</summary>
    Dot1Q,

    /// <summary>Static, port-based VLANs: each port belongs to one VLAN and frames never cross; tags are not read
    /// (a tagged frame is just bytes) and there are no trunks.</summary>
    PortBased,
}
