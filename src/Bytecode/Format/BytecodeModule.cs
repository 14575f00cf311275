using System.Buffers.Binary;
using System.Text;

namespace VirtualizationWorkbench.Bytecode.Format;

/// <summary>
/// A compiled program, the course's <c>.class</c> file: functions with their code, the entry function, and the
/// debugging information (the source file's name, function names, line tables). The layout is in
/// <c>curriculum/reference/bytecode.md</c>; both VMs read exactly these bytes.
/// </summary>
/// <remarks>
/// <code>
/// 0   "VBC1"                      magic
/// 4   u16 version (1)             6   u16 function count
/// 8   u16 entry function          10  u16 0
/// 12  u32 debug section offset (0: none)
/// 16  function table, 16 bytes each:
///       +0 u8 parameters  +1 u8 locals  +2 u16 max stack  +4 u32 reference-parameter mask
///       +8 u32 code offset (from the file's start)  +12 u32 code length
///     code of every function
///     debug: u16 length + source file name; per function: u16 length + name, u16 count, count × (u16 offset, u16 line, u16 column)
///       then (optional, absent in older files) per function: u8 count, count × (u16 length + local's name)
/// </code>
/// </remarks>
public sealed class BytecodeModule
{
    /// <summary>The file's first four bytes.</summary>
    public static ReadOnlySpan<byte> Magic => "VBC1"u8;

    /// <summary>The version this workbench writes and reads.</summary>
    public const int Version = 1;

    /// <summary>The size of the fixed header.</summary>
    public const int HeaderSize = 16;

    /// <summary>The size of one function-table entry.</summary>
    public const int FunctionEntrySize = 16;

    /// <summary>The most functions a module has (a call names one in a byte).</summary>
    public const int MaxFunctions = 255;

    /// <summary>A module of <paramref name="functions"/> starting at <paramref name="entry"/>.</summary>
    public BytecodeModule(IReadOnlyList<BytecodeFunction> functions, int entry, string sourceFile)
    {
        Functions = functions;
        Entry = entry;
        SourceFile = sourceFile;
    }

    /// <summary>The functions, by index.</summary>
    public IReadOnlyList<BytecodeFunction> Functions { get; }

    /// <summary>The index of the function that runs first (it takes no parameters).</summary>
    public int Entry { get; }

    /// <summary>The source file it was compiled from ("" if unknown).</summary>
    public string SourceFile { get; }

