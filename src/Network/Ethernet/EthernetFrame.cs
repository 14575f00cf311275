namespace VirtualizationWorkbench.Network.Ethernet;

/// <summary>
/// The layout and size limits of an Ethernet II frame as the workbench carries it: destination MAC, source MAC,
/// then the EtherType (or an 802.1Q tag and then the EtherType), then the payload; no preamble and no frame check
/// sequence (FCS). The limits below are therefore 4 bytes under the ones quoted with the FCS: an untagged frame is
/// 64 to 1518 bytes on the wire, a tagged one up to 1522.
/// </summary>
public static class EthernetFrame
{
    /// <summary>Byte offset of the EtherType, or of the 802.1Q tag's TPID.</summary>
    public const int TypeOffset = 12;

    /// <summary>Smallest frame anything reads: two addresses and a type.</summary>
    public const int HeaderLength = 14;

    /// <summary>Minimum frame without FCS (64 on the wire); shorter frames are padded with zeros when a tag is
    /// removed, as 802.1Q requires.</summary>
    public const int MinimumLength = 60;

    /// <summary>Largest untagged frame without FCS (1518 on the wire).</summary>
    public const int MaximumUntagged = 1514;

    /// <summary>Largest tagged frame without FCS (1522 on the wire): the tag's 4 bytes on top of
    /// <see cref="MaximumUntagged"/>.</summary>
    public const int MaximumTagged = MaximumUntagged + Dot1QTag.Length;

    /// <summary>The EtherType of the workbench's guest programs' frames (0x88B5, IEEE's "local experimental").</summary>
    public const ushort ExperimentalType = 0x88B5;

    /// <summary>The destination address.</summary>
    public static MacAddress Destination(ReadOnlySpan<byte> frame) => MacAddress.Read(frame);

    /// <summary>The source address.</summary>
    public static MacAddress Source(ReadOnlySpan<byte> frame) => MacAddress.Read(frame[6..]);

    /// <summary>The 16-bit big-endian value at <see cref="TypeOffset"/>: an EtherType, or 0x8100 for a tagged frame.</summary>
    public static ushort TypeField(ReadOnlySpan<byte> frame) => (ushort)(frame[TypeOffset] << 8 | frame[TypeOffset + 1]);
}
