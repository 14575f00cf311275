namespace VirtualizationWorkbench.Labs.VlanPorts;

/// <summary>
/// The rule every port of an 802.1Q switch applies (the Linux bridge's, with VLAN filtering). Frames are Ethernet
/// frames without FCS: destination (6 bytes), source (6), then either the EtherType or the 4-byte tag — TPID 0x8100,
/// then the TCI, big-endian: PCP (3 bits), DEI (1 bit), VID (12 bits) — and then the EtherType.
/// <list type="number">
/// <item><see cref="Ingress"/>: the VLAN a frame arriving on the port belongs to, or 0 to drop it. Drop a frame
/// under 14 bytes, an untagged frame over 1514 bytes, a tagged one over 1518. An untagged frame joins the PVID
/// (dropped if the PVID is 0). A tagged frame with VID 4095 is dropped (reserved); VID 0 (priority-tagged) joins the
/// PVID like an untagged one; any other VID is kept if the port is a member of it (it is the PVID or one of the
/// tagged VLANs) and dropped if not.</item>
/// <item><see cref="Egress"/>: the bytes the port sends for a frame of VLAN <c>vid</c> whose untagged bytes are
/// given: null if the port is not a member of the VLAN; the frame as it is if <c>vid</c> is the PVID (it leaves
/// untagged); otherwise a new array with the tag (TPID 0x8100, PCP <c>pcp</c>, DEI 0, VID <c>vid</c>) inserted
/// after the source address.</item>
/// </list>
/// Grade your work with <c>workbench grade 10</c>.
/// </summary>
public static class PortRule
{
    /// <summary>The VLAN of a frame arriving on <paramref name="port"/>, or 0 to drop it.</summary>
    public static int Ingress(PortConfig port, byte[] frame)
    {
        // TODO: classify the frame (see the class comment).
        _ = (port, frame);
        throw new NotImplementedException($"{nameof(PortRule)}.{nameof(Ingress)}: the ingress rule is yours to write");
    }

    /// <summary>What <paramref name="port"/> sends for a frame of VLAN <paramref name="vid"/> and priority
    /// <paramref name="pcp"/>; null if it does not send it.</summary>
    public static byte[]? Egress(PortConfig port, int vid, int pcp, byte[] untagged)
    {
        // TODO: untagged, tagged or nothing (see the class comment).
        _ = (port, vid, pcp, untagged);
        throw new NotImplementedException($"{nameof(PortRule)}.{nameof(Egress)}: the egress rule is yours to write");
    }
}
