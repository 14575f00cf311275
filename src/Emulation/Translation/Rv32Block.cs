namespace VirtualizationWorkbench.Emulation.Translation;

/// <summary>What a translated block returns: it ran to its end (the pc is its successor), or it stopped before
/// an instruction that the hart must run itself (a slow memory access, a store to translated code or to
/// <c>tohost</c>), with the pc at that instruction.</summary>
internal enum BlockResult
{
    Completed = 0,
    NeedsHart = 1,
}

/// <summary>Host code for one basic block: takes the hart's state, RAM and code-page map, runs the block's
/// guest instructions, updates pc and counters. A block that jumps to its own start runs again in place while
/// <c>state.Instructions</c> stays at most <paramref name="end"/> minus its length.</summary>
internal delegate BlockResult BlockCode(ref Cpu.Rv32State state, ref byte ram, byte[] codePages, ulong end);

/// <summary>
/// One translation block (QEMU's TB): guest instructions from <see cref="Start"/> up to and including the first
/// jump or branch, translated once into <see cref="Code"/>. It remembers the blocks it was last followed by
/// (the chain), so the dispatcher goes from block to block without looking up the cache.
/// </summary>
internal sealed class Rv32Block(uint start, uint end, int instructions, BlockCode code)
{
    /// <summary>Guest address of the first instruction.</summary>
    public uint Start { get; } = start;

    /// <summary>Guest address after the last instruction.</summary>
    public uint End { get; } = end;

    /// <summary>Number of guest instructions.</summary>
    public int Instructions { get; } = instructions;

    /// <summary>The translated code.</summary>
    public BlockCode Code { get; } = code;

    /// <summary>False once guest code under the block was overwritten: chains to it are no longer followed.</summary>
    public bool Valid { get; set; } = true;

    /// <summary>Chained successors: the two most recent blocks that followed this one (taken and fall-through
    /// of a branch, in practice).</summary>
    public Rv32Block? Next0, Next1;
}
