using VirtualizationWorkbench.Machine.Devices;

namespace VirtualizationWorkbench.Storage;

/// <summary>
/// A thin pool (dm-thin, <c>lvmthin(7)</c>): a data volume cut into blocks (one extent each) and a mapping, per
/// thin volume, from virtual block to pool block. A block is taken from the pool on the first write to it, so
/// thin volumes may promise more in sum than the pool holds (over-commit). When no block is free, a write that
/// needs one is queued or failed (<see cref="PoolFullPolicy"/>), never dropped: the guest sees an I/O error, and
/// growing the pool (<see cref="Extend"/>) while it waits lets it continue.
/// </summary>
public sealed class ThinPool
{
    /// <summary>dm-thin's <c>no_space_timeout</c> default: 60 s, in virtual cycles.</summary>
    public static readonly ulong DefaultNoSpaceTimeout = 60 * RealTimeClock.CyclesPerSecond;

    private readonly VolumeGroup group;
    private readonly List<ThinVolume> volumes = [];
    private readonly Stack<uint> freed = new();
    private readonly List<string> events = [];
    private uint nextBlock;
    private ulong? queuedSince;
    private bool lowWaterSignalled;
    private Func<ulong> clock = () => 0;

    internal ThinPool(VolumeGroup group, string name, LogicalVolume data, PoolFullPolicy whenFull)
    {
        this.group = group;
        Name = name;
        Data = data;
        WhenFull = whenFull;
    }

    /// <summary>The pool's name.</summary>
    public string Name { get; }

    /// <summary>The hidden volume holding the pool's blocks.</summary>
    public LogicalVolume Data { get; }

    /// <summary>What a write does when the pool is full.</summary>
    public PoolFullPolicy WhenFull { get; set; }

    /// <summary>How long a queued write waits before the pool errors it (virtual cycles).</summary>
    public ulong NoSpaceTimeout { get; set; } = DefaultNoSpaceTimeout;

    /// <summary>The free-block count under which the pool signals its low water mark once.</summary>
    public uint LowWaterMark { get; set; }

    /// <summary>Sectors per block (one extent).</summary>
    public uint BlockSectors => group.ExtentSectors;

    /// <summary>Blocks in the pool.</summary>
    public uint DataBlocks => Data.Extents;

    /// <summary>Blocks holding data.</summary>
    public uint AllocatedBlocks => nextBlock - (uint)freed.Count;

    /// <summary>Blocks free.</summary>
    public uint FreeBlocks => DataBlocks - AllocatedBlocks;

    /// <summary>Data used, in percent (<c>lvs</c>' Data%).</summary>
    public double DataPercent => DataBlocks == 0 ? 0 : 100.0 * AllocatedBlocks / DataBlocks;

    /// <summary>Blocks promised: the thin volumes' virtual sizes together.</summary>
    public ulong ProvisionedBlocks => (ulong)volumes.Sum(v => (long)v.VirtualBlocks);

    /// <summary>Promised over held: above 1 the pool is over-committed.</summary>
    public double OverCommit => DataBlocks == 0 ? 0 : (double)ProvisionedBlocks / DataBlocks;

    /// <summary>Whether the pool is out of data space (writes needing a block queue or fail).</summary>
    public bool OutOfDataSpace { get; private set; }

    /// <summary>Whether queued writes have timed out: writes needing a block now fail at once, until the pool grows.</summary>
    public bool ErroringIo { get; private set; }

    /// <summary>The pool's log, in the words of the kernel's.</summary>
    public IReadOnlyList<string> Events => events;

    /// <summary>The thin volumes.</summary>
    public IReadOnlyList<ThinVolume> ThinVolumes => volumes;

    /// <summary>Virtual time for the queue's timeout: the cycles of the machine whose writes the pool serves.</summary>
    public void UseClock(Func<ulong> cycles) => clock = cycles;

    /// <summary>A thin volume of <paramref name="virtualBlocks"/> blocks, any size: nothing is taken from the pool
    /// until it is written (<c>lvcreate -V --thin</c>).</summary>
    public ThinVolume CreateVolume(string name, uint virtualBlocks)
    {
        if (virtualBlocks == 0) throw new StorageError($"thin volume '{name}': at least one block");
        if ((ulong)virtualBlocks * BlockSectors > uint.MaxValue) throw new StorageError($"thin volume '{name}': {virtualBlocks} blocks exceed the disk's 2^32 sectors");
        group.CheckNewName(name);
        var volume = new ThinVolume(this, name, virtualBlocks);
        volumes.Add(volume);
        group.Register(volume);
        return volume;
    }

    /// <summary>Grows the pool by <paramref name="extents"/> while it is in use (<c>lvextend</c> of the pool):
    /// the pool leaves out-of-data-space mode and queued writes complete when the guest next polls.</summary>
    public void Extend(uint extents)
    {
        group.Extend(Data, extents);
        if (FreeBlocks > LowWaterMark) lowWaterSignalled = false;
        if (OutOfDataSpace) events.Add($"{Name}: data device resized; switching pool to write mode");
        OutOfDataSpace = false;
        ErroringIo = false;
        queuedSince = null;
    }

    /// <summary>Takes <paramref name="needed"/> blocks for a write, or says why not (queued or failed). All or
    /// nothing: a write is never half allocated.</summary>
    internal BlockStatus Reserve(int needed, Span<uint> blocks)
    {
        if (needed > FreeBlocks)
        {
            if (!OutOfDataSpace)
            {
                OutOfDataSpace = true;
                events.Add($"{Name}: switching pool to out-of-data-space ({(WhenFull == PoolFullPolicy.Queue ? "queue" : "error")} IO) mode");
            }
            if (WhenFull == PoolFullPolicy.Error || ErroringIo) return BlockStatus.IoError;
            var now = clock();
            queuedSince ??= now;
            if (now - queuedSince.Value < NoSpaceTimeout) return BlockStatus.Queued;
            ErroringIo = true;
            events.Add($"{Name}: switching pool to out-of-data-space (error IO) mode");
            return BlockStatus.IoError;
        }
        queuedSince = null;
        for (var i = 0; i < needed; i++)
        {
            blocks[i] = freed.Count > 0 ? freed.Pop() : nextBlock++;
        }
        if (!lowWaterSignalled && FreeBlocks <= LowWaterMark && LowWaterMark > 0)
        {
            lowWaterSignalled = true;
            events.Add($"{Name}: reached low water mark for data device: sending event");
        }
        return BlockStatus.Ok;
    }

    internal void Discard(ThinVolume volume)
    {
        foreach (var block in volume.MappedBlocks) freed.Push(block);
        volumes.Remove(volume);
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Name}: {AllocatedBlocks}/{DataBlocks} blocks ({DataPercent:F1}%), {ProvisionedBlocks} promised ({OverCommit:F2}x)";
}
