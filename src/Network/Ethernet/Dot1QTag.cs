namespace VirtualizationWorkbench.Network.Ethernet;

/// <summary>
/// The IEEE 802.1Q tag: 32 bits inserted after the source address. The first 16 are the TPID, 0x8100; the other
/// 16 are the TCI:
/// <code>
///  15  13  12  11                      0
/// +------+-----+------------------------+
/// | PCP  | DEI |          VID           |
/// +------+-----+------------------------+
///  priority 0-7, drop eligible, VLAN ID 0-4095
/// </code>
/// VID 0 marks a priority-tagged frame (a priority, no VLAN: the port's VLAN applies); VID 4095 is reserved and
/// never used; 1 to 4094 name VLANs.
/// </summary>
public readonly record struct Dot1QTag(byte Pcp, bool Dei, ushort Vid)
{
    /// <summary>The Tag Protocol Identifier that marks a tagged frame where the EtherType would be.</summary>
    public const ushort Tpid = 0x8100;

    /// <summary>The tag's size in bytes.</summary>
    public const int Length = 4;

    /// <summary>VID of a priority-tagged frame.</summary>
    public const ushort PriorityOnly = 0;

    /// <summary>The reserved VID.</summary>
    public const ushort Reserved = 4095;

    /// <summary>The lowest and highest VLAN IDs a VLAN may have.</summary>
    public const int FirstVlan = 1, LastVlan = 4094;

    /// <summary>The 16-bit Tag Control Information.</summary>
    public ushort Tci => (ushort)((Pcp & 7) << 13 | (Dei ? 1 << 12 : 0) | (Vid & 0xFFF));

    /// <summary>The tag with Tag Control Information <paramref name="tci"/>.</summary>
    public static Dot1QTag FromTci(ushort tci) => new((byte)(tci >> 13), (tci & 0x1000) != 0, (ushort)(tci & 0xFFF));

    /// <summary>Whether <paramref name="vid"/> may name a VLAN (1 to 4094).</summary>
    public static bool IsVlan(int vid) => vid is >= FirstVlan and <= LastVlan;

    /// <summary>Reads the tag of a tagged frame; false if the frame has none (its type field is not 0x8100, or it
    /// is too short to hold one).</summary>
    public static bool TryRead(ReadOnlySpan<byte> frame, out Dot1QTag tag)
    {
        tag = default;
        if (frame.Length < EthernetFrame.HeaderLength + Length || EthernetFrame.TypeField(frame) != Tpid) return false;
        tag = FromTci((ushort)(frame[14] << 8 | frame[15]));
        return true;
    }

    /// <summary>A copy of the untagged <paramref name="frame"/> with this tag inserted after the source address.</summary>
    public byte[] InsertInto(ReadOnlySpan<byte> frame)
    {
        var tagged = new byte[frame.Length + Length];
        frame[..EthernetFrame.TypeOffset].CopyTo(tagged);
        tagged[12] = Tpid >> 8;
        tagged[13] = Tpid & 0xFF;
        tagged[14] = (byte)(Tci >> 8);
        tagged[15] = (byte)Tci;
        frame[EthernetFrame.TypeOffset..].CopyTo(tagged.AsSpan(EthernetFrame.TypeOffset + Length));
        return tagged;
    }

    /// <summary>A copy of the tagged <paramref name="frame"/> without its tag, padded with zeros to the 60-byte
    /// minimum (a 64-byte tagged frame would otherwise become a 60-byte runt on the wire).</summary>
    public static byte[] Strip(ReadOnlySpan<byte> frame)
    {
        var length = Math.Max(frame.Length - Length, EthernetFrame.MinimumLength);
        var untagged = new byte[length];
        frame[..EthernetFrame.TypeOffset].CopyTo(untagged);
        frame[(EthernetFrame.TypeOffset + Length)..].CopyTo(untagged.AsSpan(EthernetFrame.TypeOffset));
        return untagged;
    }

    /// <inheritdoc/>
    public override string ToString() => $"802.1Q PCP {Pcp} DEI {(Dei ? 1 : 0)} VID {Vid}";
}
