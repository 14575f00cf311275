using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using VirtualizationWorkbench.Machine.Cpu;
using VirtualizationWorkbench.Machine.Cpu.Translation;

namespace VirtualizationWorkbench.Machine;

/// <summary>
/// The translating engine's dispatcher: the same contract as the interpreter's <c>Execute</c> (same bounds, same
/// return, same <see cref="instructionsRanOut"/>), so <see cref="Run{THooks}"/> treats both alike and delivers
/// interrupts and timer ticks at the same instructions. It runs translated blocks while a whole block fits in
/// the bounds, and the interpreter for everything else.
/// </summary>
public sealed partial class Core
{
    private TranslationCache? translation;

    // The translation cache's code map while the translator is on (null on the interpreter), and whether a write
    // the core made through the interpreter's paths touched a line of it, or a device ran that may have written
    // memory itself. See NoteWrite.
    private byte[]? codeLines;
    private bool codeWritten;

    /// <summary>
    /// The engine that runs this core's guest code. <see cref="ExecutionEngine.Interpreter"/> (a core's own
    /// default; a <see cref="Computer"/> sets what its <see cref="MachineConfiguration.Engine"/> says, the translator
    /// by default) is the reference; <see cref="ExecutionEngine.Translator"/> gives the same state and counters,
    /// faster on hot code. A run with hooks (the debugger's breakpoints, the binary-translation monitor) always
    /// interprets.
    /// </summary>
    public ExecutionEngine Engine
    {
        get => translation is null ? ExecutionEngine.Interpreter : ExecutionEngine.Translator;
        set
        {
            if (value == Engine) return;
            translation = value == ExecutionEngine.Translator ? new TranslationCache(this) : null;
            if (translation is not null) translation.WarmupEnd = Counters.Instructions + (ulong)translationWarmup;
            codeLines = translation?.CodeMap;
            codeWritten = false;
        }
    }

    /// <summary>What the translator has done on this core (all zero on the interpreter).</summary>
    public TranslationStatistics TranslationStatistics => translation?.Statistics ?? default;

    /// <summary>Times a block's address must be reached before the translator compiles it (default 50): the
    /// translation cost is paid only for code that runs often. Ignored on the interpreter.</summary>
    public int TranslationThreshold
    {
        get => translation?.Threshold ?? 0;
        set
        {
            if (value < 1) throw new ArgumentOutOfRangeException(nameof(value), value, "the threshold is at least 1");
            if (translation is not null) translation.Threshold = value;
        }
    }

    /// <summary>Instructions a core runs before the translator starts (default
    /// <see cref="DefaultTranslationWarmup"/>), on the interpreter's own loop: a program that ends sooner (a boot, a
    /// lab's short guest) does not pay the translator's start-up (the host JIT compiling the translator itself and
    /// its first blocks, several milliseconds once per process), which it could not earn back. Counted from when the
    /// translator is switched on, or from when this is set. 0 translates from the first instruction. Ignored on the
    /// interpreter.</summary>
    public long TranslationWarmup
    {
        get => translationWarmup;
        set
        {
            if (value < 0) throw new ArgumentOutOfRangeException(nameof(value), value, "the warm-up is at least 0");
            translationWarmup = value;
            if (translation is not null) translation.WarmupEnd = Counters.Instructions + (ulong)value;
        }
    }

    /// <summary>The default <see cref="TranslationWarmup"/>: 250,000 instructions, 1-2 ms on the interpreter.</summary>
    public const long DefaultTranslationWarmup = 250_000;

    private long translationWarmup = DefaultTranslationWarmup;

    // What translated code reads of the core (the IL calls these; they inline).
    internal ref byte TranslationRam() => ref MemoryMarshal.GetArrayDataReference(ram);
    internal uint TranslationWindowBase() => windowBase;
    internal uint TranslationWindowSize() => windowSize;
    internal uint[] TranslationTlbTags() => tlbTag;
    internal int[] TranslationTlbFrames() => tlbFrame;
    internal byte[] TranslationTlbPermissions() => tlbPerm;
    internal byte[] TranslationCodeMap() => translation!.CodeMap;
    internal uint[] TranslationOpCosts() => opCost;

    private void FlushTranslations() => translation?.Flush();

    /// <summary>What <see cref="TranslatedLoad"/> and <see cref="TranslatedStore"/> answer a block: the access
    /// was done and the block goes on; it was done but wrote near translated code, so the block leaves after the
    /// instruction; it faulted (exception recorded, the dispatcher delivers it); an exit for the host is pending.
    /// Faulted and Exited are the slow paths' own codes, equal to <see cref="BlockExit.Faulted"/> and
    /// <see cref="BlockExit.Exited"/>, which a block returns as they come.</summary>
    internal const int SlowAccessDone = 0, SlowAccessDoneLeave = 1, SlowAccessFaulted = Faulted, SlowAccessExited = Exited;

