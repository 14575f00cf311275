using System.Buffers.Binary;
using System.Text;

namespace VirtualizationWorkbench.Emulation.Elf;

/// <summary>
/// A 32-bit little-endian RISC-V executable (ELF), as <c>riscv64-unknown-elf-gcc -march=rv32im -mabi=ilp32</c>
/// writes it: entry point, loadable segments, where the program headers are (user mode hands them to the
/// program in its auxiliary vector) and the symbol table (system mode finds <c>tohost</c> there).
/// </summary>
public sealed class ElfImage
{
    /// <summary>EM_RISCV.</summary>
    public const ushort MachineRiscV = 243;

    private const uint PtLoad = 1;
    private const uint PtTls = 7;

    private ElfImage(string name, uint entry, IReadOnlyList<ElfSegment> segments, uint headerOffset, uint headerCount,
        IReadOnlyDictionary<string, uint> symbols, ElfSegment? tls)
    {
        Name = name;
        Entry = entry;
        Segments = segments;
        ProgramHeaderOffset = headerOffset;
        ProgramHeaderCount = headerCount;
        Symbols = symbols;
        ThreadLocal = tls;
    }

    /// <summary>The file name, for messages.</summary>
    public string Name { get; }

    /// <summary>The address of the first instruction.</summary>
    public uint Entry { get; }

    /// <summary>The PT_LOAD segments in file order.</summary>
    public IReadOnlyList<ElfSegment> Segments { get; }

    /// <summary>e_phoff: where the program headers are in the file.</summary>
    public uint ProgramHeaderOffset { get; }

    /// <summary>e_phnum.</summary>
    public uint ProgramHeaderCount { get; }

    /// <summary>The PT_TLS segment's template, if the program has thread-local data.</summary>
    public ElfSegment? ThreadLocal { get; }

    /// <summary>Global and local symbols with a name, by name (the first definition wins).</summary>
    public IReadOnlyDictionary<string, uint> Symbols { get; }

    /// <summary>The lowest and the highest address (exclusive) the segments occupy.</summary>
    public (uint Low, uint High) Extent => Segments.Count == 0 ? (0, 0)
        : (Segments.Min(s => s.Address), Segments.Max(s => s.Address + s.MemorySize));

    /// <summary>The address the program headers are loaded at, when a segment holds them (as the Linux
    /// loader computes AT_PHDR), else 0.</summary>
    public uint ProgramHeaderAddress { get; private set; }

