namespace VirtualizationWorkbench.Network.Switching;

/// <summary>Why a switch dropped a frame; counted per port and per VLAN.</summary>
public enum DropReason
{
    /// <summary>Under 14 bytes: not even an Ethernet header.</summary>
    Runt,

    /// <summary>Over 1514 bytes untagged or 1518 tagged (1518 and 1522 on the wire with the FCS).</summary>
    Oversize,

    /// <summary>Tagged with VID 4095, which the standard reserves.</summary>
    ReservedVid,

    /// <summary>Untagged or priority-tagged on a port with no PVID (a trunk without a native VLAN).</summary>
    NoPvid,

    /// <summary>Tagged with a VLAN the ingress port is not a member of, or bound for a port that left the VLAN.</summary>
    NotMember,

    /// <summary>The egress queue of its priority was full (or half full, for a drop-eligible frame).</summary>
    QueueFull,

    /// <summary>The destination was learned on the port it came in on: nothing to forward.</summary>
    Filtered,
}
