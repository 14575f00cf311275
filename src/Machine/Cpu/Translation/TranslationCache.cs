using System.Diagnostics;

namespace VirtualizationWorkbench.Machine.Cpu.Translation;

/// <summary>
/// One core's translated code: blocks by guest address, ring and fetch frame; how often each untranslated
/// address ran (code is translated once it is hot, so a program that runs once does not pay for compiling); a
/// map of the RAM lines that hold translated code, which translated stores consult; and the epoch that says when
/// blocks must be checked against memory again.
/// </summary>
/// <remarks>
/// Invalidation, as QEMU's write protection of code pages, at the granularity of a 64-byte line and exact for
/// every writer: a translated store to a line of the code map leaves its block and the interpreter does it; every
/// write the core makes outside translated code passes <c>Core.NoteWrite</c>, which remembers a write to such a
/// line. Only then (or after a device ran, or when a run starts, since the host or another core may have written)
/// does the epoch move on, and a block whose epoch is older is compared with memory, word by word, before it runs
/// again; a block that no longer matches is dropped. A write to data elsewhere, or to data beside the code outside
/// its lines, checks nothing.
/// </remarks>
internal sealed class TranslationCache
{
    /// <summary>log2 of the bytes of RAM one code-map entry covers.</summary>
    public const int LineShift = 6;

    private const int Slots = 4096;

    private readonly TranslatedBlock?[] blocks = new TranslatedBlock?[Slots];
    private readonly uint[] hotPc = new uint[Slots];
    private readonly int[] hotMode = new int[Slots];
    private readonly int[] hotFrame = new int[Slots];
    private readonly int[] hotCount = new int[Slots];
    private readonly int[] hotLength = new int[Slots];
    private readonly byte[] ram;
    private readonly Core core;
    // Made when the first block is measured, after the warm-up: its type's set-up (the reflection the emitter
    // needs) is part of the start-up a short program should not pay.
    private BlockTranslator? translator;

    /// <summary>A cache for <paramref name="core"/>.</summary>
    public TranslationCache(Core core)
    {
        ram = core.Machine.Memory.Bytes;
        CodeMap = new byte[(ram.Length >> LineShift) + 1];
        this.core = core;
        Array.Fill(hotPc, 1u); // no entry: block starts are word-aligned
    }

    /// <summary>Entries per RAM line: non-zero where translated code lies within 3 bytes.</summary>
    public byte[] CodeMap { get; }

    /// <summary>Moves on whenever something other than translated code may have written memory.</summary>
    public long Epoch;

    /// <summary>The core's instruction count at which the warm-up ends and translating may begin (see
    /// <c>Core.TranslationWarmup</c>).</summary>
    public ulong WarmupEnd;

    /// <summary>Times an address must be reached before its block is translated.</summary>
    public int Threshold { get; set; } = 50;

    /// <summary>Blocks translated (again after invalidation counts again).</summary>
    public long BlocksTranslated;

    /// <summary>IL bytes generated.</summary>
    public long IlBytes;

    /// <summary>Blocks entered by the dispatcher (an in-place loop counts once per entry).</summary>
    public long BlocksExecuted;

    /// <summary>Blocks entered through a chain rather than a lookup.</summary>
    public long ChainedEntries;

    /// <summary>Blocks that left early for the interpreter (a TLB miss, a store near code, a slow access).</summary>
    public long EarlyExits;

    /// <summary>Blocks that left because an access they made by the slow path faulted (the dispatcher delivered
    /// the exception).</summary>
    public long Faults;

    /// <summary>Blocks compared with memory before they ran (after a write near translated code, a device, or the
    /// start of a run).</summary>
    public long Verifications;

    /// <summary>Blocks ending with <c>iret</c> after which the dispatcher went on instead of returning to the run
    /// loop, which had nothing to do (no stop asked, no interrupt that IF lets in).</summary>
    public long SlicesContinued;

    /// <summary>Blocks dropped because memory under them changed.</summary>
    public long BlocksInvalidated;

    /// <summary>Guest instructions the interpreter ran for the translator.</summary>
    public long InterpretedInstructions;

    /// <summary>Stopwatch ticks spent translating.</summary>
    public long TranslationTicks => translator?.TranslationTicks ?? 0;

    /// <summary>
    /// The block for <paramref name="pc"/> in <paramref name="mode"/> fetched from <paramref name="frame"/>,
    /// translating it if it has become hot; null when there is none yet, with <paramref name="interpret"/> the
    /// instructions the interpreter should run (the untranslated block's length).
    /// </summary>
    public TranslatedBlock? Find(uint pc, int mode, int frame, out int interpret)
    {
        var slot = (int)(((pc >> 2) ^ ((uint)mode << 10)) & (Slots - 1));
        var block = blocks[slot];
        if (block is not null && block.Pc == pc && block.Mode == mode && block.Frame == frame && block.Valid)
        {
            interpret = 0;
            return block;
        }
        if (hotPc[slot] != pc || hotMode[slot] != mode || hotFrame[slot] != frame)
        {
            hotPc[slot] = pc;
            hotMode[slot] = mode;
            hotFrame[slot] = frame;
            hotCount[slot] = 0;
            translator ??= new BlockTranslator(core);
            hotLength[slot] = translator.Measure(pc, mode, frame);
        }
        var length = hotLength[slot];
        if (length == 0 || ++hotCount[slot] < Threshold)
        {
            interpret = Math.Max(1, length);
            return null;
        }
        block = translator!.Translate(pc, mode, frame);
        if (block is null)
        {
            hotLength[slot] = 0;
            interpret = 1;
            return null;
        }
        hotCount[slot] = 0;
        foreach (var at in block.CodeIndices)
        {
            for (var line = Math.Max(0, at - 3) >> LineShift; line <= (at + 3) >> LineShift; line++) CodeMap[line] = 1;
        }
        BlocksTranslated++;
        IlBytes += block.IlBytes;
        block.VerifiedEpoch = Epoch;
        blocks[slot] = block;
        interpret = 0;
        return block;
    }

    /// <summary>Whether <paramref name="block"/> still matches memory; drops it if not.</summary>
    public bool Verify(TranslatedBlock block)
    {
        Verifications++;
        var indices = block.CodeIndices;
        var words = block.CodeWords;
        for (var i = 0; i < indices.Length; i++)
        {
            if (BitConverter.ToUInt32(ram, indices[i]) != words[i])
            {
                Drop(block);
                return false;
            }
        }
        block.VerifiedEpoch = Epoch;
        return true;
    }

    private void Drop(TranslatedBlock block)
    {
        block.Valid = false;
        BlocksInvalidated++;
        var slot = (int)(((block.Pc >> 2) ^ ((uint)block.Mode << 10)) & (Slots - 1));
        if (blocks[slot] == block) blocks[slot] = null;
    }

    /// <summary>Throws every translation away (the cost table or the memory window changed).</summary>
    public void Flush()
    {
        foreach (var block in blocks)
        {
            if (block is not null) block.Valid = false;
        }
        Array.Clear(blocks);
        Array.Fill(hotPc, 1u);
        Array.Clear(CodeMap);
        Epoch++;
    }

    /// <summary>The figures so far.</summary>
    public TranslationStatistics Statistics => new(BlocksTranslated, IlBytes,
        TimeSpan.FromSeconds((double)TranslationTicks / Stopwatch.Frequency), BlocksExecuted, ChainedEntries,
        BlocksInvalidated, InterpretedInstructions, EarlyExits, Verifications, Faults, SlicesContinued);
}
