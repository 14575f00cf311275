using System.Buffers.Binary;

namespace VirtualizationWorkbench.Network.Capture;

/// <summary>
/// Reads back a classic pcap file of Ethernet frames, as <see cref="PcapWriter"/> writes it (little-endian,
/// microsecond time stamps, link type 1): what a lab script sees of a capture is then the very bytes tshark reads.
/// Anything else (another byte order, nanosecond stamps, another link type, a cut-off record) is refused with
/// what is wrong and where, never half-read.
/// </summary>
public static class PcapReader
{
    /// <summary>One frame of a capture: its number from 1 (tshark's <c>frame.number</c>), when it was seen, in
    /// microseconds from the epoch, and its bytes from the destination address on.</summary>
    public sealed record Record(int Number, long Microseconds, byte[] Frame);

    /// <summary>The frames of <paramref name="file"/>, in order; <paramref name="name"/> names it in errors.</summary>
    /// <exception cref="InvalidDataException">The file is not a pcap file of this kind.</exception>
    public static IReadOnlyList<Record> Read(ReadOnlySpan<byte> file, string name)
    {
        if (file.Length < 24) throw new InvalidDataException($"{name}: {file.Length} bytes, shorter than a pcap file's 24-byte header");
        if (BinaryPrimitives.ReadUInt32LittleEndian(file) != PcapWriter.Magic)
        {
            throw new InvalidDataException($"{name}: not a little-endian pcap file with microsecond time stamps (magic 0x{BinaryPrimitives.ReadUInt32LittleEndian(file):X8})");
        }
        var linkType = BinaryPrimitives.ReadUInt32LittleEndian(file[20..]);
        if (linkType != PcapWriter.LinkTypeEthernet) throw new InvalidDataException($"{name}: link type {linkType}, not Ethernet (1)");
        var records = new List<Record>();
        var at = 24;
        while (at < file.Length)
        {
            if (file.Length - at < 16) throw new InvalidDataException($"{name}: the record header at byte {at} is cut off");
            var seconds = BinaryPrimitives.ReadUInt32LittleEndian(file[at..]);
            var micros = BinaryPrimitives.ReadUInt32LittleEndian(file[(at + 4)..]);
            var stored = BinaryPrimitives.ReadUInt32LittleEndian(file[(at + 8)..]);
            if (stored > PcapWriter.SnapLength || stored > file.Length - at - 16)
            {
                throw new InvalidDataException($"{name}: frame {records.Count + 1} at byte {at} claims {stored} bytes; the file has {file.Length - at - 16} left");
            }
            records.Add(new Record(records.Count + 1, seconds * 1_000_000L + micros, file.Slice(at + 16, (int)stored).ToArray()));
            at += 16 + (int)stored;
        }
        return records;
    }
}
