namespace VirtualizationWorkbench.Partitioning.Migration;

/// <summary>How a partition moves: pre-copy, plain stop-and-copy, or IBM's hybrid (pre-copy, then resume early
/// and fetch the rest on demand).</summary>
public enum MigrationMode
{
    PreCopy,
    StopAndCopy,
    Hybrid,
}

/// <summary>One round of copying: the pages it sent and how long it took.</summary>
public sealed record MigrationRound(int Pages, double Milliseconds);

/// <summary>
/// What a migration did: its rounds (the last one is the stop-and-copy while the partition was suspended), pages
/// sent in all, the downtime and the total time in virtual milliseconds (<see cref="VirtualClock"/>), whether the
/// target's memory equalled the source's at the switch, and whether the guest's output went on, in order, on the
/// target. For the hybrid, the pages fetched on demand and pushed after the switch.
/// </summary>
public sealed record MigrationResult(
    MigrationMode Mode,
    IReadOnlyList<MigrationRound> Rounds,
    int TotalPages,
    double DowntimeMilliseconds,
    double TotalMilliseconds,
    bool MemoryMatches,
    bool GuestContinued,
    int DemandFetches,
    int PushedAfterSwitch,
    long DirtyFaults);
