using VirtualizationWorkbench.Machine.Devices;

namespace VirtualizationWorkbench.Labs.ThinProvisioning;

/// <summary>
/// A thin pool: a data store cut into blocks of <see cref="BlockSectors"/> sectors, handed out to thin volumes on
/// their first write. The data store may grow while the pool is in use (the administrator extends it): the pool
/// then has more blocks, <see cref="DataBlocks"/> reads the store's size every time.
/// <para>Your part is <see cref="Reserve"/>, the allocation and the pool-full rule:</para>
/// <list type="number">
/// <item>If <c>count</c> blocks are free (<see cref="DataBlocks"/> − <see cref="AllocatedBlocks"/>), take them all:
/// the next never-used block numbers in order (0, 1, 2, …), written into <c>blocks[0..count]</c>; the pool is no
/// longer out of space (forget any queueing and any timeout); return <see cref="BlockStatus.Ok"/>.</item>
/// <item>Otherwise take nothing (all or nothing: a write is never half allocated), and:
///   <see cref="PoolFullPolicy.Error"/>: return <see cref="BlockStatus.IoError"/>;
///   <see cref="PoolFullPolicy.Queue"/>: remember the clock's time when the pool first had to queue (since it last
///   had room), and return <see cref="BlockStatus.Queued"/> while less than <see cref="NoSpaceTimeout"/> cycles
///   have passed since then; once that much has passed, return <see cref="BlockStatus.IoError"/> — and keep
///   returning it at once for every write that needs a block, until the pool has room again.</item>
/// </list>
/// Never lose a write silently: every write is either done, queued (the guest polls and it is tried again), or
/// an error the guest sees. Grade your work with <c>workbench grade 09</c>.
/// </summary>
public sealed class ThinPool(IBlockStore data, uint blockSectors, PoolFullPolicy whenFull, ulong noSpaceTimeout, Func<ulong> clock)
{
    /// <summary>Where the blocks' data lives.</summary>
    public IBlockStore Data { get; } = data;

    /// <summary>Sectors per block.</summary>
    public uint BlockSectors { get; } = blockSectors;

    /// <summary>What a write does when the pool is full.</summary>
    public PoolFullPolicy WhenFull { get; } = whenFull;

    /// <summary>How long a write may stay queued, in virtual cycles.</summary>
    public ulong NoSpaceTimeout { get; } = noSpaceTimeout;

    /// <summary>Blocks in the pool now.</summary>
    public uint DataBlocks => Data.Sectors / BlockSectors;

    /// <summary>Blocks handed out so far.</summary>
    public uint AllocatedBlocks { get; private set; }

    // When the pool first had to queue since it last had room, and whether the timeout has passed since.
    private ulong? queuedSince;
    private bool erroring;

    /// <summary>Takes <paramref name="count"/> blocks, or says why not; see the class comment.</summary>
    public BlockStatus Reserve(int count, Span<uint> blocks)
    {
        if (count <= DataBlocks - AllocatedBlocks)
        {
            for (var i = 0; i < count; i++) blocks[i] = AllocatedBlocks++;
            queuedSince = null;
            erroring = false;
            return BlockStatus.Ok;
        }
        if (WhenFull == PoolFullPolicy.Error || erroring) return BlockStatus.IoError;
        var now = clock();
        queuedSince ??= now;
        if (now - queuedSince.Value < NoSpaceTimeout) return BlockStatus.Queued;
        erroring = true;
        return BlockStatus.IoError;
    }
}
