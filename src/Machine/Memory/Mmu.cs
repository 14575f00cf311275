using System.Runtime.CompilerServices;
using VirtualizationWorkbench.Machine.Cpu;
using VirtualizationWorkbench.Machine.Debugging;
using VirtualizationWorkbench.Machine.Memory;

namespace VirtualizationWorkbench.Machine;

/// <summary>Address translation: the core's memory window, paging with a TLB, nested paging, device memory.</summary>
public sealed partial class Core
{
    /// <summary>Kinds of access, for permission checks and page-fault error codes.</summary>
    private enum Access { Read, Write, Fetch }

    // Results of a translation.
    private const int ToRam = 0, ToDevice = 1, Faulted = 2, Exited = 3;

    // The TLB: direct-mapped, 64 entries. Tag = virtual page number + 1 (0 = empty); frame = RAM index of the
    // page; perm bit 0 = ring 3 may read, bit 1 = rings 0-2 may write, bit 2 = ring 3 may write. Write bits are
    // only set once the entry is dirty, so the first write to a page walks and sets D.
    private const int TlbEntries = 64;
    private const byte UserRead = 1, SupervisorWrite = 2, UserWrite = 4;
    private readonly uint[] tlbTag = new uint[TlbEntries];
    private readonly int[] tlbFrame = new int[TlbEntries];
    private readonly byte[] tlbPerm = new byte[TlbEntries];

    // The page the last instruction fetch came from (1 = none: pages are aligned). Fetches within it skip
    // the TLB, as a real core's fetch buffer does; it is dropped whenever the TLB or the ring changes.
    private uint fetchPage = 1;
    private int fetchFrame;

    // The core's window of the machine's RAM: guest-physical [0, windowSize) is RAM [windowBase, ...).
    // Partitioning uses it to give each partition its own memory, enforced on every access.
    private uint windowBase, windowSize;

    // The exception an instruction recorded; the loop delivers it.
    private ExceptionVector trapVector;
    private uint trapError;
    private uint faultAddress;

    /// <summary>Where this core's physical memory lies in the machine's RAM.</summary>
    public uint MemoryBase => windowBase;

    /// <summary>How much physical memory this core sees.</summary>
    public uint MemorySize => windowSize;

    /// <summary>
    /// Confines the core to RAM [<paramref name="base"/>, base + size): its physical address 0 is RAM address
    /// <paramref name="base"/>, and it cannot reach outside. Both must be page-aligned.
    /// </summary>
    public void SetMemoryWindow(uint @base, uint size)
    {
        if (@base % MemoryMap.PageSize != 0 || size % MemoryMap.PageSize != 0 || size == 0)
        {
            throw new ArgumentException("a memory window's base and size must be non-zero multiples of 4 KiB");
        }
        if ((ulong)@base + size > (ulong)ram.Length)
        {
            throw new ArgumentException($"window 0x{@base:x}+0x{size:x} goes past the end of RAM (0x{ram.Length:x})");
        }
        windowBase = @base;
        windowSize = size;
        FlushTlb();
        FlushTranslations();
    }

    /// <summary>The TLB's valid entries, by slot: what an inspector shows beside the page tables.</summary>
    public IReadOnlyList<TlbEntry> TlbContents()
    {
        var entries = new List<TlbEntry>();
        for (var i = 0; i < TlbEntries; i++)
        {
            if (tlbTag[i] == 0) continue;
            var perm = tlbPerm[i];
            entries.Add(new TlbEntry(i, (tlbTag[i] - 1) << 12, (uint)tlbFrame[i], (perm & UserRead) != 0, (perm & SupervisorWrite) != 0, (perm & UserWrite) != 0));
        }
        return entries;
    }

    /// <summary>Empties the TLB (what <c>invtlb</c>, a cr3 write and a VM entry or exit do).</summary>
    public void FlushTlb()
    {
        Array.Clear(tlbTag);
        fetchPage = 1;
    }

