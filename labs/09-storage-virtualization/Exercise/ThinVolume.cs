using VirtualizationWorkbench.Machine.Devices;

namespace VirtualizationWorkbench.Labs.ThinProvisioning;

/// <summary>
/// A thin volume: a promised size of <c>virtualBlocks</c> blocks, and a mapping from its blocks to the pool's,
/// filled on first write. A machine takes it as its disk (<c>MachineConfiguration.DiskBlocks</c>) and cannot tell.
/// <list type="bullet">
/// <item><see cref="Read"/>: a block never written reads as zeros and takes nothing from the pool; a written one
/// reads from the pool's data store at (pool block × block size + offset in the block).</item>
/// <item><see cref="Write"/>: first count the blocks of the request that have no pool block yet and ask the pool
/// for all of them at once (<see cref="ThinPool.Reserve"/>); if it does not answer Ok, return its answer and change
/// nothing. Then map them (the request's blocks in increasing order get the reserved blocks in the order given),
/// zero each new block the request does not cover entirely (it may hold old data), and write the data through.</item>
/// <item><see cref="PoolBlockOf"/>: the mapping, for the curious (and the grader).</item>
/// </list>
/// Requests are whole sectors within <see cref="Sectors"/> (the disk checks) and may cross block boundaries.
/// </summary>
public sealed class ThinVolume(ThinPool pool, uint virtualBlocks) : IBlockStore
{
    /// <summary>The pool the blocks come from.</summary>
    public ThinPool Pool { get; } = pool;

    /// <inheritdoc/>
    public uint Sectors => virtualBlocks * Pool.BlockSectors;

    /// <summary>The pool block behind virtual block <paramref name="block"/>, or null if it was never written.</summary>
    public uint? PoolBlockOf(uint block)
    {
        // TODO
        _ = block;
        throw new NotImplementedException($"{nameof(ThinVolume)}.{nameof(PoolBlockOf)}: the mapping is yours to keep");
    }

    /// <inheritdoc/>
    public BlockStatus Read(uint sector, Span<byte> destination)
    {
        // TODO
        _ = (sector, destination.Length);
        throw new NotImplementedException($"{nameof(ThinVolume)}.{nameof(Read)}: reading through the mapping is yours to write");
    }

    /// <inheritdoc/>
    public BlockStatus Write(uint sector, ReadOnlySpan<byte> source)
    {
        // TODO
        _ = (sector, source.Length);
        throw new NotImplementedException($"{nameof(ThinVolume)}.{nameof(Write)}: allocation on first write is yours to write");
    }
}
