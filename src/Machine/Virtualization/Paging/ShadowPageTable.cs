using VirtualizationWorkbench.Machine.Memory;
using VirtualizationWorkbench.Machine.Virtualization.Emulation;

namespace VirtualizationWorkbench.Machine.Virtualization.Paging;

/// <summary>Why a page fault under shadow paging happened, and what the monitor must do.</summary>
public enum ShadowFault
{
    /// <summary>A hidden fault: the guest's tables map the page; the shadow entry was filled. Retry the instruction.</summary>
    Filled,
    /// <summary>The guest's own tables refuse the access: a real page fault to reflect into the guest.</summary>
    GuestFault,
    /// <summary>A write to a page the monitor watches (a guest page table, translated code): emulate it.</summary>
    WatchedWrite,
}

/// <summary>
/// Shadow page tables: the tables the hardware really walks, built by the monitor from the guest's own tables
/// (guest-virtual → guest-physical) and the guest's place in memory (guest-physical → machine). Entries are
/// filled lazily on hidden page faults. The guest's page-table pages — and any page the monitor asks to watch,
/// such as translated code — are mapped read-only, so every guest write to them faults and the monitor can
/// keep the shadow in step. Nothing outside the guest's memory is ever mapped.
/// </summary>
public sealed class ShadowPageTable
{
    private const uint Frames = 512;
    private readonly VirtualMachineMonitor monitor;
    private readonly uint directory;
    private readonly Dictionary<uint, uint> tables = [];          // directory index -> shadow table frame
    private readonly HashSet<uint> guestTablePages = [];           // guest-physical pages holding guest page tables
    private readonly HashSet<uint> watchedPages = [];              // other guest-physical pages to write-protect
    private readonly Dictionary<uint, List<uint>> tableUsers = []; // guest table page -> directory indices using it
    private uint nextFrame;

    /// <summary>Builds an empty shadow in the monitor's own memory.</summary>
    public ShadowPageTable(VirtualMachineMonitor monitor)
    {
        this.monitor = monitor;
        directory = VirtualMachineMonitor.MonitorMemoryBase;
        nextFrame = directory + MemoryMap.PageSize;
        Reset();
    }

    /// <summary>The machine address of the shadow directory: what the real cr3 holds.</summary>
    public uint Directory => directory;

    private PhysicalMemory Ram => monitor.Computer.Memory;
    private GuestAddressSpace Guest => monitor.Guest;

    /// <summary>Drops every shadow entry (a guest cr3 or cr0 change) and re-reads which guest pages are page
    /// tables. Entries come back one hidden fault at a time.</summary>
    public void Reset()
    {
        Ram.Slice(directory, MemoryMap.PageSize).Clear();
        tables.Clear();
        tableUsers.Clear();
        guestTablePages.Clear();
        nextFrame = directory + MemoryMap.PageSize;
        if (monitor.Vcpu.PagingEnabled)
        {
            var root = monitor.Vcpu.Cr3 & PageTableEntry.FrameMask;
            guestTablePages.Add(root);
            if (Guest.ToHost(root, out var rootAt) && root <= Guest.Size - MemoryMap.PageSize)
            {
                for (var i = 0u; i < 1024; i++)
                {
                    var pde = Ram.ReadWord(rootAt + i * 4);
                    if ((pde & PageTableEntry.Present) == 0) continue;
                    var page = pde & PageTableEntry.FrameMask;
                    guestTablePages.Add(page);
                    if (!tableUsers.TryGetValue(page, out var users)) tableUsers[page] = users = [];
                    users.Add(i);
                }
            }
        }
        monitor.Core.FlushTlb();
    }

    /// <summary>Write-protects a guest-physical page (translated code) from now on.</summary>
    public void Watch(uint guestPhysicalPage)
    {
        if (watchedPages.Add(guestPhysicalPage & PageTableEntry.FrameMask)) Reset();
    }

