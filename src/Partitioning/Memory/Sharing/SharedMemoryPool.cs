using System.Security.Cryptography;
using VirtualizationWorkbench.Machine.Memory;

namespace VirtualizationWorkbench.Partitioning.Memory.Sharing;

/// <summary>
/// The shared memory pool of Active Memory Sharing: machine memory blocks the firmware keeps apart and hands out a
/// page frame at a time to the shared-memory partitions (<see cref="SharedMemoryPartition"/>), whose logical memory
/// together is larger than the pool. A partition touching a page that is not resident takes a frame: a free one if
/// there is one; otherwise the firmware takes one away from the partition holding most of the pool for its memory
/// weight (resident pages over weight, the largest first), so that when every partition wants more than the pool,
/// each ends up holding about <c>pool × weight / Σ weights</c> frames. That partition gives, in this order:
/// <list type="number">
/// <item>a loaned page: a page its guest said is free, then one it said is file cache, as far as its
/// <see cref="LoanPolicy"/> lends them; the bytes are dropped, no I/O;</item>
/// <item>the page its <see cref="PageClock"/> chooses: one its guest has not used since the hand last passed (the
/// nested page table's accessed bit, set by the hardware). If the page is dirty it is written to the
/// <see cref="IPagingDevice"/> first; a clean page (unchanged since it was read from the device, which keeps the
/// copy, or never written and still zero) is dropped without a write.</item>
/// </list> No partition is taken below <see cref="EntitledPages"/> (its
/// I/O-entitled memory, which PowerVM never pages). The faulting core is charged the device's cycles, out and in.
/// </summary>
public sealed class SharedMemoryPool
{
    /// <summary>Frames a shared-memory partition always keeps (PowerVM's I/O-entitled memory): enough for any
    /// instruction's code and data pages, so that no instruction pages itself out forever.</summary>
    public const int EntitledPages = 4;

    private static readonly byte[] ZeroPage = new byte[MemoryMap.PageSize];

    private readonly PhysicalMemory ram;
    private readonly uint[] frames;
    private readonly Stack<int> free = new();
    private readonly List<SharedMemoryPartition> partitions = [];

    internal SharedMemoryPool(PhysicalMemory ram, IReadOnlyList<int> blocks, IPagingDevice device)
    {
        this.ram = ram;
        Blocks = blocks;
        Device = device;
        frames = [.. blocks.SelectMany(b => Enumerable.Range(0, PartitionFirmware.PagesPerBlock).Select(i => (uint)b * PartitionFirmware.BlockSize + (uint)i * MemoryMap.PageSize))];
        // The lowest frame first, so that runs place pages the same way every time.
        for (var frame = frames.Length - 1; frame >= 0; frame--) free.Push(frame);
        foreach (var block in blocks) ram.Slice((uint)block * PartitionFirmware.BlockSize, PartitionFirmware.BlockSize).Clear();
    }

    /// <summary>The machine blocks of the pool.</summary>
    public IReadOnlyList<int> Blocks { get; }

    /// <summary>Page frames in the pool.</summary>
    public int Frames => frames.Length;

    /// <summary>Frames no partition holds.</summary>
    public int FreeFrames => free.Count;

    /// <summary>The paging space device.</summary>
    public IPagingDevice Device { get; }

    /// <summary>The shared-memory partitions, in activation order.</summary>
    public IReadOnlyList<SharedMemoryPartition> Partitions => partitions;

    /// <summary>Paging device cycles of the firmware's own accesses (loading a program, a host writing a word),
    /// which no guest waits for: with the partitions' <see cref="SharedMemoryPartition.PagingCycles"/>, every
    /// access the device charged.</summary>
    public ulong FirmwareCycles { get; private set; }

    /// <summary>Logical pages of all its partitions over its frames: above 1, the pool is overcommitted.</summary>
    public double Overcommitment => partitions.Sum(p => p.LogicalPages) / (double)Frames;

    /// <summary>Puts <paramref name="partition"/> in shared memory mode with <paramref name="logicalPages"/> pages.</summary>
    internal SharedMemoryPartition Join(LogicalPartition partition, int logicalPages, int weight, LoanPolicy policy)
    {
        if (weight is < 0 or > SharedMemoryPartition.MaxWeight)
        {
            throw new PartitionError($"shared-memory partition '{partition.Name}': memory weight is 0 to {SharedMemoryPartition.MaxWeight}, not {weight}");
        }
        if ((partitions.Count + 1) * EntitledPages > Frames)
        {
            throw new PartitionError($"shared-memory partition '{partition.Name}': the pool's {Frames} frames cannot keep {EntitledPages} for each of {partitions.Count + 1} partitions; give the pool more blocks");
        }
        var shared = new SharedMemoryPartition(this, partition, logicalPages, weight, policy);
        partitions.Add(shared);
        return shared;
    }

    /// <summary>A partition goes away: its frames are scrubbed and free, its pages dropped from the device.</summary>
    internal void Leave(SharedMemoryPartition partition)
    {
        foreach (var page in partition.Clock.FromHand().ToList()) Release(partition, page);
        for (var page = 0; page < partition.LogicalPages; page++) Device.Forget(partition.Partition.Id, page);
        partitions.Remove(partition);
    }

