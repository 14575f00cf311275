using System.Runtime.InteropServices;
using VirtualizationWorkbench.Emulation.Cpu;
using VirtualizationWorkbench.Emulation.Decoding;

namespace VirtualizationWorkbench.Emulation.Translation;

/// <summary>
/// The block translator (QEMU's TCG model): translates a basic block of guest code once into host code
/// (<see cref="Rv32BlockCompiler"/>), keeps it in a cache by guest address, chains blocks to their successors,
/// and invalidates them when the guest writes to their page (self-modifying code, a loader). Slices shorter than
/// the next block, system instructions and slow memory accesses go to the interpreter, so both engines give the
/// same results and counters.
/// </summary>
public sealed class Rv32BlockTranslator
{
    /// <summary>At most this many instructions in a block.</summary>
    public const int MaxBlockLength = 64;

    private const uint PageSize = 4096;

    private readonly Dictionary<uint, Rv32Block> cache = [];
    private readonly Dictionary<uint, List<Rv32Block>> blocksByPage = [];
    private readonly Rv32Memory memory;
    private readonly List<Rv32Instruction> decoded = new(MaxBlockLength);

    /// <summary>A translator for harts on <paramref name="memory"/>; it watches stores into translated code.</summary>
    public Rv32BlockTranslator(Rv32Memory memory)
    {
        this.memory = memory;
        memory.CodeWritten = address => Invalidate(address, 4);
    }

    /// <summary>Blocks translated (a block translated again after invalidation counts again).</summary>
    public long BlocksTranslated { get; private set; }

    /// <summary>Translated blocks entered from the dispatcher (a block looping on itself in place counts once per
    /// entry).</summary>
    public long BlocksExecuted { get; private set; }

    /// <summary>Blocks entered through a chain rather than a cache lookup.</summary>
    public long ChainedEntries { get; private set; }

    /// <summary>Blocks thrown away because their code was overwritten.</summary>
    public long BlocksInvalidated { get; private set; }

    /// <summary>Guest instructions the interpreter ran for the translator (slow paths, system instructions,
    /// the tail of a slice shorter than a block).</summary>
    public long InterpretedInstructions { get; private set; }

    /// <summary>Runs up to <paramref name="count"/> instructions, as <see cref="Rv32Interpreter.Run"/> does.</summary>
    internal bool Run(Rv32Hart hart, ulong count)
    {
        ref var s = ref hart.State;
        ref var ram = ref MemoryMarshal.GetArrayDataReference(memory.Ram);
        var codePages = memory.CodePages;
        var end = s.Instructions + count;
        Rv32Block? previous = null;
        while (s.Instructions < end)
        {
            var pc = s.Pc;
            Rv32Block? block = null;
            if (previous is not null)
            {
                if (previous.Next0 is { Valid: true } first && first.Start == pc) block = first;
                else if (previous.Next1 is { Valid: true } second && second.Start == pc) block = second;
                if (block is not null) ChainedEntries++;
            }
            if (block is null)
            {
                block = Lookup(pc);
                if (block is not null && previous is not null)
                {
                    previous.Next1 = previous.Next0;
                    previous.Next0 = block;
                }
            }
            if (block is null || (ulong)block.Instructions > end - s.Instructions)
            {
                return Interpret(hart, block is null ? 1 : end - s.Instructions);
            }
            BlocksExecuted++;
            if (block.Code(ref s, ref ram, codePages, end) == BlockResult.NeedsHart)
            {
                return Interpret(hart, 1);
            }
            previous = block;
        }
        return false;
    }

    private bool Interpret(Rv32Hart hart, ulong count)
    {
        var before = hart.State.Instructions;
        var stopped = Rv32Interpreter.Run(hart, count);
        InterpretedInstructions += (long)(hart.State.Instructions - before);
        return stopped;
    }

    /// <summary>Throws away every block made from guest bytes in [address, address + length).</summary>
    public void Invalidate(uint address, uint length)
    {
        if (length == 0) return;
        var first = (address - memory.RamBase) / PageSize;
        var last = (address + length - 1 - memory.RamBase) / PageSize;
        for (var page = first; page <= last && page < memory.CodePages.Length; page++)
        {
            if (memory.CodePages[page] == 0) continue;
            memory.CodePages[page] = 0;
            if (!blocksByPage.Remove(page, out var blocks)) continue;
            foreach (var block in blocks)
            {
                block.Valid = false;
                if (cache.TryGetValue(block.Start, out var cached) && cached == block) cache.Remove(block.Start);
                BlocksInvalidated++;
            }
        }
    }

    private Rv32Block? Lookup(uint pc)
    {
        if (cache.TryGetValue(pc, out var block)) return block;
        block = Translate(pc);
        if (block is not null) cache[pc] = block;
        return block;
    }

    // Decodes from pc to the first jump or branch (included), stopping before anything only the hart runs, at
    // the end of the page, or after MaxBlockLength instructions. Null when the first instruction cannot start a
    // block (the interpreter runs it).
    private Rv32Block? Translate(uint start)
    {
        if ((start & 3) != 0 || !memory.InRam(start, 4)) return null;
        decoded.Clear();
        var pc = start;
        var pageEnd = (start - memory.RamBase) / PageSize * PageSize + PageSize + memory.RamBase;
        while (decoded.Count < MaxBlockLength && pc != pageEnd && memory.InRam(pc, 4))
        {
            var instruction = Rv32Decoder.Decode(BitConverter.ToUInt32(memory.Ram, (int)(pc - memory.RamBase)));
            if (instruction.NeedsHart) break;
            decoded.Add(instruction);
            pc += 4;
            if (instruction.EndsBlock) break;
        }
        if (decoded.Count == 0) return null;
        var block = new Rv32Block(start, pc, decoded.Count, Rv32BlockCompiler.Compile(start, pc, decoded, memory));
        var page = (start - memory.RamBase) / PageSize;
        memory.CodePages[page] = 1;
        if (!blocksByPage.TryGetValue(page, out var list)) blocksByPage[page] = list = [];
        list.Add(block);
        BlocksTranslated++;
        return block;
    }
}
