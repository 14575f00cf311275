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

    private readonly Dictionary<uint, uint> mapping = [];

    /// <inheritdoc/>
    public uint Sectors => virtualBlocks * Pool.BlockSectors;

    /// <summary>The pool block behind virtual block <paramref name="block"/>, or null if it was never written.</summary>
    public uint? PoolBlockOf(uint block)
    {
        return mapping.TryGetValue(block, out var poolBlock) ? poolBlock : null;
    }

    /// <inheritdoc/>
    public BlockStatus Read(uint sector, Span<byte> destination)
    {
        var size = Pool.BlockSectors;
        for (var offset = 0; offset < destination.Length;)
        {
            var within = sector % size;
            var bytes = (int)Math.Min(size - within, (uint)((destination.Length - offset) / BlockDisk.SectorSize)) * BlockDisk.SectorSize;
            var part = destination.Slice(offset, bytes);
            if (mapping.TryGetValue(sector / size, out var poolBlock))
            {
                var answer = Pool.Data.Read(poolBlock * size + within, part);
                if (answer != BlockStatus.Ok) return answer;
            }
            else
            {
                part.Clear();
            }
            sector += (uint)(bytes / BlockDisk.SectorSize);
            offset += bytes;
        }
        return BlockStatus.Ok;
    }

    /// <inheritdoc/>
    public BlockStatus Write(uint sector, ReadOnlySpan<byte> source)
    {
        var size = Pool.BlockSectors;
        var sectors = (uint)(source.Length / BlockDisk.SectorSize);
        var first = sector / size;
        var last = (sector + sectors - 1) / size;
        var missing = new List<uint>();
        for (var b = first; b <= last; b++)
        {
            if (!mapping.ContainsKey(b)) missing.Add(b);
        }
        if (missing.Count > 0)
        {
            var fresh = new uint[missing.Count];
            var answer = Pool.Reserve(missing.Count, fresh);
            if (answer != BlockStatus.Ok) return answer;
            var zeros = new byte[size * BlockDisk.SectorSize];
            for (var i = 0; i < missing.Count; i++)
            {
                var b = missing[i];
                mapping[b] = fresh[i];
                var covered = sector <= b * size && sector + sectors >= (b + 1) * size;
                if (!covered) Pool.Data.Write(fresh[i] * size, zeros);
            }
        }
        for (var offset = 0; offset < source.Length;)
        {
            var within = sector % size;
            var bytes = (int)Math.Min(size - within, (uint)((source.Length - offset) / BlockDisk.SectorSize)) * BlockDisk.SectorSize;
            var answer = Pool.Data.Write(mapping[sector / size] * size + within, source.Slice(offset, bytes));
            if (answer != BlockStatus.Ok) return answer;
            sector += (uint)(bytes / BlockDisk.SectorSize);
            offset += bytes;
        }
        return BlockStatus.Ok;
    }
}
