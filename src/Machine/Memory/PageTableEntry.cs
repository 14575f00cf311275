namespace VirtualizationWorkbench.Machine.Memory;

/// <summary>
/// Bits of a page-directory or page-table entry (x86 layout). A linear address splits as
/// <c>directory index [31:22] | table index [21:12] | offset [11:0]</c>; each entry holds the physical frame
/// in bits [31:12]. The same format serves the nested (second-level) page table, where U is ignored.
/// </summary>
public static class PageTableEntry
{
    /// <summary>Present.</summary>
    public const uint Present = 1 << 0;
    /// <summary>Writable (in every ring: this machine always write-protects, as x86 with CR0.WP set).</summary>
    public const uint Writable = 1 << 1;
    /// <summary>Reachable from ring 3.</summary>
    public const uint User = 1 << 2;
    /// <summary>Accessed: set by the walker.</summary>
    public const uint Accessed = 1 << 5;
    /// <summary>Dirty: set by the walker on the first write through the entry.</summary>
    public const uint Dirty = 1 << 6;
    /// <summary>The frame address bits.</summary>
    public const uint FrameMask = 0xFFFF_F000;

    /// <summary>An entry for <paramref name="frame"/> with <paramref name="flags"/>.</summary>
    public static uint Make(uint frame, uint flags) => (frame & FrameMask) | flags;

    /// <summary>The directory index of a linear address.</summary>
    public static uint DirectoryIndex(uint linear) => linear >> 22;

    /// <summary>The table index of a linear address.</summary>
    public static uint TableIndex(uint linear) => (linear >> 12) & 0x3FF;
}
