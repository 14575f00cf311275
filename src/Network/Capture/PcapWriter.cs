using System.Buffers.Binary;

namespace VirtualizationWorkbench.Network.Capture;

/// <summary>
/// Writes frames in the classic pcap format (pcap-savefile(5)) that tcpdump, tshark and Wireshark read: a 24-byte
/// file header (magic 0xA1B2C3D4 for microsecond time stamps, version 2.4, snapshot length 65535, link type 1 =
/// Ethernet), then per frame a 16-byte record (seconds, microseconds, captured length, original length) and the
/// frame from its destination address on, without FCS. 802.1Q tags need no special link type: they are part of
/// the frame, and Wireshark decodes them itself. Written little-endian, with the magic telling readers so.
/// </summary>
public sealed class PcapWriter
{
    /// <summary>LINKTYPE_ETHERNET.</summary>
    public const uint LinkTypeEthernet = 1;

    /// <summary>The magic number of microsecond-resolution files.</summary>
    public const uint Magic = 0xA1B2C3D4;

    /// <summary>The longest frame stored whole.</summary>
    public const int SnapLength = 65535;

    private readonly Stream output;
    private readonly long microsecondsPerTick;

    /// <summary>Starts a capture on <paramref name="output"/>; tick n is stamped n × <paramref name="microsecondsPerTick"/>
    /// µs after the Unix epoch, so the same run gives the same file.</summary>
    public PcapWriter(Stream output, long microsecondsPerTick)
    {
        this.output = output;
        this.microsecondsPerTick = microsecondsPerTick;
        Span<byte> header = stackalloc byte[24];
        BinaryPrimitives.WriteUInt32LittleEndian(header, Magic);
        BinaryPrimitives.WriteUInt16LittleEndian(header[4..], 2);
        BinaryPrimitives.WriteUInt16LittleEndian(header[6..], 4);
        // thiszone and sigfigs stay 0.
        BinaryPrimitives.WriteUInt32LittleEndian(header[16..], SnapLength);
        BinaryPrimitives.WriteUInt32LittleEndian(header[20..], LinkTypeEthernet);
        output.Write(header);
    }

    /// <summary>Frames written so far.</summary>
    public long Frames { get; private set; }

    /// <summary>Appends one frame seen at tick <paramref name="tick"/>.</summary>
    public void Write(ReadOnlySpan<byte> frame, long tick)
    {
        var microseconds = tick * microsecondsPerTick;
        var stored = Math.Min(frame.Length, SnapLength);
        Span<byte> record = stackalloc byte[16];
        BinaryPrimitives.WriteUInt32LittleEndian(record, (uint)(microseconds / 1_000_000));
        BinaryPrimitives.WriteUInt32LittleEndian(record[4..], (uint)(microseconds % 1_000_000));
        BinaryPrimitives.WriteUInt32LittleEndian(record[8..], (uint)stored);
        BinaryPrimitives.WriteUInt32LittleEndian(record[12..], (uint)frame.Length);
        output.Write(record);
        output.Write(frame[..stored]);
        Frames++;
    }
}
