namespace VirtualizationWorkbench.Labs.VlanPorts;

/// <summary>The reference solution: the rule of an 802.1Q switch port (see the exercise's comment).</summary>
public static class PortRule
{
    /// <summary>The VLAN of a frame arriving on <paramref name="port"/>, or 0 to drop it.</summary>
    public static int Ingress(PortConfig port, byte[] frame)
    {
        if (frame.Length < 14) return 0;
        var tagged = frame.Length >= 18 && frame[12] == 0x81 && frame[13] == 0x00;
        if (!tagged) return frame.Length > 1514 ? 0 : port.Pvid;
        if (frame.Length > 1518) return 0;
        var vid = (frame[14] << 8 | frame[15]) & 0xFFF;
        if (vid == 4095) return 0;
        if (vid == 0) return port.Pvid;
        return IsMember(port, vid) ? vid : 0;
    }

    /// <summary>What <paramref name="port"/> sends for a frame of VLAN <paramref name="vid"/> and priority
    /// <paramref name="pcp"/>; null if it does not send it.</summary>
    public static byte[]? Egress(PortConfig port, int vid, int pcp, byte[] untagged)
    {
        if (!IsMember(port, vid)) return null;
        if (vid == port.Pvid) return untagged;
        var tci = (pcp & 7) << 13 | (vid & 0xFFF);
        var tagged = new byte[untagged.Length + 4];
        Array.Copy(untagged, tagged, 12);
        tagged[12] = 0x81;
        tagged[13] = 0x00;
        tagged[14] = (byte)(tci >> 8);
        tagged[15] = (byte)tci;
        Array.Copy(untagged, 12, tagged, 16, untagged.Length - 12);
        return tagged;
    }

    private static bool IsMember(PortConfig port, int vid) =>
        vid != 0 && (vid == port.Pvid || (port.Mode == PortMode.Trunk && port.TaggedVlans.Contains(vid)));
}