    /// <summary>Stops write-protecting a page.</summary>
    public void Unwatch(uint guestPhysicalPage)
    {
        if (watchedPages.Remove(guestPhysicalPage & PageTableEntry.FrameMask)) Reset();
    }

    /// <summary>Whether a guest-physical page is a guest page table or watched.</summary>
    public bool IsProtected(uint guestPhysical) =>
        guestTablePages.Contains(guestPhysical & PageTableEntry.FrameMask) || watchedPages.Contains(guestPhysical & PageTableEntry.FrameMask);

    /// <summary>Whether a guest-physical page holds one of the guest's page tables.</summary>
    public bool IsGuestPageTable(uint guestPhysical) => guestTablePages.Contains(guestPhysical & PageTableEntry.FrameMask);

    /// <summary>Handles a page fault at <paramref name="address"/> with the hardware's error code.</summary>
    /// <param name="address">The faulting guest-virtual address.</param>
    /// <param name="error">The page-fault error code.</param>
    /// <param name="guestPhysical">For <see cref="ShadowFault.WatchedWrite"/>, where the write goes.</param>
    public ShadowFault HandleFault(uint address, uint error, out uint guestPhysical)
    {
        var write = (error & Cpu.PageFaultError.Write) != 0;
        var user = (error & Cpu.PageFaultError.User) != 0;
        if (!Guest.Walk(address, write, user, out guestPhysical, out var flags) || guestPhysical >= Guest.Size)
        {
            return ShadowFault.GuestFault;
        }
        if (write && IsProtected(guestPhysical)) return ShadowFault.WatchedWrite;
        // Keep the guest's accessed and dirty bits honest, as the hardware would have set them.
        if (monitor.Vcpu.PagingEnabled) MarkGuestEntry(address, write);
        Fill(address, guestPhysical, flags, write);
        monitor.Statistics.HiddenPageFaults++;
        return ShadowFault.Filled;
    }

    /// <summary>After the monitor emulated a write into a guest page table at <paramref name="guestPhysical"/>:
    /// drops the shadow entries derived from the changed entry, so they are rebuilt from the new one.</summary>
    public void OnGuestTableWritten(uint guestPhysical)
    {
        var page = guestPhysical & PageTableEntry.FrameMask;
        var index = (guestPhysical & 0xFFF) >> 2;
        if (page == (monitor.Vcpu.Cr3 & PageTableEntry.FrameMask))
        {
            // A directory entry: the tables it names change, so start over.
            Reset();
            GuestTableWritten?.Invoke();
            return;
        }
        else if (tableUsers.TryGetValue(page, out var users))
        {
            foreach (var directoryIndex in users)
            {
                if (!tables.TryGetValue(directoryIndex, out var table)) continue;
                var address = directoryIndex << 22 | index << 12;
                Ram.WriteWord(table + index * 4, 0);
                monitor.Core.InvalidatePage(address);
                // Sync eagerly: the guest wrote the entry because it is about to use it, so fill the shadow now
                // rather than take one more hidden fault on the next access.
                if (Guest.Walk(address, false, false, out var gpa, out var flags) && gpa < Guest.Size)
                {
                    Fill(address, gpa, flags, write: false);
                    continue;
                }
            }
        }
        monitor.Statistics.ShadowUpdates++;
        monitor.Core.Charge(monitor.Costs.ShadowUpdate);
        GuestTableWritten?.Invoke();
    }

    /// <summary>Raised after the shadow caught up with a guest page-table write (tests check the invariant here).</summary>
    public event Action? GuestTableWritten;

    /// <summary>Drops the shadow entry for one guest-virtual page (the guest's invlpg).</summary>
    public void Invalidate(uint address)
    {
        if (tables.TryGetValue(PageTableEntry.DirectoryIndex(address), out var table))
        {
            Ram.WriteWord(table + PageTableEntry.TableIndex(address) * 4, 0);
        }
        monitor.Core.InvalidatePage(address);
    }

