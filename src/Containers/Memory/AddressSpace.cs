using VirtualizationWorkbench.Machine.Memory;

namespace VirtualizationWorkbench.Containers.Memory;

/// <summary>One resident page of a process: its frame, and whether its contents can be read again from the
/// program's file (file-backed) or exist nowhere else (anonymous: heap and stack).</summary>
public readonly record struct ResidentPage(uint Frame, bool FileBacked);

/// <summary>
/// A process's own address space: a two-level page table in physical memory (the core walks it through cr3)
/// and the list of resident pages. Every frame it holds — the directory, page tables and pages — was charged to
/// the process's memory control group by the kernel that allocated it.
/// </summary>
public sealed class AddressSpace
{
    private readonly PhysicalMemory memory;
    private readonly SortedDictionary<uint, ResidentPage> pages = [];
    private readonly List<uint> tables = [];

    /// <summary>An empty address space whose page directory is <paramref name="directory"/> (a zeroed frame).</summary>
    public AddressSpace(PhysicalMemory memory, uint directory)
    {
        this.memory = memory;
        Directory = directory;
    }

    /// <summary>The page directory's physical address: what cr3 holds while the process runs.</summary>
    public uint Directory { get; }

    /// <summary>Resident pages by virtual page address, in address order.</summary>
    public IReadOnlyDictionary<uint, ResidentPage> Pages => pages;

    /// <summary>Every frame held: directory, page tables and pages.</summary>
    public int FrameCount => 1 + tables.Count + pages.Count;

    /// <summary>Whether the page at <paramref name="page"/> needs a page table that is not there yet.</summary>
    public bool NeedsTable(uint page) => (memory.ReadWord(DirectoryEntry(page)) & PageTableEntry.Present) == 0;

    /// <summary>Installs <paramref name="table"/> (a zeroed frame) as the page table covering <paramref name="page"/>.</summary>
    public void AddTable(uint page, uint table)
    {
        memory.WriteWord(DirectoryEntry(page), PageTableEntry.Make(table, PageTableEntry.Present | PageTableEntry.Writable | PageTableEntry.User));
        tables.Add(table);
    }

    /// <summary>Maps <paramref name="page"/> to <paramref name="frame"/>, user and writable; its table must exist.</summary>
    public void Map(uint page, uint frame, bool fileBacked)
    {
        memory.WriteWord(TableEntry(page), PageTableEntry.Make(frame, PageTableEntry.Present | PageTableEntry.Writable | PageTableEntry.User));
        pages[page] = new ResidentPage(frame, fileBacked);
    }

    /// <summary>Unmaps <paramref name="page"/> and returns its frame (the caller frees it and flushes the TLB).</summary>
    public uint Unmap(uint page)
    {
        var frame = pages[page].Frame;
        memory.WriteWord(TableEntry(page), 0);
        pages.Remove(page);
        return frame;
    }

    /// <summary>Whether the page was written since it was mapped (the core sets the dirty bit; so does the kernel
    /// when it writes for a system call).</summary>
    public bool IsDirty(uint page) => (memory.ReadWord(TableEntry(page)) & PageTableEntry.Dirty) != 0;

    /// <summary>Marks the page written.</summary>
    public void MarkDirty(uint page) => memory.WriteWord(TableEntry(page), memory.ReadWord(TableEntry(page)) | PageTableEntry.Dirty);

    /// <summary>The physical address of <paramref name="address"/>, or null if its page is not resident.</summary>
    public uint? Translate(uint address) =>
        pages.TryGetValue(UserLayout.PageOf(address), out var page) ? page.Frame + (address & (UserLayout.PageSize - 1)) : null;

    /// <summary>Every frame held, for the kernel to free when the process ends or execs.</summary>
    public IEnumerable<uint> AllFrames() => pages.Values.Select(p => p.Frame).Concat(tables).Append(Directory);

    private uint DirectoryEntry(uint page) => Directory + PageTableEntry.DirectoryIndex(page) * 4;

    private uint TableEntry(uint page) =>
        (memory.ReadWord(DirectoryEntry(page)) & PageTableEntry.FrameMask) + PageTableEntry.TableIndex(page) * 4;
}
