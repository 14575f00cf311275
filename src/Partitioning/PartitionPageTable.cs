using VirtualizationWorkbench.Machine.Memory;

namespace VirtualizationWorkbench.Partitioning;

/// <summary>
/// One partition's second-level (nested) page table, in the firmware's own memory: logical address → machine
/// RAM, one entry per 4 KiB page, in the core's two-level format. It is what makes a partition's boundary a
/// hardware boundary: the core walks it on every access the partition makes, and a logical page with no present
/// entry leaves the partition as a nested page fault for the firmware to judge. A page present but not writable
/// is how dirty pages are tracked (the first write to it exits). A partition has at most 4 MiB (one table).
/// <code>
///   directory (1 page) ──► table (1 page): entry i = machine frame of logical page i | present | writable
///                                          | accessed | dirty (set by the hardware when the partition's cores have
///                                            NestedAccessedDirty on: the firmware's view of what the guest uses)
/// </code>
/// </summary>
public sealed class PartitionPageTable
{
    /// <summary>The most logical memory one table maps: 1,024 pages.</summary>
    public const int MaxPages = 1024;

    private readonly PhysicalMemory ram;

    /// <summary>A cleared table whose directory is at <paramref name="directory"/> and table at the next page.</summary>
    public PartitionPageTable(PhysicalMemory ram, uint directory)
    {
        this.ram = ram;
        Root = directory;
        ram.Slice(directory, 2 * MemoryMap.PageSize).Clear();
        ram.WriteWord(directory, PageTableEntry.Make(Table, PageTableEntry.Present | PageTableEntry.Writable));
    }

    /// <summary>The directory's machine address: what the control structure's nested root holds.</summary>
    public uint Root { get; }

    private uint Table => Root + MemoryMap.PageSize;

    /// <summary>Maps logical page <paramref name="page"/> to machine address <paramref name="frame"/>.</summary>
    public void Map(int page, uint frame, bool writable = true) =>
        ram.WriteWord(Entry(page), PageTableEntry.Make(frame, PageTableEntry.Present | (writable ? PageTableEntry.Writable : 0)));

    /// <summary>Removes logical page <paramref name="page"/>: the next access to it exits.</summary>
    public void Unmap(int page) => ram.WriteWord(Entry(page), 0);

    /// <summary>Whether logical page <paramref name="page"/> is present.</summary>
    public bool IsPresent(int page) => (ram.ReadWord(Entry(page)) & PageTableEntry.Present) != 0;

    /// <summary>Whether logical page <paramref name="page"/> is present and writable.</summary>
    public bool IsWritable(int page) => (ram.ReadWord(Entry(page)) & (PageTableEntry.Present | PageTableEntry.Writable)) == (PageTableEntry.Present | PageTableEntry.Writable);

    /// <summary>Whether the hardware set logical page <paramref name="page"/>'s accessed bit (a core used it since the
    /// bit was last cleared; only with <c>NestedAccessedDirty</c> on the partition's cores).</summary>
    public bool IsAccessed(int page) => (ram.ReadWord(Entry(page)) & PageTableEntry.Accessed) != 0;

    /// <summary>Clears a page's accessed bit; the partition's TLBs must be flushed before the bit means anything again.</summary>
    public void ClearAccessed(int page) => ram.WriteWord(Entry(page), ram.ReadWord(Entry(page)) & ~PageTableEntry.Accessed);

    /// <summary>Whether logical page <paramref name="page"/> was written since it was mapped: its dirty bit, set by the
    /// hardware on the guest's writes and by <see cref="MarkDirty"/> on the firmware's.</summary>
    public bool IsDirty(int page) => (ram.ReadWord(Entry(page)) & PageTableEntry.Dirty) != 0;

    /// <summary>Sets a present page's dirty bit: the firmware (loading a program, a device's DMA) wrote it.</summary>
    public void MarkDirty(int page)
    {
        var entry = ram.ReadWord(Entry(page));
        if ((entry & PageTableEntry.Present) != 0) ram.WriteWord(Entry(page), entry | PageTableEntry.Dirty);
    }

    /// <summary>The machine frame of a present page.</summary>
    public uint FrameOf(int page) => ram.ReadWord(Entry(page)) & PageTableEntry.FrameMask;

    /// <summary>Sets or clears the writable bit of a present page (write protection for dirty tracking).</summary>
    public void SetWritable(int page, bool writable)
    {
        var entry = ram.ReadWord(Entry(page));
        if ((entry & PageTableEntry.Present) == 0) return;
        ram.WriteWord(Entry(page), writable ? entry | PageTableEntry.Writable : entry & ~PageTableEntry.Writable);
    }

    /// <summary>Every machine frame the table maps, by logical page (what an inspector or a test reads).</summary>
    public IEnumerable<(int Page, uint Frame)> Mappings()
    {
        for (var page = 0; page < MaxPages; page++)
        {
            var entry = ram.ReadWord(Entry(page));
            if ((entry & PageTableEntry.Present) != 0) yield return (page, entry & PageTableEntry.FrameMask);
        }
    }

    private uint Entry(int page)
    {
        if ((uint)page >= MaxPages) throw new ArgumentOutOfRangeException(nameof(page), page, $"a partition has at most {MaxPages} pages");
        return Table + (uint)page * 4;
    }
}