    /// <summary>
    /// A translated load whose fast path failed (a TLB miss, a page crossing, memory off the window): the
    /// interpreter's own slow path, called from the block instead of leaving it, so a TLB miss costs a page walk
    /// and not a round trip through the dispatcher. The block has stored the counters and the pc before the call
    /// and reloads the counters after it; the walk charges exactly what it charges the interpreter.
    /// </summary>
    internal int TranslatedLoad(uint va, uint size, int destination, uint pc, out uint value)
    {
        var r = LoadSlow(va, size, destination, pc, pc + 4, out value);
        return r == Ok && codeWritten ? SlowAccessDoneLeave : r;
    }

    /// <summary>A translated store whose fast path failed; see <see cref="TranslatedLoad"/>.</summary>
    internal int TranslatedStore(uint va, uint size, uint value, uint pc)
    {
        var r = StoreSlow(va, size, value, pc, pc + 4);
        return r == Ok && codeWritten ? SlowAccessDoneLeave : r;
    }

    /// <summary><c>invlpg</c> in ring 0 from a block: false, doing nothing, when a virtual machine's monitor
    /// wants to see it (the interpreter then runs it and leaves for the monitor).</summary>
    internal bool TranslatedInvalidatePage(uint address)
    {
        if (nonRoot && vmcs!.InvlpgExiting) return false;
        InvalidatePage(address);
        return true;
    }

    /// <summary><c>iret</c> in ring 0 from a block, which has written its state back: the interpreter's own code,
    /// then the pc and the instruction count as the interpreter's loop sets them. Ok (the slice ends, as after
    /// every <c>iret</c>), Faulted or Exited.</summary>
    internal int TranslatedInterruptReturn(uint pc)
    {
        var r = InterruptReturn(pc, out var newPc);
        if (r != Ok) return r;
        state.Pc = newPc;
        Counters.Instructions++;
        return Ok;
    }

    /// <summary><c>int n</c> from a block, which has written its state back and counted the instruction, as the
    /// interpreter does before it delivers: true when an exit for the host is pending.</summary>
    internal bool TranslatedSoftwareInterrupt(uint vector, uint pc) =>
        DeliverException((ExceptionVector)vector, 0, pc, pc + 4, software: true);

    /// <summary>
    /// Every write the core itself makes to RAM outside translated code (the interpreter's stores, trap frames,
    /// the page walk's accessed and dirty bits, the host's <c>WriteVirtual</c>) passes here first: a write to a
    /// line that holds translated code is remembered, and the dispatcher checks blocks against memory before it
    /// runs one again. A write anywhere else costs one load and a branch and no check at all: QEMU's write
    /// protection of code pages, at the granularity of a 64-byte line.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void NoteWrite(int ramIndex)
    {
        if (codeLines is { } lines && lines[ramIndex >> TranslationCache.LineShift] != 0) codeWritten = true;
    }

    /// <summary>A device was read or written: it may have copied data into RAM itself (a disk's DMA), which no
    /// store of the core shows, so translated code is checked against memory before it runs again.</summary>
    private void NoteDeviceAccess()
    {
        if (codeLines is not null) codeWritten = true;
    }

    /// <summary>A run starts: the host, another core or a restored snapshot may have written memory since the
    /// last one, through paths the core does not see.</summary>
    private void NoteHostMayHaveWritten()
    {
        if (translation is not null) translation.Epoch++;
        codeWritten = false;
    }

