namespace VirtualizationWorkbench.Machine.Cpu.Translation;

/// <summary>What a translated block reports when it returns.</summary>
internal enum BlockExit
{
    /// <summary>The block ran to one of its ends; <see cref="CpuState.Pc"/> is where the guest continues.</summary>
    Completed = 0,

    /// <summary>The block stopped before an instruction its host code does not do itself (a memory access off
    /// the fast path, a store near translated code, a division that faults): the pc is that instruction, and
    /// the interpreter must run it.</summary>
    NeedsInterpreter = 1,

    /// <summary>An access the block did by the interpreter's slow path faulted: the pc is the instruction, the
    /// exception is recorded, and the dispatcher delivers it as the interpreter would.</summary>
    Faulted = 2,

    /// <summary>An exit for the host is pending (an MMIO access nobody claims, a delivery a monitor intercepts);
    /// the state is what the interpreter would leave.</summary>
    Exited = 3,

    /// <summary>The block ended with an instruction after which the interpreter ends its slice (<c>iret</c>: the
    /// interrupt flag may have changed); the pc is where the guest continues. The dispatcher goes on itself when
    /// the run loop would have nothing to do.</summary>
    SliceEnded = 4,
}

/// <summary>Host code for one block: runs it against the core's state and counters. A block that branches back
/// to its own start runs again in place while <paramref name="stopInstructions"/> and
/// <paramref name="stopCycles"/> leave room for a whole pass, exactly as the dispatcher would enter it again.
/// The code is compiled with the core as its first argument and bound to it.</summary>
internal delegate BlockExit BlockCode(ref CpuState state, Costs.Counters counters, ulong stopInstructions, ulong stopCycles);

/// <summary>
/// One translation block (QEMU's TB): a trace of guest instructions from <see cref="Pc"/>, through direct jumps,
/// calls and the returns that match them, to the first conditional or indirect branch, compiled once into
/// <see cref="Code"/>. It keeps the guest words it was made from, so the dispatcher can check it still
/// matches memory, and its two most recent successors (the chain).
/// </summary>
internal sealed class TranslatedBlock(uint pc, int mode, int frame, int length, ulong cyclesBeforeLast,
    int[] codeIndices, uint[] codeWords, BlockCode code, int ilBytes)
{
    /// <summary>Guest address of the first instruction.</summary>
    public uint Pc { get; } = pc;

    /// <summary>The ring (bits 0-1) and whether addresses are translated (bit 2) the block was compiled for.</summary>
    public int Mode { get; } = mode;

    /// <summary>RAM index of the page the block was fetched from when paging is on; 0 otherwise.</summary>
    public int Frame { get; } = frame;

    /// <summary>Instructions one pass retires when it runs to its end.</summary>
    public int Length { get; } = length;

    /// <summary>Cycles one pass charges before its last instruction starts (fast paths): the block may start
    /// only if the cycle bound lies beyond, so that no instruction inside it would have met the bound.</summary>
    public ulong CyclesBeforeLast { get; } = cyclesBeforeLast;

    /// <summary>RAM indices of the words the block was made from (instructions and <c>li</c> immediates).</summary>
    public int[] CodeIndices { get; } = codeIndices;

    /// <summary>The words themselves, as they were when the block was translated.</summary>
    public uint[] CodeWords { get; } = codeWords;

    /// <summary>The host code.</summary>
    public BlockCode Code { get; } = code;

    /// <summary>Size of the generated IL.</summary>
    public int IlBytes { get; } = ilBytes;

    /// <summary>False once the block no longer matches memory: chains to it are not followed.</summary>
    public bool Valid { get; set; } = true;

    /// <summary>The cache's epoch at which the block was last found to match memory.</summary>
    public long VerifiedEpoch { get; set; }

    /// <summary>Chained successors: the two blocks that most recently followed this one.</summary>
    public TranslatedBlock? Next0, Next1;
}