    /// <summary>The module as <c>.vbc</c> bytes.</summary>
    public byte[] ToBytes()
    {
        var codeStart = HeaderSize + Functions.Count * FunctionEntrySize;
        var codeSize = Functions.Sum(f => f.Code.Length);
        var output = new MemoryStream();
        var header = new byte[codeStart];
        Magic.CopyTo(header);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(4), Version);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(6), (ushort)Functions.Count);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(8), (ushort)Entry);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(12), (uint)(codeStart + codeSize));
        var offset = codeStart;
        for (var i = 0; i < Functions.Count; i++)
        {
            var f = Functions[i];
            var entry = header.AsSpan(HeaderSize + i * FunctionEntrySize);
            entry[0] = (byte)f.Parameters;
            entry[1] = (byte)f.Locals;
            BinaryPrimitives.WriteUInt16LittleEndian(entry[2..], (ushort)f.MaxStack);
            BinaryPrimitives.WriteUInt32LittleEndian(entry[4..], f.ReferenceParameters);
            BinaryPrimitives.WriteUInt32LittleEndian(entry[8..], (uint)offset);
            BinaryPrimitives.WriteUInt32LittleEndian(entry[12..], (uint)f.Code.Length);
            offset += f.Code.Length;
        }
        output.Write(header);
        foreach (var f in Functions) output.Write(f.Code);
        var debug = new BinaryWriter(output, Encoding.UTF8, leaveOpen: true);
        WriteText(debug, SourceFile);
        foreach (var f in Functions)
        {
            WriteText(debug, f.Name);
            debug.Write((ushort)f.Lines.Count);
            foreach (var line in f.Lines)
            {
                debug.Write((ushort)line.Offset);
                debug.Write((ushort)Math.Min(line.Line, ushort.MaxValue));
                debug.Write((ushort)Math.Min(line.Column, ushort.MaxValue));
            }
        }
        // Appended after every line table, so a file without them (an older one) reads as before.
        foreach (var f in Functions)
        {
            var count = Math.Min(f.LocalNames.Count, f.Locals);
            debug.Write((byte)count);
            for (var i = 0; i < count; i++) WriteText(debug, f.LocalNames[i]);
        }
        debug.Flush();
        return output.ToArray();

        static void WriteText(BinaryWriter writer, string text)
        {
            var bytes = Encoding.UTF8.GetBytes(text);
            writer.Write((ushort)Math.Min(bytes.Length, ushort.MaxValue));
            writer.Write(bytes, 0, Math.Min(bytes.Length, ushort.MaxValue));
        }
    }

    /// <summary>
    /// Reads a <c>.vbc</c> file (the class loader's first half: the verifier is the second). Checks the layout
    /// only: that every table and piece of code lies inside the file. Whether the code is safe to run is
    /// <see cref="Verification.Verifier"/>'s business.
    /// </summary>
    /// <exception cref="BytecodeFormatException">The bytes are not a module; the message names the byte.</exception>
    public static BytecodeModule Parse(ReadOnlySpan<byte> data)
    {
        if (data.Length < HeaderSize) throw new BytecodeFormatException($"the file is {data.Length} bytes, shorter than the {HeaderSize}-byte header");
        if (!data[..4].SequenceEqual(Magic)) throw new BytecodeFormatException("the file does not start with \"VBC1\": it is not a bytecode module (compile a .wl source with `workbench bytecode compile`)");
        var version = BinaryPrimitives.ReadUInt16LittleEndian(data[4..]);
        if (version != Version) throw new BytecodeFormatException($"version {version} at byte 4: this workbench reads version {Version}");
        var count = BinaryPrimitives.ReadUInt16LittleEndian(data[6..]);
        var entry = BinaryPrimitives.ReadUInt16LittleEndian(data[8..]);
        var debugOffset = BinaryPrimitives.ReadUInt32LittleEndian(data[12..]);
        if (count is 0 or > MaxFunctions) throw new BytecodeFormatException($"{count} functions at byte 6: a module has 1 to {MaxFunctions}");
        if (entry >= count) throw new BytecodeFormatException($"entry function {entry} at byte 8: the module has {count} functions");
        if (HeaderSize + count * FunctionEntrySize > data.Length) throw new BytecodeFormatException($"the function table ({count} entries from byte {HeaderSize}) runs past the end of the file ({data.Length} bytes)");
        var raw = new (int Parameters, int Locals, int MaxStack, uint Mask, byte[] Code)[count];
        for (var i = 0; i < count; i++)
        {
            var at = HeaderSize + i * FunctionEntrySize;
            var e = data[at..];
            var codeOffset = BinaryPrimitives.ReadUInt32LittleEndian(e[8..]);
            var codeLength = BinaryPrimitives.ReadUInt32LittleEndian(e[12..]);
            if (codeOffset > data.Length || codeLength > data.Length - codeOffset)
            {
                throw new BytecodeFormatException($"function {i}'s code (offset {codeOffset}, {codeLength} bytes, table entry at byte {at}) lies outside the file ({data.Length} bytes)");
            }
            if (codeLength > ushort.MaxValue) throw new BytecodeFormatException($"function {i}'s code is {codeLength} bytes (table entry at byte {at}): at most {ushort.MaxValue}");
            raw[i] = (e[0], e[1], BinaryPrimitives.ReadUInt16LittleEndian(e[2..]), BinaryPrimitives.ReadUInt32LittleEndian(e[4..]), data.Slice((int)codeOffset, (int)codeLength).ToArray());
        }
        var names = new string[count];
        var lines = new LineEntry[count][];
        var localNames = new string[]?[count];
        var source = "";
        for (var i = 0; i < count; i++)
        {
            names[i] = $"f{i}";
            lines[i] = [];
        }
        if (debugOffset != 0 && debugOffset < data.Length)
        {
            // Debugging information only names things: a damaged section is dropped, never fatal.
            try
            {
                var reader = new SpanReader(data[(int)debugOffset..]);
                source = reader.Text();
                var readNames = new string[count];
                var readLines = new LineEntry[count][];
                for (var i = 0; i < count; i++)
                {
                    readNames[i] = reader.Text();
                    var n = reader.U16();
                    readLines[i] = new LineEntry[n];
                    for (var j = 0; j < n; j++) readLines[i][j] = new LineEntry(reader.U16(), reader.U16(), reader.U16());
                }
                names = readNames;
                lines = readLines;
                if (!reader.AtEnd)
                {
                    var readLocals = new string[]?[count];
                    for (var i = 0; i < count; i++)
                    {
                        var named = new string[reader.U8()];
                        for (var j = 0; j < named.Length; j++) named[j] = reader.Text();
                        readLocals[i] = named;
                    }
                    localNames = readLocals;
                }
            }
            catch (BytecodeFormatException)
            {
                source = "";
                localNames = new string[]?[count];
            }
        }
        var functions = new BytecodeFunction[count];
        for (var i = 0; i < count; i++)
        {
            functions[i] = new BytecodeFunction(names[i], raw[i].Parameters, raw[i].Locals, raw[i].MaxStack, raw[i].Mask, raw[i].Code, lines[i])
            {
                LocalNames = localNames[i] ?? [],
            };
        }
        return new BytecodeModule(functions, entry, source);
    }

    /// <summary>Where a function's code starts in the file's bytes (the guest VM reads it there).</summary>
    public static int CodeOffsetOf(ReadOnlySpan<byte> data, int function) =>
        (int)BinaryPrimitives.ReadUInt32LittleEndian(data[(HeaderSize + function * FunctionEntrySize + 8)..]);

    private ref struct SpanReader(ReadOnlySpan<byte> data)
    {
        private readonly ReadOnlySpan<byte> data = data;
        private int position;

        public readonly bool AtEnd => position >= data.Length;

        public byte U8()
        {
            if (position + 1 > data.Length) throw new BytecodeFormatException("debug section truncated");
            return data[position++];
        }

        public ushort U16()
        {
            if (position + 2 > data.Length) throw new BytecodeFormatException("debug section truncated");
            var value = BinaryPrimitives.ReadUInt16LittleEndian(data[position..]);
            position += 2;
            return value;
        }

        public string Text()
        {
            var length = U16();
            if (position + length > data.Length) throw new BytecodeFormatException("debug section truncated");
            var text = Encoding.UTF8.GetString(data.Slice(position, length));
            position += length;
            return Machine.Assembler.Diagnostic.Printable(text);
        }
    }
}
