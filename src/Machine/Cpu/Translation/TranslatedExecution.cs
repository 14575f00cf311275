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

    /// <summary>
    /// The engine that runs this core's guest code. <see cref="ExecutionEngine.Interpreter"/> (the default) is
    /// the reference; <see cref="ExecutionEngine.Translator"/> gives the same state and counters, faster on hot
    /// code. A run with hooks (the debugger's breakpoints, the binary-translation monitor) always interprets.
    /// </summary>
    public ExecutionEngine Engine
    {
        get => translation is null ? ExecutionEngine.Interpreter : ExecutionEngine.Translator;
        set
        {
            if (value == Engine) return;
            translation = value == ExecutionEngine.Translator ? new TranslationCache(this) : null;
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

    /// <summary>Runs guest code like <c>Execute</c> with no hooks, translated where it is hot.</summary>
    private bool ExecuteTranslated(ulong stopInstructions, ulong stopCycles)
    {
        instructionsRanOut = false;
        var t = translation!;
        var c = Counters;
        // Anything may have written memory since the last call: the host, another core, a delivery.
        t.Epoch++;
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
                // The interpreter may have written anything (a store, a frame, a device's DMA).
                t.Epoch++;
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
            if (block.Code(this, ref state, c, stopInstructions, stopCycles) == BlockExit.NeedsInterpreter)
            {
                previous = null;
                interpret = 1;
                continue;
            }
            previous = block;
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
