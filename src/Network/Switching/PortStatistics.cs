namespace VirtualizationWorkbench.Network.Switching;

/// <summary>One switch port's counters, as <c>ip -s link</c> or a managed switch's port page shows them.</summary>
public sealed class PortStatistics
{
    private readonly long[] drops = new long[Enum.GetValues<DropReason>().Length];

    /// <summary>Frames and bytes that came in on the port.</summary>
    public long ReceivedFrames { get; internal set; }

    /// <inheritdoc cref="ReceivedFrames"/>
    public long ReceivedBytes { get; internal set; }

    /// <summary>Frames and bytes the port sent.</summary>
    public long SentFrames { get; internal set; }

    /// <inheritdoc cref="SentFrames"/>
    public long SentBytes { get; internal set; }

    /// <summary>Frames sent because their destination was unknown or a group address (flooded).</summary>
    public long FloodedFrames { get; internal set; }

    /// <summary>Frames sent with an 802.1Q tag inserted, and frames received whose tag was removed.</summary>
    public long TagsInserted { get; internal set; }

    /// <inheritdoc cref="TagsInserted"/>
    public long TagsRemoved { get; internal set; }

    /// <summary>The most frames that ever waited in the port's queues at once.</summary>
    public int PeakQueue { get; internal set; }

    /// <summary>Frames dropped, for one reason.</summary>
    public long Dropped(DropReason reason) => drops[(int)reason];

    /// <summary>Frames dropped, for any reason.</summary>
    public long DroppedFrames => drops.Sum();

    internal void Drop(DropReason reason) => drops[(int)reason]++;
}
