using VirtualizationWorkbench.Machine.Memory;

namespace VirtualizationWorkbench.Partitioning.Migration;

/// <summary>The link a partition moves over (the mover service partitions' network): its bandwidth and the round
/// trip a page fetched on demand waits for.</summary>
public sealed record MigrationLink
{
    /// <summary>A link of <paramref name="megabitsPerSecond"/> (more than 0, at most 100,000).</summary>
    public MigrationLink(double megabitsPerSecond, double roundTripMilliseconds = 0.1)
    {
        if (!(megabitsPerSecond > 0) || megabitsPerSecond > 100_000)
        {
            throw new PartitionError($"migration link: the bandwidth must be more than 0 and at most 100000 Mbit/s, not {megabitsPerSecond}; a link of zero bandwidth never moves a page");
        }
        if (!(roundTripMilliseconds >= 0) || roundTripMilliseconds > 1000)
        {
            throw new PartitionError($"migration link: the round trip must be 0 to 1000 ms, not {roundTripMilliseconds}");
        }
        MegabitsPerSecond = megabitsPerSecond;
        RoundTripMilliseconds = roundTripMilliseconds;
    }

    public double MegabitsPerSecond { get; }

    public double RoundTripMilliseconds { get; }

    /// <summary>Pages the link sends per virtual millisecond.</summary>
    public double PagesPerMillisecond => MegabitsPerSecond * 1000 / (MemoryMap.PageSize * 8);

    /// <summary>Cycles of the virtual clock that <paramref name="pages"/> pages take to send.</summary>
    public double CyclesFor(int pages) => pages / PagesPerMillisecond * VirtualClock.CyclesPerMillisecond;

    /// <summary>Milliseconds that <paramref name="pages"/> pages take to send.</summary>
    public double MillisecondsFor(int pages) => pages / PagesPerMillisecond;
}