    /// <summary>Drops the TLB entry for the page holding <paramref name="address"/>.</summary>
    public void InvalidatePage(uint address)
    {
        var vpn = address >> 12;
        var i = (int)(vpn & (TlbEntries - 1));
        if (tlbTag[i] == vpn + 1) tlbTag[i] = 0;
        if ((address & ~0xFFFu) == fetchPage) fetchPage = 1;
    }

    private bool PagingOn => (state.Cr0 & ControlRegister.PagingEnabled) != 0;

    // Whether accesses go through the TLB: with guest paging on, or under nested paging (where even a guest
    // without paging has its guest-physical addresses translated).
    private bool Translating => PagingOn || nestedFlag != 0;

    /// <summary>The fast path of a data access: RAM without paging, or a TLB hit with the right permission
    /// and no page crossing. Everything else takes the slow path.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool TryFast(uint va, uint size, bool write, out int ramIndex)
    {
        if (((state.Cr0 & ControlRegister.PagingEnabled) | nestedFlag) == 0)
        {
            if (va <= windowSize - size)
            {
                ramIndex = (int)(windowBase + va);
                return true;
            }
            ramIndex = 0;
            return false;
        }
        var vpn = va >> 12;
        var i = (int)(vpn & (TlbEntries - 1));
        var user = (state.Flags & Flags.CplMask) == Flags.CplMask ? 1 : 0;
        var need = write ? 2 << user : user;
        if (tlbTag[i] == vpn + 1 && (tlbPerm[i] & need) == need && (va & 0xFFF) <= 0x1000 - size)
        {
            Counters.TlbHits++;
            ramIndex = tlbFrame[i] + (int)(va & 0xFFF);
            return true;
        }
        ramIndex = 0;
        return false;
    }

