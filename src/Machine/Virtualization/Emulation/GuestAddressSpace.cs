using VirtualizationWorkbench.Machine.Memory;

namespace VirtualizationWorkbench.Machine.Virtualization.Emulation;

/// <summary>
/// The guest's memory as the monitor reaches it: guest-physical [0, Size) is machine RAM [HostBase, HostBase +
/// Size), and guest-virtual addresses go through the guest's own page tables (per its virtual cr0 and cr3).
/// Walks here set no accessed or dirty bits: the monitor looks, it does not use.
/// </summary>
public sealed class GuestAddressSpace(PhysicalMemory ram, uint hostBase, uint size, VirtualCpu cpu)
{
    /// <summary>Where the guest's memory starts in machine RAM.</summary>
    public uint HostBase { get; } = hostBase;

    /// <summary>How much memory the guest has.</summary>
    public uint Size { get; } = size;

    /// <summary>Guest-physical to machine RAM; false outside the guest's memory.</summary>
    public bool ToHost(uint guestPhysical, out uint host)
    {
        host = HostBase + guestPhysical;
        return guestPhysical < Size;
    }

    /// <summary>Guest-virtual to guest-physical through the guest's page tables, with the guest's permissions.</summary>
    /// <returns>True if mapped (and, for <paramref name="write"/> or <paramref name="user"/>, allowed).</returns>
    public bool Walk(uint guestVirtual, bool write, bool user, out uint guestPhysical, out uint entryFlags)
    {
        entryFlags = PageTableEntry.Present | PageTableEntry.Writable | PageTableEntry.User;
        guestPhysical = guestVirtual;
        if (!cpu.PagingEnabled) return guestVirtual < Size;
        if (!ToHost((cpu.Cr3 & PageTableEntry.FrameMask) + (PageTableEntry.DirectoryIndex(guestVirtual) << 2), out var pdeAt)) return false;
        var pde = ram.ReadWord(pdeAt);
        if ((pde & PageTableEntry.Present) == 0) return false;
        if (!ToHost((pde & PageTableEntry.FrameMask) + (PageTableEntry.TableIndex(guestVirtual) << 2), out var pteAt)) return false;
        var pte = ram.ReadWord(pteAt);
        if ((pte & PageTableEntry.Present) == 0) return false;
        entryFlags = PageTableEntry.Present | (pde & pte & (PageTableEntry.Writable | PageTableEntry.User)) | (pte & PageTableEntry.Dirty);
        if (write && (entryFlags & PageTableEntry.Writable) == 0) return false;
        if (user && (entryFlags & PageTableEntry.User) == 0) return false;
        guestPhysical = (pte & PageTableEntry.FrameMask) | (guestVirtual & 0xFFF);
        return true;
    }

    /// <summary>Reads a guest-virtual word with kernel rights.</summary>
    public bool TryRead(uint guestVirtual, out uint value)
    {
        value = 0;
        if ((guestVirtual & 0xFFF) > 0xFFC) return TryReadBytes(guestVirtual, out value);
        if (!Walk(guestVirtual, false, false, out var gpa, out _) || !ToHost(gpa, out var host) || gpa > Size - 4) return false;
        value = ram.ReadWord(host);
        return true;
    }

    /// <summary>Writes a guest-virtual word with kernel rights (a read-only page refuses).</summary>
    public bool TryWrite(uint guestVirtual, uint value)
    {
        if (!Walk(guestVirtual, true, false, out var gpa, out _) || !ToHost(gpa, out var host) || gpa > Size - 4 || (guestVirtual & 0xFFF) > 0xFFC) return false;
        ram.WriteWord(host, value);
        return true;
    }

    private bool TryReadBytes(uint guestVirtual, out uint value)
    {
        value = 0;
        for (var i = 0u; i < 4; i++)
        {
            if (!Walk(guestVirtual + i, false, false, out var gpa, out _) || !ToHost(gpa, out var host)) return false;
            value |= (uint)ram.ReadByte(host) << (int)(8 * i);
        }
        return true;
    }
}
