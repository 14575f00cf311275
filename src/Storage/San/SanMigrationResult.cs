namespace VirtualizationWorkbench.Storage.San;

/// <summary>
/// What one live migration of a partition whose disk is on the SAN did (<see cref="SanMigrationTrial"/>).
/// </summary>
/// <param name="Mode">pre-copy, stop-and-copy or hybrid.</param>
/// <param name="MemoryPages">Pages of memory sent over the migration link (rounds, the stop-and-copy, and for the
/// hybrid the pages fetched on demand or pushed after the switch); the processor and device state is one page more.</param>
/// <param name="MemoryBytes">The same in bytes.</param>
/// <param name="DiskSectorsCopied">Sectors the storage moved that the guest did not ask for: everything the SAN target
/// read or wrote, minus the guest's own requests through its disk on either machine. Copying the disk would show here.</param>
/// <param name="DowntimeMilliseconds">Virtual ms the guest was stopped.</param>
/// <param name="TotalMilliseconds">Virtual ms from the request to the guest running on the target alone.</param>
/// <param name="VolumeSectors">The LUN's size.</param>
/// <param name="WritesBefore">Sectors the guest had written when the migration began.</param>
/// <param name="Writes">Sectors it had written at the end, on the target (its disk's count, which moved with it).</param>
/// <param name="Reads">Sectors it had read back at the end.</param>
/// <param name="SourceRequests">SAN requests from the source machine's initiator, before the switch.</param>
/// <param name="TargetRequests">SAN requests from the target machine's initiator, after it.</param>
/// <param name="VolumeMatches">Whether the LUN, read on the storage machine at the end, holds exactly what the guest
/// wrote (the last write to each sector).</param>
/// <param name="MemoryMatches">Whether the target's memory equalled the source's at the switch.</param>
/// <param name="GuestContinued">Whether the guest's ticks went on, in order, on the target.</param>
/// <param name="DemandFetches">Pages the hybrid's target fetched on first touch (the guest's or its disk's).</param>
/// <param name="Console">The guest's terminal on the target at the end.</param>
public sealed record SanMigrationResult(
    string Mode,
    int MemoryPages,
    long MemoryBytes,
    long DiskSectorsCopied,
    double DowntimeMilliseconds,
    double TotalMilliseconds,
    uint VolumeSectors,
    uint WritesBefore,
    uint Writes,
    uint Reads,
    ulong SourceRequests,
    ulong TargetRequests,
    bool VolumeMatches,
    bool MemoryMatches,
    bool GuestContinued,
    int DemandFetches,
    string Console);
