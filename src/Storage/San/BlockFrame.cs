using System.Buffers.Binary;
using VirtualizationWorkbench.Machine.Devices;

namespace VirtualizationWorkbench.Storage.San;

/// <summary>
/// The SAN's block protocol, one request or reply per Ethernet frame, in the spirit of iSCSI (and closer still
/// to ATA over Ethernet, which also rides bare Ethernet). After the two MAC addresses and EtherType 0x88B5 (IEEE's
/// local experimental type): operation (1 read, 2 write; replies set bit 7), status (a <see cref="BlockStatus"/>),
/// a 16-bit tag matching a reply to its request, the sector (32 bits), the sector count (16 bits), then the data
/// of a write request or a read reply. At most <see cref="MaxSectors"/> sectors fit a frame.
/// </summary>
public static class BlockFrame
{
    /// <summary>The EtherType.</summary>
    public const ushort EtherType = 0x88B5;
    /// <summary>Bytes before the data.</summary>
    public const int HeaderLength = 14 + 10;
    /// <summary>Sectors per frame: two, so a frame stays under 1,518 bytes.</summary>
    public const int MaxSectors = 2;
    /// <summary>Read and write operations.</summary>
    public const byte Read = 1, Write = 2, Reply = 0x80;

    /// <summary>Builds a frame.</summary>
    public static byte[] Build(ulong destination, ulong source, byte operation, BlockStatus status, ushort tag, uint sector, ushort count, ReadOnlySpan<byte> data)
    {
        var frame = new byte[HeaderLength + data.Length];
        WriteMac(frame.AsSpan(0), destination);
        WriteMac(frame.AsSpan(6), source);
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(12), EtherType);
        frame[14] = operation;
        frame[15] = (byte)status;
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(16), tag);
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(18), sector);
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(22), count);
        data.CopyTo(frame.AsSpan(HeaderLength));
        return frame;
    }

    /// <summary>Whether a frame is this protocol's and long enough for what its header says.</summary>
    public static bool IsValid(ReadOnlySpan<byte> frame)
    {
        if (frame.Length < HeaderLength || BinaryPrimitives.ReadUInt16BigEndian(frame[12..]) != EtherType) return false;
        var count = Count(frame);
        var carriesData = Operation(frame) is Write or (Read | Reply);
        return count is >= 1 and <= MaxSectors && (!carriesData || frame.Length >= HeaderLength + count * BlockDisk.SectorSize || (Operation(frame) & Reply) != 0 && Status(frame) != BlockStatus.Ok);
    }

    public static ulong Source(ReadOnlySpan<byte> frame) => ReadMac(frame[6..]);
    public static byte Operation(ReadOnlySpan<byte> frame) => frame[14];
    public static BlockStatus Status(ReadOnlySpan<byte> frame) => (BlockStatus)frame[15];
    public static ushort Tag(ReadOnlySpan<byte> frame) => BinaryPrimitives.ReadUInt16BigEndian(frame[16..]);
    public static uint Sector(ReadOnlySpan<byte> frame) => BinaryPrimitives.ReadUInt32BigEndian(frame[18..]);
    public static ushort Count(ReadOnlySpan<byte> frame) => BinaryPrimitives.ReadUInt16BigEndian(frame[22..]);
    public static ReadOnlySpan<byte> Data(ReadOnlySpan<byte> frame) => frame[HeaderLength..];

    private static void WriteMac(Span<byte> to, ulong mac)
    {
        for (var i = 0; i < 6; i++) to[i] = (byte)(mac >> (8 * (5 - i)));
    }

    private static ulong ReadMac(ReadOnlySpan<byte> from)
    {
        ulong mac = 0;
        for (var i = 0; i < 6; i++) mac = (mac << 8) | from[i];
        return mac;
    }
}
