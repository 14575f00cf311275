namespace VirtualizationWorkbench.Machine.Memory;

/// <summary>One valid entry of a core's TLB.</summary>
/// <param name="Slot">Its slot (the TLB is direct-mapped: virtual page number mod 64).</param>
/// <param name="VirtualPage">The linear address of the page it translates.</param>
/// <param name="Frame">The machine RAM address of the page's frame.</param>
/// <param name="UserRead">Ring 3 may read through it.</param>
/// <param name="SupervisorWrite">Rings 0-2 may write through it (the page is writable and already dirty).</param>
/// <param name="UserWrite">Ring 3 may write through it.</param>
public readonly record struct TlbEntry(int Slot, uint VirtualPage, uint Frame, bool UserRead, bool SupervisorWrite, bool UserWrite);