    /// <summary>The guest's hint for its pages: <paramref name="count"/> pages from <paramref name="first"/> hold
    /// <paramref name="use"/>.</summary>
    internal static void SetUse(SharedMemoryPartition partition, int first, int count, PageUse use)
    {
        if (first < 0 || count < 0 || (long)first + count > partition.LogicalPages || !Enum.IsDefined(use))
        {
            throw new PartitionError($"partition '{partition.Partition.Name}': page use {(int)use} for pages {first} to {(long)first + count - 1} is not a use (0 working, 1 cache, 2 free) of pages 0 to {partition.LogicalPages - 1}");
        }
        partition.SetUse(first, count, use);
    }

    /// <summary>Makes logical page <paramref name="page"/> resident (it is not), taking a frame as the class says;
    /// returns the cycles of the paging device's accesses.</summary>
    internal ulong BringIn(SharedMemoryPartition partition, int page)
    {
        var cycles = 0ul;
        var frame = TakeFrame(ref cycles);
        var bytes = ram.Slice(frames[frame], MemoryMap.PageSize);
        // The device keeps its copy: while the page stays clean, taking it again costs no write.
        if (Device.Holds(partition.Partition.Id, page))
        {
            cycles += Device.Read(partition.Partition.Id, page, bytes);
            partition.PageIns++;
        }
        else
        {
            bytes.Clear();
            partition.ZeroFills++;
        }
        partition.Place(page, frame);
        partition.Partition.Table.Map(page, frames[frame]);
        return cycles;
    }

    /// <summary>The machine address of a resident page's frame, bringing it in first (for the firmware's own
    /// accesses: loading a program, a host writing a word).</summary>
    internal uint FrameAddress(SharedMemoryPartition partition, int page, bool write)
    {
        if (!partition.IsResident(page)) FirmwareCycles += BringIn(partition, page);
        if (write) partition.Partition.Table.MarkDirty(page);
        return frames[partition.FrameOf(page)];
    }

    /// <summary>A page's bytes wherever they are (a frame, the paging device, or nowhere yet: zeros), without
    /// moving it.</summary>
    public ReadOnlySpan<byte> Peek(SharedMemoryPartition partition, int page)
    {
        if (partition.IsResident(page)) return ram.Slice(frames[partition.FrameOf(page)], MemoryMap.PageSize);
        return Device.Holds(partition.Partition.Id, page) ? Device.Peek(partition.Partition.Id, page) : ZeroPage;
    }

    /// <summary>SHA-256 of the partition's logical memory in page order, wherever each page is, as hex: the same
    /// before a page goes out and after it comes back.</summary>
    public string HashOf(SharedMemoryPartition partition)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        for (var page = 0; page < partition.LogicalPages; page++) sha.AppendData(Peek(partition, page));
        return Convert.ToHexString(sha.GetHashAndReset());
    }

    private int TakeFrame(ref ulong cycles)
    {
        if (free.Count > 0) return free.Pop();
        var victim = Victim() ?? throw new InvalidOperationException("the shared memory pool has no frame above the partitions' entitled pages");
        // Its page placed last is left alone: the instruction that faulted may need it and the page it faults on
        // at once (its code and its data), and taking one for the other would never let it finish.
        var newest = victim.Clock.Newest;
        foreach (var use in victim.LoanPolicy.Loans)
        {
            foreach (var page in victim.Clock.FromHand())
            {
                if (page == newest || victim.UseOf(page) != use) continue;
                if (use == PageUse.Free) victim.LoanedFree++;
                else victim.LoanedCache++;
                // A loaned page's bytes are gone: a copy left on the device would come back instead of zeros.
                Device.Forget(victim.Partition.Id, page);
                return Release(victim, page, push: false);
            }
        }
        var table = victim.Partition.Table;
        var chosen = victim.Clock.Choose(table);
        var id = victim.Partition.Id;
        if (table.IsDirty(chosen))
        {
            cycles += Device.Write(id, chosen, ram.Slice(frames[victim.FrameOf(chosen)], MemoryMap.PageSize));
            victim.PageOuts++;
        }
        else
        {
            victim.CleanDrops++;
        }
        return Release(victim, chosen, push: false);
    }

    // The partition that holds most of the pool for its weight, among those above their entitled pages; the first
    // in activation order on a tie of equal holdings.
    private SharedMemoryPartition? Victim()
    {
        SharedMemoryPartition? best = null;
        foreach (var p in partitions)
        {
            if (p.ResidentPages <= EntitledPages) continue;
            if (best is null) best = p;
            else
            {
                // p.Resident / p.Weight > best.Resident / best.Weight, without dividing by a weight of 0.
                var over = (long)p.ResidentPages * best.Weight - (long)best.ResidentPages * p.Weight;
                if (over > 0 || (over == 0 && p.ResidentPages > best.ResidentPages)) best = p;
            }
        }
        return best;
    }

    // Unmaps the page (the partition's cores forget it), scrubs its frame, and frees the frame or returns it.
    private int Release(SharedMemoryPartition partition, int page, bool push = true)
    {
        partition.Partition.Table.Unmap(page);
        foreach (var core in partition.Partition.Cores) core.Core.FlushTlb();
        var frame = partition.Take(page);
        ram.Slice(frames[frame], MemoryMap.PageSize).Clear();
        if (push) free.Push(frame);
        return frame;
    }
}
