namespace VirtualizationWorkbench.Machine.Debugging;

/// <summary>
/// A fixed-size ring of the latest events (traps, interrupts, page faults, exits). Recording is a struct
/// copy into a preallocated array, cheap enough to stay on; the oldest events are overwritten.
/// </summary>
public sealed class EventTrace(int capacity = 4096)
{
    private readonly TraceEvent[] events = new TraceEvent[capacity];
    private long count;
    // count modulo the ring's length, kept beside it, so that recording (which every delivered trap and
    // interrupt does) needs no 64-bit division.
    private int next;
    // Events below this index are gone: a rewind reuses ring slots that older events may already have lost.
    private long floor;

    /// <summary>Called for every event as it is recorded (for <c>workbench run --trace</c>); null for none.</summary>
    public Action<TraceEvent>? Listener { get; set; }

    /// <summary>How many events were ever recorded.</summary>
    public long Total => count;

    /// <summary>Records an event.</summary>
    public void Record(in TraceEvent e)
    {
        events[next] = e;
        next = next + 1 == events.Length ? 0 : next + 1;
        count++;
        Listener?.Invoke(e);
    }

    /// <summary>The retained events, oldest first.</summary>
    public IReadOnlyList<TraceEvent> Snapshot()
    {
        var first = Math.Max(floor, count - events.Length);
        var list = new List<TraceEvent>((int)(count - first));
        for (var i = first; i < count; i++)
        {
            list.Add(events[i % events.Length]);
        }
        return list;
    }

    /// <summary>Forgets every event.</summary>
    public void Clear() => count = floor = next = 0;

    /// <summary>Forgets the events recorded after the first <paramref name="total"/> (step-back: the machine is
    /// back where only that many had happened, and replaying records the rest again). Events older than the ring
    /// held stay forgotten.</summary>
    public void RewindTo(long total)
    {
        if (total >= count) return;
        floor = Math.Max(floor, count - events.Length);
        count = Math.Max(total, 0);
        next = (int)(count % events.Length);
        floor = Math.Min(floor, count);
    }
}
