using VirtualizationWorkbench.Machine.Devices;

namespace VirtualizationWorkbench.Storage;

/// <summary>
/// A thin volume: a virtual size, and a mapping from its blocks to the pool's, filled on first write. Reading a
/// block never written returns zeros and takes nothing from the pool.
/// </summary>
public sealed class ThinVolume : Volume
{
    private readonly Dictionary<uint, uint> mapping = [];

    internal ThinVolume(ThinPool pool, string name, uint virtualBlocks)
    {
        Pool = pool;
        Name = name;
        VirtualBlocks = virtualBlocks;
    }

    /// <summary>The pool its blocks come from.</summary>
    public ThinPool Pool { get; }

    /// <inheritdoc/>
    public override string Name { get; }

    /// <summary>Promised size in blocks.</summary>
    public uint VirtualBlocks { get; private set; }

    /// <inheritdoc/>
    public override uint Sectors => VirtualBlocks * Pool.BlockSectors;

    /// <summary>Blocks written so far (taken from the pool).</summary>
    public int MappedCount => mapping.Count;

    internal IEnumerable<uint> MappedBlocks => mapping.Values;

    /// <summary>The pool block behind virtual block <paramref name="block"/>, or null if never written.</summary>
    public uint? PoolBlockOf(uint block) => mapping.TryGetValue(block, out var b) ? b : null;

    /// <summary>Grows the promised size while in use; takes nothing from the pool.</summary>
    public void Resize(uint virtualBlocks)
    {
        if (virtualBlocks < VirtualBlocks) throw new StorageError($"thin volume '{Name}': shrinking from {VirtualBlocks} to {virtualBlocks} blocks would cut off data; thin volumes only grow here");
        VirtualBlocks = virtualBlocks;
    }

    /// <inheritdoc/>
    public override BlockStatus Read(uint sector, Span<byte> destination)
    {
        var status = BlockStatus.Ok;
        var offset = 0;
        while (offset < destination.Length)
        {
            var (block, within, bytes) = Piece(sector, destination.Length - offset);
            var part = destination.Slice(offset, bytes);
            if (mapping.TryGetValue(block, out var poolBlock))
            {
                var answer = Pool.Data.Read(poolBlock * Pool.BlockSectors + within, part);
                if (answer != BlockStatus.Ok) status = answer;
            }
            else
            {
                part.Clear();
            }
            sector += (uint)(bytes / BlockDisk.SectorSize);
            offset += bytes;
        }
        return status;
    }

    /// <inheritdoc/>
    public override BlockStatus Write(uint sector, ReadOnlySpan<byte> source)
    {
        // First count the blocks this write would take, and take them all or none.
        var firstBlock = sector / Pool.BlockSectors;
        var lastBlock = (sector + (uint)(source.Length / BlockDisk.SectorSize) - 1) / Pool.BlockSectors;
        var needed = 0;
        for (var b = firstBlock; b <= lastBlock; b++)
        {
            if (!mapping.ContainsKey(b)) needed++;
        }
        if (needed > 0)
        {
            Span<uint> fresh = needed <= 64 ? stackalloc uint[needed] : new uint[needed];
            var answer = Pool.Reserve(needed, fresh);
            if (answer != BlockStatus.Ok) return answer;
            var next = 0;
            var zero = new byte[Pool.BlockSectors * BlockDisk.SectorSize];
            for (var b = firstBlock; b <= lastBlock; b++)
            {
                if (mapping.ContainsKey(b)) continue;
                var poolBlock = fresh[next++];
                mapping[b] = poolBlock;
                // A new block may hold an old volume's data: zero it unless this write covers all of it
                // (dm-thin zeroes new blocks unless told to skip it).
                var covered = sector <= b * Pool.BlockSectors && sector + source.Length / BlockDisk.SectorSize >= (b + 1) * Pool.BlockSectors;
                if (!covered) Pool.Data.WriteThrough(poolBlock * Pool.BlockSectors, zero);
            }
        }
        var status = BlockStatus.Ok;
        var offset = 0;
        while (offset < source.Length)
        {
            var (block, within, bytes) = Piece(sector, source.Length - offset);
            var answer = Pool.Data.WriteThrough(mapping[block] * Pool.BlockSectors + within, source.Slice(offset, bytes));
            if (answer != BlockStatus.Ok) status = answer;
            sector += (uint)(bytes / BlockDisk.SectorSize);
            offset += bytes;
        }
        return status;
    }

    private (uint Block, uint Within, int Bytes) Piece(uint sector, int length)
    {
        var within = sector % Pool.BlockSectors;
        var sectors = Math.Min(Pool.BlockSectors - within, (uint)(length / BlockDisk.SectorSize));
        return (sector / Pool.BlockSectors, within, (int)sectors * BlockDisk.SectorSize);
    }
}
