using System.Buffers.Binary;
using System.Text;

namespace VirtualizationWorkbench.Machine.Assembler;

/// <summary>A block of bytes to load at an address.</summary>
/// <param name="Address">Physical load address.</param>
/// <param name="Bytes">The contents.</param>
public sealed record Segment(uint Address, byte[] Bytes);

/// <summary>
/// An assembled program: segments, an entry point and the symbol table. Saved as a <c>.bin</c> file:
/// <c>"VW32"</c>, u16 version 1, u16 0, u32 entry, u32 segment count, u32 symbol count, then per segment
/// u32 address, u32 length and the bytes, then per symbol u32 value, u16 name length and the UTF-8 name;
/// all little-endian.
/// </summary>
public sealed class ProgramImage
{
    private static readonly byte[] Magic = "VW32"u8.ToArray();
    private const ushort Version = 1;

    /// <summary>Creates an image.</summary>
    public ProgramImage(uint entry, IReadOnlyList<Segment> segments, IReadOnlyDictionary<string, uint> symbols)
    {
        Entry = entry;
        Segments = segments;
        Symbols = symbols;
    }

    /// <summary>Where execution starts.</summary>
    public uint Entry { get; }

    /// <summary>What to load where.</summary>
    public IReadOnlyList<Segment> Segments { get; }

    /// <summary>Labels and constants by name.</summary>
    public IReadOnlyDictionary<string, uint> Symbols { get; }

    /// <summary>The name of the label at exactly <paramref name="address"/>, if any (constants excluded when a
    /// label shares the value is not distinguishable, so the alphabetically first name is chosen).</summary>
    public string? LabelAt(uint address)
    {
        string? best = null;
        foreach (var (name, value) in Symbols)
        {
            if (value == address && (best is null || string.CompareOrdinal(name, best) < 0)) best = name;
        }
        return best;
    }

    /// <summary>The file form.</summary>
    public byte[] ToBytes()
    {
        using var stream = new MemoryStream();
        using var w = new BinaryWriter(stream);
        w.Write(Magic);
        w.Write(Version);
        w.Write((ushort)0);
        w.Write(Entry);
        w.Write(Segments.Count);
        w.Write(Symbols.Count);
        foreach (var s in Segments)
        {
            w.Write(s.Address);
            w.Write(s.Bytes.Length);
            w.Write(s.Bytes);
        }
        foreach (var (name, value) in Symbols.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var bytes = Encoding.UTF8.GetBytes(name);
            w.Write(value);
            w.Write((ushort)bytes.Length);
            w.Write(bytes);
        }
        w.Flush();
        return stream.ToArray();
    }

    /// <summary>Reads the file form.</summary>
    /// <exception cref="FormatException">The bytes are not a VW32 program; the message says what is wrong.</exception>
    public static ProgramImage Parse(ReadOnlySpan<byte> data, string source = "program")
    {
        var reader = new SpanReader(data, source);
        if (data.Length < 4 || !data[..4].SequenceEqual(Magic))
        {
            throw new FormatException($"{source}: not a VW32 program (it does not start with \"VW32\"); assemble a .s file with 'workbench asm' first");
        }
        reader.Skip(4);
        var version = reader.U16();
        if (version != Version) throw new FormatException($"{source}: program format version {version} is not supported (expected {Version})");
        reader.U16();
        var entry = reader.U32();
        var segmentCount = reader.U32();
        var symbolCount = reader.U32();
        if (segmentCount > 4096 || symbolCount > 1_000_000) throw new FormatException($"{source}: implausible header ({segmentCount} segments, {symbolCount} symbols); the file is corrupt");
        var segments = new List<Segment>((int)segmentCount);
        for (var i = 0; i < segmentCount; i++)
        {
            var address = reader.U32();
            var length = reader.U32();
            segments.Add(new Segment(address, reader.Bytes(length)));
        }
        var symbols = new Dictionary<string, uint>(StringComparer.Ordinal);
        for (var i = 0; i < symbolCount; i++)
        {
            var value = reader.U32();
            var name = Encoding.UTF8.GetString(reader.Bytes(reader.U16()));
            symbols[name] = value;
        }
        if (!reader.AtEnd) throw new FormatException($"{source}: {reader.Remaining} unexpected bytes after the symbol table; the file is corrupt");
        return new ProgramImage(entry, segments, symbols);
    }

    private ref struct SpanReader(ReadOnlySpan<byte> data, string source)
    {
        private readonly ReadOnlySpan<byte> data = data;
        private int position;

        public readonly bool AtEnd => position == data.Length;
        public readonly int Remaining => data.Length - position;

        public void Skip(int n) => Take(n);
        public ushort U16() => BinaryPrimitives.ReadUInt16LittleEndian(Take(2));
        public uint U32() => BinaryPrimitives.ReadUInt32LittleEndian(Take(4));
        public byte[] Bytes(uint n) => Take(checked((int)Math.Min(n, int.MaxValue))).ToArray();

        private ReadOnlySpan<byte> Take(int n)
        {
            if (n < 0 || n > data.Length - position)
            {
                throw new FormatException($"{source}: the file ends at byte {data.Length} where {n} more bytes were expected at {position}; it is truncated or corrupt");
            }
            var span = data.Slice(position, n);
            position += n;
            return span;
        }
    }
}