    /// <summary>Reads an ELF file.</summary>
    /// <exception cref="EmulationError">The file is missing, not an ELF, not RV32, or truncated.</exception>
    public static ElfImage Load(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new EmulationError($"{path}: cannot read it ({e.Message})");
        }
        return Parse(bytes, path);
    }

    /// <summary>Parses the bytes of an ELF file called <paramref name="name"/>.</summary>
    /// <exception cref="EmulationError">Not an ELF, not RV32, or truncated; the message says which.</exception>
    public static ElfImage Parse(ReadOnlySpan<byte> file, string name)
    {
        if (file.Length < 4 || file[0] != 0x7F || file[1] != (byte)'E' || file[2] != (byte)'L' || file[3] != (byte)'F')
        {
            throw new EmulationError($"{name}: not an ELF file (it does not start with 0x7F 'E' 'L' 'F'); give a program built with riscv64-unknown-elf-gcc -march=rv32im -mabi=ilp32");
        }
        if (file.Length < 52)
        {
            throw new EmulationError($"{name}: truncated ELF header ({file.Length} bytes, an ELF32 header has 52)");
        }
        var machine = BinaryPrimitives.ReadUInt16LittleEndian(file[18..]);
        if (file[4] != 1)
        {
            var what = machine == MachineRiscV ? "a 64-bit RISC-V (RV64) program" : $"a 64-bit ELF for {MachineName(machine)}";
            throw new EmulationError($"{name}: {what}; the emulator runs 32-bit RISC-V (RV32IM): build with -march=rv32im -mabi=ilp32");
        }
        if (file[5] != 1)
        {
            throw new EmulationError($"{name}: a big-endian ELF; RISC-V is little-endian");
        }
        if (machine != MachineRiscV)
        {
            throw new EmulationError($"{name}: an ELF for {MachineName(machine)} (machine {machine}), not RISC-V; the emulator runs RV32IM programs");
        }
        var type = BinaryPrimitives.ReadUInt16LittleEndian(file[16..]);
        if (type != 2)
        {
            throw new EmulationError($"{name}: ELF type {type} is not an executable (ET_EXEC); link a static executable (-static), not {(type == 1 ? "an object file" : type == 3 ? "a shared object or a position-independent executable" : "this")}");
        }
        var flags = BinaryPrimitives.ReadUInt32LittleEndian(file[36..]);
        if ((flags & 1) != 0)
        {
            throw new EmulationError($"{name}: built with compressed instructions (the C extension); the emulator runs RV32IM: build with -march=rv32im");
        }
        if ((flags & 6) != 0)
        {
            throw new EmulationError($"{name}: built for a hardware floating-point ABI; the emulator runs RV32IM: build with -mabi=ilp32");
        }
        var entry = BinaryPrimitives.ReadUInt32LittleEndian(file[24..]);
        var phoff = BinaryPrimitives.ReadUInt32LittleEndian(file[28..]);
        var shoff = BinaryPrimitives.ReadUInt32LittleEndian(file[32..]);
        var phentsize = BinaryPrimitives.ReadUInt16LittleEndian(file[42..]);
        var phnum = BinaryPrimitives.ReadUInt16LittleEndian(file[44..]);
        var shentsize = BinaryPrimitives.ReadUInt16LittleEndian(file[46..]);
        var shnum = BinaryPrimitives.ReadUInt16LittleEndian(file[48..]);
        if (phnum == 0)
        {
            throw new EmulationError($"{name}: no program headers: nothing to load");
        }
        if (phentsize != 32 || (ulong)phoff + (ulong)phnum * 32 > (ulong)file.Length)
        {
            throw new EmulationError($"{name}: program headers at offset {phoff} ({phnum} × {phentsize} bytes) go past the end of the file ({file.Length} bytes): truncated?");
        }

        var segments = new List<ElfSegment>();
        ElfSegment? tls = null;
        uint headerAddress = 0;
        for (var i = 0; i < phnum; i++)
        {
            var header = file.Slice((int)(phoff + i * 32), 32);
            var kind = BinaryPrimitives.ReadUInt32LittleEndian(header);
            if (kind != PtLoad && kind != PtTls) continue;
            var offset = BinaryPrimitives.ReadUInt32LittleEndian(header[4..]);
            var vaddr = BinaryPrimitives.ReadUInt32LittleEndian(header[8..]);
            var filesz = BinaryPrimitives.ReadUInt32LittleEndian(header[16..]);
            var memsz = BinaryPrimitives.ReadUInt32LittleEndian(header[20..]);
            var segmentFlags = BinaryPrimitives.ReadUInt32LittleEndian(header[24..]);
            if ((ulong)offset + filesz > (ulong)file.Length)
            {
                throw new EmulationError($"{name}: segment {i} (file offset {offset}, {filesz} bytes) goes past the end of the file ({file.Length} bytes): the file is truncated");
            }
            if (filesz > memsz)
            {
                throw new EmulationError($"{name}: segment {i} has more bytes in the file ({filesz}) than in memory ({memsz})");
            }
            if ((ulong)vaddr + memsz > 1UL << 32)
            {
                throw new EmulationError($"{name}: segment {i} at 0x{vaddr:x8} ({memsz} bytes) runs past the end of the 32-bit address space");
            }
            var segment = new ElfSegment(vaddr, memsz, file.Slice((int)offset, (int)filesz).ToArray(), (segmentFlags & 1) != 0, (segmentFlags & 2) != 0);
            if (kind == PtTls)
            {
                tls = segment;
                continue;
            }
            segments.Add(segment);
            if (phoff >= offset && (ulong)phoff + (ulong)phnum * 32 <= (ulong)offset + filesz)
            {
                headerAddress = vaddr + (phoff - offset);
            }
        }
        if (segments.Count == 0)
        {
            throw new EmulationError($"{name}: no loadable segment (PT_LOAD): nothing to run");
        }
        var symbols = ReadSymbols(file, shoff, shentsize, shnum);
        return new ElfImage(name, entry, segments, phoff, phnum, symbols, tls) { ProgramHeaderAddress = headerAddress };
    }

    // The symbol table is optional (a stripped program has none) and never stops a program from running: a
    // malformed one is read as far as it makes sense.
    private static Dictionary<string, uint> ReadSymbols(ReadOnlySpan<byte> file, uint shoff, int shentsize, int shnum)
    {
        var symbols = new Dictionary<string, uint>(StringComparer.Ordinal);
        if (shoff == 0 || shentsize != 40 || (ulong)shoff + (ulong)shnum * 40 > (ulong)file.Length) return symbols;
        for (var i = 0; i < shnum; i++)
        {
            var section = file.Slice((int)(shoff + i * 40), 40);
            if (BinaryPrimitives.ReadUInt32LittleEndian(section[4..]) != 2) continue;   // SHT_SYMTAB
            var offset = BinaryPrimitives.ReadUInt32LittleEndian(section[16..]);
            var size = BinaryPrimitives.ReadUInt32LittleEndian(section[20..]);
            var link = BinaryPrimitives.ReadUInt32LittleEndian(section[24..]);
            if (link >= shnum || (ulong)offset + size > (ulong)file.Length) continue;
            var strings = file.Slice((int)(shoff + link * 40), 40);
            var stringsOffset = BinaryPrimitives.ReadUInt32LittleEndian(strings[16..]);
            var stringsSize = BinaryPrimitives.ReadUInt32LittleEndian(strings[20..]);
            if ((ulong)stringsOffset + stringsSize > (ulong)file.Length) continue;
            var names = file.Slice((int)stringsOffset, (int)stringsSize);
            for (var at = offset; at + 16 <= offset + size; at += 16)
            {
                var nameIndex = BinaryPrimitives.ReadUInt32LittleEndian(file[(int)at..]);
                var value = BinaryPrimitives.ReadUInt32LittleEndian(file[(int)(at + 4)..]);
                if (nameIndex == 0 || nameIndex >= names.Length) continue;
                var rest = names[(int)nameIndex..];
                var end = rest.IndexOf((byte)0);
                if (end <= 0) continue;
                symbols.TryAdd(Encoding.UTF8.GetString(rest[..end]), value);
            }
        }
        return symbols;
    }

    private static string MachineName(ushort machine) => machine switch
    {
        3 => "x86 (i386)",
        62 => "x86-64",
        40 => "ARM",
        183 => "AArch64",
        8 => "MIPS",
        20 => "PowerPC",
        MachineRiscV => "RISC-V",
        _ => $"machine {machine}",
    };
}
