namespace VirtualizationWorkbench.Partitioning;

/// <summary>How guests/ams.s uses the memory of its shared-memory partition: pages of working storage it visits
/// round-robin, pages of file cache it reads every <see cref="CacheEvery"/> visits, free pages (boot buffers it no
/// longer needs), and whether it tells the firmware which are which (page hints, which make loaning possible).</summary>
public sealed record GuestMemoryUse(int WorkingPages, int CachePages, int ScratchPages, int CacheEvery, bool Hints);
