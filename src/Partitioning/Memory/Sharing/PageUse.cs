namespace VirtualizationWorkbench.Partitioning.Memory.Sharing;

/// <summary>
/// What a shared-memory partition's guest says one of its logical pages holds (its hint to the firmware, given with
/// <see cref="FirmwareCall.PageUse"/>), as AIX tells the POWER Hypervisor under Active Memory Sharing. The firmware
/// needs it to take memory without paging: a free page can be taken as it is, a file-cache page can be read again
/// from its file, only working storage must be written to the paging device. A page the guest said nothing about
/// is working storage.
/// </summary>
public enum PageUse
{
    /// <summary>Working storage (stack, heap, data): its bytes exist nowhere else, so taking it means paging it out.</summary>
    Working = 0,

    /// <summary>A clean file-cache page: the guest can read it again, so it may be loaned (dropped) without I/O; the
    /// guest sees it zeroed when it next touches it.</summary>
    Cache = 1,

    /// <summary>Free memory: nothing the guest needs is in it, so it is loaned first.</summary>
    Free = 2,
}
