using VirtualizationWorkbench.Machine;

namespace VirtualizationWorkbench.Partitioning.Memory.Sharing;

/// <summary>
/// A logical partition in shared memory mode (Active Memory Sharing): it has a logical memory size, but no memory
/// blocks of its own. Its logical pages live in frames of the <see cref="SharedMemoryPool"/> while they are
/// resident, on the pool's paging device once paged out, and nowhere before they are first touched. A page that is
/// not resident is absent from its nested page table, so the guest's touch exits to the firmware, which brings it
/// in (<see cref="IMissingPages"/>) and charges the core the cycles the guest waited.
/// </summary>
public sealed class SharedMemoryPartition : IMissingPages
{
    /// <summary>Memory weight: 0 to 255 (IBM's scale; 128 is the HMC's default).</summary>
    public const int MaxWeight = 255;

    private readonly int[] frameOf;
    private readonly PageUse[] use;

    internal SharedMemoryPartition(SharedMemoryPool pool, LogicalPartition partition, int logicalPages, int weight, LoanPolicy policy)
    {
        Pool = pool;
        Partition = partition;
        LogicalPages = logicalPages;
        Weight = weight;
        LoanPolicy = policy;
        frameOf = new int[logicalPages];
        Array.Fill(frameOf, -1);
        use = new PageUse[logicalPages];
        Clock = new PageClock(logicalPages);
        Disk = ViosDisk.OfPages(logicalPages);
    }

    /// <summary>The pool its pages live in.</summary>
    public SharedMemoryPool Pool { get; }

    /// <summary>The partition.</summary>
    public LogicalPartition Partition { get; }

    /// <summary>Its logical memory in pages (what its guest is told it has).</summary>
    public int LogicalPages { get; }

    /// <summary>Its memory weight: how much of the pool it keeps against the others when the pool is short.</summary>
    public int Weight { get; }

    /// <summary>What its guest lends back before the firmware pages.</summary>
    public LoanPolicy LoanPolicy { get; }

    /// <summary>The disk the VIOS serves it, as large as its logical memory, where its guest's files are (a loaned
    /// file-cache page is read from there again).</summary>
    public ViosDisk Disk { get; }

    /// <summary>Its resident pages, in the clock the firmware turns to choose the one to take.</summary>
    public PageClock Clock { get; }

    /// <summary>Pages now in frames of the pool.</summary>
    public int ResidentPages => Clock.Count;

    /// <summary>Pages its guest touched while they were not resident (each an exit the firmware served).</summary>
    public long Faults { get; internal set; }

    /// <summary>Pages read back from the paging device.</summary>
    public long PageIns { get; internal set; }

    /// <summary>Pages of it the firmware wrote to the paging device to free a frame.</summary>
    public long PageOuts { get; internal set; }

    /// <summary>Pages taken without a write because they were clean: unchanged since they were read from the paging
    /// device, which still holds them (or, never written, still zero).</summary>
    public long CleanDrops { get; internal set; }

    /// <summary>Pages touched for the first time (or again after a loan): given a zeroed frame, no I/O.</summary>
    public long ZeroFills { get; internal set; }

    /// <summary>Free pages its guest lent back.</summary>
    public long LoanedFree { get; internal set; }

    /// <summary>File-cache pages its guest lent back.</summary>
    public long LoanedCache { get; internal set; }

    /// <summary>All pages it lent back (no I/O).</summary>
    public long Loaned => LoanedFree + LoanedCache;

    /// <summary>Cycles its cores waited for the firmware to page (the paging device's accesses, in and out).</summary>
    public ulong PagingCycles { get; internal set; }

    /// <summary>What its guest said page <paramref name="page"/> holds.</summary>
    public PageUse UseOf(int page) => use[page];

    /// <summary>Whether page <paramref name="page"/> is in a frame of the pool.</summary>
    public bool IsResident(int page) => frameOf[page] >= 0;

    /// <summary>Whether page <paramref name="page"/> is out of the pool, on the paging device.</summary>
    public bool IsPagedOut(int page) => !IsResident(page) && Pool.Device.Holds(Partition.Id, page);

    /// <summary>The guest's hint for <paramref name="count"/> pages from <paramref name="first"/>.</summary>
    internal void SetUse(int first, int count, PageUse value) => Array.Fill(use, value, first, count);

    internal int FrameOf(int page) => frameOf[page];

    internal void Place(int page, int frame)
    {
        frameOf[page] = frame;
        Clock.Add(page);
    }

    internal int Take(int page)
    {
        var frame = frameOf[page];
        frameOf[page] = -1;
        Clock.Remove(page);
        return frame;
    }

    bool IMissingPages.BringIn(LogicalPartition partition, int page, Core core)
    {
        if (page >= LogicalPages || IsResident(page)) return false;
        Faults++;
        var cycles = Pool.BringIn(this, page);
        PagingCycles += cycles;
        core.Charge(cycles);
        return true;
    }
}
