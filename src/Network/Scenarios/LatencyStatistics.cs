namespace VirtualizationWorkbench.Network.Scenarios;

/// <summary>Frames delivered to machines in one VLAN, their bytes, and how long each took from the first switch
/// port it entered to the network card that received it, in ticks.</summary>
public sealed class LatencyStatistics
{
    private readonly SortedDictionary<long, long> histogram = [];

    /// <summary>Frames delivered.</summary>
    public long Frames { get; private set; }

    /// <summary>Their bytes, as delivered.</summary>
    public long Bytes { get; private set; }

    /// <summary>The longest latency, in ticks.</summary>
    public long Max { get; private set; }

    /// <summary>The mean latency, in ticks.</summary>
    public double Mean => Frames == 0 ? 0 : (double)sum / Frames;

    private long sum;

    /// <summary>Records one delivery.</summary>
    public void Add(long ticks, int bytes)
    {
        Frames++;
        Bytes += bytes;
        sum += ticks;
        Max = Math.Max(Max, ticks);
        histogram[ticks] = histogram.GetValueOrDefault(ticks) + 1;
    }

    /// <summary>The latency that <paramref name="fraction"/> of the frames did not exceed (0.99 for the 99th
    /// percentile), in ticks.</summary>
    public long Percentile(double fraction)
    {
        var rank = (long)Math.Ceiling(fraction * Frames);
        long seen = 0;
        foreach (var (ticks, count) in histogram)
        {
            seen += count;
            if (seen >= rank) return ticks;
        }
        return Max;
    }
}
