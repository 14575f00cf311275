namespace VirtualizationWorkbench.Labs.PageTables;

/// <summary>One entry of an <c>mmu_update</c> batch: the guest-physical address of a page-table entry and the
/// value the guest wants there (this file is given).</summary>
/// <param name="EntryAddress">Guest-physical address of the entry.</param>
/// <param name="Value">The new entry: frame in bits 31-12, flags below (present 1, writable 2, user 4).</param>
public readonly record struct PageTableUpdate(uint EntryAddress, uint Value);