    /// <summary>
    /// Checks the invariant the monitor lives by: every present shadow entry maps to exactly the machine page the
    /// guest's tables and the guest's place in memory say, with no more rights than the guest gave, and never a
    /// writable mapping of a protected page. Returns the first violation, or null.
    /// </summary>
    public string? Verify()
    {
        foreach (var (directoryIndex, table) in tables)
        {
            for (var i = 0u; i < 1024; i++)
            {
                var entry = Ram.ReadWord(table + i * 4);
                if ((entry & PageTableEntry.Present) == 0) continue;
                var address = directoryIndex << 22 | i << 12;
                if (!Guest.Walk(address, false, false, out var gpa, out var flags)) return $"0x{address:x8} is shadowed but the guest does not map it";
                if (!Guest.ToHost(gpa & PageTableEntry.FrameMask, out var host) || (entry & PageTableEntry.FrameMask) != host) return $"0x{address:x8} is shadowed to 0x{entry & PageTableEntry.FrameMask:x8}, the guest says machine 0x{host:x8}";
                if ((entry & PageTableEntry.Writable) != 0 && ((flags & PageTableEntry.Writable) == 0 || IsProtected(gpa))) return $"0x{address:x8} is writable in the shadow but not for the guest, or protected";
                if ((entry & PageTableEntry.User) != 0 && (flags & PageTableEntry.User) == 0) return $"0x{address:x8} is user-accessible in the shadow only";
            }
        }
        return null;
    }

    private void Fill(uint address, uint guestPhysical, uint guestFlags, bool write)
    {
        var directoryIndex = PageTableEntry.DirectoryIndex(address);
        if (!tables.TryGetValue(directoryIndex, out var table))
        {
            if (nextFrame >= directory + Frames * MemoryMap.PageSize) Reset();
            table = nextFrame;
            nextFrame += MemoryMap.PageSize;
            Ram.Slice(table, MemoryMap.PageSize).Clear();
            tables[directoryIndex] = table;
            Ram.WriteWord(directory + directoryIndex * 4, PageTableEntry.Make(table, PageTableEntry.Present | PageTableEntry.Writable | PageTableEntry.User));
        }
        Guest.ToHost(guestPhysical & PageTableEntry.FrameMask, out var host);
        // Writable only if the guest allows it, the page is not protected, and the guest entry is already dirty
        // (so the first write faults and the monitor sets the guest's dirty bit).
        var writable = (guestFlags & PageTableEntry.Writable) != 0 && !IsProtected(guestPhysical)
            && (write || (guestFlags & PageTableEntry.Dirty) != 0 || !monitor.Vcpu.PagingEnabled);
        var flags = PageTableEntry.Present | (writable ? PageTableEntry.Writable : 0) | (guestFlags & PageTableEntry.User);
        Ram.WriteWord(table + PageTableEntry.TableIndex(address) * 4, PageTableEntry.Make(host, flags));
        monitor.Core.InvalidatePage(address);
        monitor.Statistics.ShadowUpdates++;
        monitor.Core.Charge(monitor.Costs.ShadowUpdate);
    }

    private void MarkGuestEntry(uint address, bool write)
    {
        var root = monitor.Vcpu.Cr3 & PageTableEntry.FrameMask;
        if (!Guest.ToHost(root + (PageTableEntry.DirectoryIndex(address) << 2), out var pdeAt)) return;
        var pde = Ram.ReadWord(pdeAt);
        Ram.WriteWord(pdeAt, pde | PageTableEntry.Accessed);
        if (!Guest.ToHost((pde & PageTableEntry.FrameMask) + (PageTableEntry.TableIndex(address) << 2), out var pteAt)) return;
        var pte = Ram.ReadWord(pteAt);
        Ram.WriteWord(pteAt, pte | PageTableEntry.Accessed | (write ? PageTableEntry.Dirty : 0));
    }
}