    /// <summary>Runs guest code like <c>Execute</c> with no hooks, translated where it is hot.</summary>
    private bool ExecuteTranslated(ulong stopInstructions, ulong stopCycles)
    {
        instructionsRanOut = false;
        var t = translation!;
        var c = Counters;
        // Anything that wrote memory since the run started went through NoteWrite (the run loop's deliveries
        // included), or the run's start moved the epoch on.
        if (codeWritten)
        {
            codeWritten = false;
            t.Epoch++;
        }
        TranslatedBlock? previous = null;
        var interpret = 0;
        while (true)
        {
            if (c.Instructions >= stopInstructions || c.Cycles >= stopCycles)
            {
                instructionsRanOut = c.Cycles < stopCycles;
                return false;
            }
            if (interpret > 0)
            {
                var before = c.Instructions;
                var none = default(NoHooks);
                var exited = Execute(ref none, Math.Min(stopInstructions, c.Instructions + (ulong)interpret), stopCycles);
                t.InterpretedInstructions += (long)(c.Instructions - before);
                // Blocks are checked against memory again only if the interpreter wrote near translated code (a
                // store, a trap frame, a page-table bit) or let a device run.
                if (codeWritten)
                {
                    codeWritten = false;
                    t.Epoch++;
                }
                interpret = 0;
                previous = null;
                if (exited) return true;
                if (!instructionsRanOut) return false;
                continue;
            }

            var pc = state.Pc;
            var translating = ((state.Cr0 & ControlRegister.PagingEnabled) | nestedFlag) != 0;
            var mode = (int)((state.Flags >> Flags.CplShift) & 3) | (translating ? BlockTranslator.ModeTranslating : 0);
            var frame = 0;
            var probed = false;
            if (translating)
            {
                // A block runs only where the interpreter's fetches would all be fast: from the page it last
                // fetched from, or from one the TLB holds (the block then does that fetch's TLB hit itself).
                if ((pc & 3) != 0)
                {
                    interpret = 1;
                    continue;
                }
                if ((pc & ~0xFFFu) == fetchPage)
                {
                    frame = fetchFrame;
                }
                else if (FetchHits(pc, out frame))
                {
                    probed = true;
                }
                else
                {
                    interpret = 1;
                    continue;
                }
            }

            TranslatedBlock? block = null;
            if (previous is not null)
            {
                if (previous.Next0 is { } first && first.Pc == pc && first.Frame == frame && first.Valid) block = first;
                else if (previous.Next1 is { } second && second.Pc == pc && second.Frame == frame && second.Valid) block = second;
                if (block is not null && block.Mode != mode) block = null;
                if (block is not null) t.ChainedEntries++;
            }
            if (block is null)
            {
                block = t.Find(pc, mode, frame, out interpret);
                if (block is null)
                {
                    continue;
                }
                if (previous is not null)
                {
                    previous.Next1 = previous.Next0;
                    previous.Next0 = block;
                }
            }
            if (block.VerifiedEpoch != t.Epoch && !t.Verify(block))
            {
                previous = null;
                interpret = 1;
                continue;
            }
            if (stopInstructions - c.Instructions < (ulong)block.Length || c.Cycles + block.CyclesBeforeLast >= stopCycles)
            {
                // The bound falls inside the block: the interpreter runs up to it, instruction by instruction.
                var before = c.Instructions;
                var none = default(NoHooks);
                var exited = Execute(ref none, stopInstructions, stopCycles);
                t.InterpretedInstructions += (long)(c.Instructions - before);
                return exited;
            }
            if (probed)
            {
                // What the interpreter's slow fetch does on a TLB hit.
                c.TlbHits++;
                fetchPage = pc & ~0xFFFu;
                fetchFrame = frame;
            }
            t.BlocksExecuted++;
            var result = block.Code(ref state, c, stopInstructions, stopCycles);
            if (codeWritten)
            {
                // A slow-path store or a page walk inside the block wrote near translated code; the block left
                // right after that instruction.
                codeWritten = false;
                t.Epoch++;
            }
            switch (result)
            {
                case BlockExit.Completed:
                    previous = block;
                    continue;
                case BlockExit.NeedsInterpreter:
                    t.EarlyExits++;
                    previous = null;
                    interpret = 1;
                    continue;
                case BlockExit.Faulted:
                    // What the interpreter does after an access faulted: deliver at the instruction.
                    t.Faults++;
                    previous = null;
                    if (DeliverException(trapVector, trapError, state.Pc, state.Pc, software: false)) return true;
                    continue;
                case BlockExit.SliceEnded:
                    // The interpreter ends its slice after iret so that the run loop looks at what iret may have
                    // let in. The run loop would find nothing to do when no stop is asked and no raised interrupt
                    // line meets IF set (the timer's deadline is this loop's own cycle bound, checked above; the
                    // budget's is within the instruction bound): its next call would go on here, at this pc, with
                    // these counters, so going on directly delivers every interrupt at the same instruction.
                    // A raised line with IF set goes back to the run loop even when cr8 masks it, as after any
                    // iret: the run loop decides.
                    if (stopRequested || (irqPending != 0 && (state.Flags & Flags.IF) != 0))
                    {
                        instructionsRanOut = false;
                        return false;
                    }
                    t.SlicesContinued++;
                    previous = block;
                    continue;
                default:
                    return true;
            }
        }
    }

    /// <summary>Whether an instruction fetch at <paramref name="pc"/> would hit the TLB (no side effects);
    /// <paramref name="frame"/> is then the page's RAM index.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool FetchHits(uint pc, out int frame)
    {
        var vpn = pc >> 12;
        var slot = (int)(vpn & (TlbEntries - 1));
        var need = (state.Flags & Flags.CplMask) == Flags.CplMask ? UserRead : 0;
        if (tlbTag[slot] == vpn + 1 && (tlbPerm[slot] & need) == need)
        {
            frame = tlbFrame[slot];
            return true;
        }
        frame = 0;
        return false;
    }
}