    /// <summary>The fast path of an instruction fetch.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool TryFastFetch(uint pc, out int ramIndex)
    {
        if (((state.Cr0 & ControlRegister.PagingEnabled) | nestedFlag) == 0)
        {
            if (pc <= windowSize - 4)
            {
                ramIndex = (int)(windowBase + pc);
                return true;
            }
        }
        else if ((pc & ~0xFFFu) == fetchPage && (pc & 0xFFF) <= 0xFFC)
        {
            ramIndex = fetchFrame + (int)(pc & 0xFFF);
            return true;
        }
        ramIndex = 0;
        return false;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private uint ReadRam(int index) => Unsafe.ReadUnaligned<uint>(ref ram[index]);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void WriteRam(int index, uint value) => Unsafe.WriteUnaligned(ref ram[index], value);

    /// <summary>Fetches the word at <paramref name="pc"/> by the slow path. Returns Ok, or Faulted with the
    /// exception recorded (#PF, or #GP for a fetch from something that is not RAM), or Exited.</summary>
    private int FetchSlow(uint pc, out uint word)
    {
        word = 0;
        if (Translating && (pc & 0xFFF) > 0xFFC)
        {
            for (var i = 0u; i < 4; i++)
            {
                var t = Translate(pc + i, Access.Fetch, 1, out _, out var index);
                if (t != ToRam) return t == ToDevice ? FetchFault() : t;
                word |= (uint)ram[index] << (int)(8 * i);
            }
            return Ok;
        }
        var r = Translate(pc, Access.Fetch, 4, out _, out var hpa);
        if (r != ToRam) return r == ToDevice ? FetchFault() : r;
        if (Translating)
        {
            fetchPage = pc & ~0xFFFu;
            fetchFrame = hpa & ~0xFFF;
        }
        word = ReadRam(hpa);
        return Ok;
    }

    private int FetchFault() => Raise(ExceptionVector.GeneralProtection, 0);

    private const int Ok = 0;

    /// <summary>Loads by the slow path. Device memory is read at once; memory no device claims leaves for the
    /// host (<see cref="ExitReason.Mmio"/>) with <paramref name="destination"/> waiting for the answer.</summary>
    private int LoadSlow(uint va, uint size, int destination, uint pc, uint next, out uint value)
    {
        value = 0;
        if (size == 4 && Translating && (va & 0xFFF) > 0xFFC)
        {
            for (var i = 0u; i < 4; i++)
            {
                var r = LoadSlow(va + i, 1, -1, pc, next, out var b);
                if (r != Ok) return r;
                value |= b << (int)(8 * i);
            }
            return Ok;
        }
        var t = Translate(va, Access.Read, size, out var gpa, out var hpa);
        if (t == ToRam)
        {
            value = size == 4 ? ReadRam(hpa) : ram[hpa];
            return Ok;
        }
        if (t != ToDevice) return t;
        var device = machine.Bus.FindMemory(gpa, out var offset);
        if (device is not null)
        {
            NoteDeviceAccess();
            value = device.Read(offset, (int)size);
            return Ok;
        }
        if (destination < 0) return Raise(ExceptionVector.GeneralProtection, 0);
        pendingIoRegister = destination;
        state.Pc = next;
        Counters.Instructions++;
        Leave(new RunExit { Reason = ExitReason.Mmio, Pc = pc, PcAdvanced = true, Address = gpa, Size = (int)size });
        return Exited;
    }

    /// <summary>Stores by the slow path; see <see cref="LoadSlow"/>.</summary>
    private int StoreSlow(uint va, uint size, uint value, uint pc, uint next)
    {
        if (size == 4 && Translating && (va & 0xFFF) > 0xFFC)
        {
            // Check every byte before writing any, so a fault leaves memory untouched.
            for (var i = 0u; i < 4; i++)
            {
                var t = Translate(va + i, Access.Write, 1, out _, out _);
                if (t != ToRam) return t == ToDevice ? Raise(ExceptionVector.GeneralProtection, 0) : t;
            }
            for (var i = 0u; i < 4; i++)
            {
                Translate(va + i, Access.Write, 1, out _, out var index);
                NoteWrite(index);
                ram[index] = (byte)(value >> (int)(8 * i));
            }
            return Ok;
        }
        var r = Translate(va, Access.Write, size, out var gpa, out var hpa);
        if (r == ToRam)
        {
            NoteWrite(hpa);
            if (size == 4) WriteRam(hpa, value);
            else ram[hpa] = (byte)value;
            return Ok;
        }
        if (r != ToDevice) return r;
        var device = machine.Bus.FindMemory(gpa, out var offset);
        if (device is not null)
        {
            NoteDeviceAccess();
            device.Write(offset, (int)size, value);
            return Ok;
        }
        state.Pc = next;
        Counters.Instructions++;
        Leave(new RunExit { Reason = ExitReason.Mmio, Pc = pc, PcAdvanced = true, Address = gpa, Size = (int)size, IsWrite = true, Data = value });
        return Exited;
    }

    /// <summary>
    /// Translates a linear address for an access of <paramref name="size"/> bytes: through the page tables if
    /// paging is on (walking on a TLB miss, setting accessed and dirty bits, filling the TLB), then from
    /// guest-physical to RAM through the memory window or the nested page table.
    /// </summary>
    private int Translate(uint va, Access access, uint size, out uint gpa, out int hpa)
    {
        hpa = -1;
        uint effective;
        int r;
        if (Translating && (va & 0xFFF) <= 0x1000 - size)
        {
            // The slow path still starts at the TLB: a fetch after a ring change, or an access the fast path
            // declined for its size, should not walk the tables when the translation is cached.
            var vpn = va >> 12;
            var slot = (int)(vpn & (TlbEntries - 1));
            var user = (state.Flags & Flags.CplMask) == Flags.CplMask ? 1 : 0;
            var need = access == Access.Write ? 2 << user : user;
            if (tlbTag[slot] == vpn + 1 && (tlbPerm[slot] & need) == need)
            {
                Counters.TlbHits++;
                gpa = 0;
                hpa = tlbFrame[slot] + (int)(va & 0xFFF);
                return ToRam;
            }
        }
        if (!PagingOn)
        {
            gpa = va;
            if (nestedFlag == 0) return ResolvePhysical(va, access, size, out hpa);
            // Nested paging with guest paging off: guest-physical = linear, cached in the TLB like a walk.
            Counters.TlbMisses++;
            Counters.Cycles += costs.PageWalk;
            effective = PageTableEntry.User | (access == Access.Write ? PageTableEntry.Writable | PageTableEntry.Dirty : 0);
        }
        else
        {
            r = Walk(va, access, out gpa, out effective);
            if (r != Ok) return r;
        }
        nestedClean = false;
        r = ResolvePhysical(gpa, access, size, out hpa);
        if (r == ToRam)
        {
            var vpn = va >> 12;
            var i = (int)(vpn & (TlbEntries - 1));
            var user = (effective & PageTableEntry.User) != 0;
            var writable = (effective & PageTableEntry.Writable) != 0 && (effective & PageTableEntry.Dirty) != 0 && !nestedClean;
            tlbTag[i] = vpn + 1;
            tlbFrame[i] = hpa & ~0xFFF;
            tlbPerm[i] = (byte)((user ? UserRead : 0) | (writable ? SupervisorWrite : 0) | (user && writable ? UserWrite : 0));
        }
        return r;
    }

    /// <summary>Walks the two-level page table for <paramref name="va"/>. On success returns Ok with the
    /// guest-physical address and the effective entry bits (directory AND table, plus the table's D).</summary>
    private int Walk(uint va, Access access, out uint gpa, out uint effective)
    {
        gpa = 0;
        effective = 0;
        var c = Counters;
        c.TlbMisses++;
        c.Cycles += NestedPagingActive ? costs.NestedPageWalk : costs.PageWalk;
        var user = state.Cpl == 3;
        var write = access == Access.Write;
        var errorBits = (write ? PageFaultError.Write : 0) | (user ? PageFaultError.User : 0) | (access == Access.Fetch ? PageFaultError.Fetch : 0);

        var pdeAddress = (state.Cr3 & PageTableEntry.FrameMask) + (PageTableEntry.DirectoryIndex(va) << 2);
        var r = ResolveTable(pdeAddress, out var pdeIndex);
        if (r != Ok) return r == Faulted ? PageFault(va, errorBits) : r;
        var pde = ReadRam(pdeIndex);
        if ((pde & PageTableEntry.Present) == 0) return PageFault(va, errorBits);

        var pteAddress = (pde & PageTableEntry.FrameMask) + (PageTableEntry.TableIndex(va) << 2);
        r = ResolveTable(pteAddress, out var pteIndex);
        if (r != Ok) return r == Faulted ? PageFault(va, errorBits) : r;
        var pte = ReadRam(pteIndex);
        if ((pte & PageTableEntry.Present) == 0) return PageFault(va, errorBits);

        effective = (pde & pte & (PageTableEntry.User | PageTableEntry.Writable)) | (pte & PageTableEntry.Dirty);
        if (user && (effective & PageTableEntry.User) == 0) return PageFault(va, errorBits | PageFaultError.Present);
        if (write && (effective & PageTableEntry.Writable) == 0) return PageFault(va, errorBits | PageFaultError.Present);

        if ((pde & PageTableEntry.Accessed) == 0)
        {
            NoteWrite(pdeIndex);
            WriteRam(pdeIndex, pde | PageTableEntry.Accessed);
        }
        var updated = pte | PageTableEntry.Accessed | (write ? PageTableEntry.Dirty : 0);
        if (updated != pte)
        {
            NoteWrite(pteIndex);
            WriteRam(pteIndex, updated);
        }
        if (write) effective |= PageTableEntry.Dirty;
        gpa = (pte & PageTableEntry.FrameMask) | (va & 0xFFF);
        return Ok;
    }

    /// <summary>Finds a page-table entry in RAM. Returns Ok, Faulted when the entry is not in RAM (the walk
    /// then reports a not-present page fault), or Exited for a nested page fault.</summary>
    private int ResolveTable(uint gpa, out int index)
    {
        walkingGuestTable = true;
        var r = ResolvePhysical(gpa, Access.Read, 4, out index);
        walkingGuestTable = false;
        return r switch { ToRam => Ok, ToDevice => Faulted, _ => r };
    }

    private int PageFault(uint va, uint error)
    {
        // cr2 is written when the fault is delivered to the guest, not here: a page fault that exits to a
        // hypervisor (shadow paging) must not disturb the guest's cr2.
        faultAddress = va;
        Counters.PageFaults++;
        Trace.Record(new TraceEvent(Counters.Cycles, Index, TraceEventKind.PageFault, state.Pc, (int)ExceptionVector.PageFault, va));
        return Raise(ExceptionVector.PageFault, error);
    }

    /// <summary>Records an exception for the loop to deliver and returns Faulted.</summary>
    private int Raise(ExceptionVector vector, uint error)
    {
        trapVector = vector;
        trapError = error;
        return Faulted;
    }

    /// <summary>Guest-physical to RAM index: through the nested page table when it is active, otherwise
    /// through the memory window. Device memory and holes return ToDevice.</summary>
    private int ResolvePhysical(uint gpa, Access access, uint size, out int hpa)
    {
        if (NestedPagingActive) return ResolveNested(gpa, access, size, out hpa);
        if (gpa <= windowSize - size)
        {
            hpa = (int)(windowBase + gpa);
            return ToRam;
        }
        hpa = -1;
        return ToDevice;
    }

    /// <summary>
    /// Host-side translation without side effects (no accessed/dirty bits, no TLB fill, no fault): the
    /// machine-RAM address behind linear address <paramref name="va"/> as the core would see it in ring 0, or
    /// false if it is unmapped or not RAM. For debuggers, inspectors and monitors.
    /// </summary>
    public bool TryTranslate(uint va, out uint ramAddress)
    {
        ramAddress = 0;
        var gpa = va;
        if (PagingOn)
        {
            if (!TryPeekPhysical((state.Cr3 & PageTableEntry.FrameMask) + (PageTableEntry.DirectoryIndex(va) << 2), out var pdeAt)) return false;
            var pde = ReadRam((int)pdeAt);
            if ((pde & PageTableEntry.Present) == 0) return false;
            if (!TryPeekPhysical((pde & PageTableEntry.FrameMask) + (PageTableEntry.TableIndex(va) << 2), out var pteAt)) return false;
            var pte = ReadRam((int)pteAt);
            if ((pte & PageTableEntry.Present) == 0) return false;
            gpa = (pte & PageTableEntry.FrameMask) | (va & 0xFFF);
        }
        return TryPeekPhysical(gpa, out ramAddress);
    }

    private bool TryPeekPhysical(uint gpa, out uint ramAddress)
    {
        ramAddress = 0;
        if (NestedPagingActive) return TryPeekNested(gpa, out ramAddress);
        if (gpa >= windowSize) return false;
        ramAddress = windowBase + gpa;
        return ramAddress < ram.Length;
    }

    /// <summary>Reads <paramref name="buffer"/>.Length bytes at linear address <paramref name="va"/> as
    /// <see cref="TryTranslate"/> sees memory. Returns how many bytes could be read before an unmapped page.</summary>
    public int ReadVirtual(uint va, Span<byte> buffer)
    {
        for (var i = 0; i < buffer.Length; i++)
        {
            if (!TryTranslate(va + (uint)i, out var at)) return i;
            buffer[i] = ram[at];
        }
        return buffer.Length;
    }

    /// <summary>Writes bytes at linear address <paramref name="va"/>; returns how many could be written.
    /// The TLB is not affected (it caches translations, not data).</summary>
    public int WriteVirtual(uint va, ReadOnlySpan<byte> data)
    {
        for (var i = 0; i < data.Length; i++)
        {
            if (!TryTranslate(va + (uint)i, out var at)) return i;
            NoteWrite((int)at);
            ram[at] = data[i];
        }
        return data.Length;
    }

    /// <summary>Reads a word at a linear address, or throws if it is not mapped.</summary>
    public uint ReadVirtualWord(uint va)
    {
        Span<byte> b = stackalloc byte[4];
        if (ReadVirtual(va, b) != 4) throw new InvalidOperationException($"address 0x{va:x8} is not mapped");
        return (uint)(b[0] | b[1] << 8 | b[2] << 16 | b[3] << 24);
    }
}
