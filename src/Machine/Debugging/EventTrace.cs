namespace VirtualizationWorkbench.Machine.Debugging;

/// <summary>
/// A fixed-size ring of the latest events (traps, interrupts, page faults, exits). Recording is a struct
/// copy into a preallocated array, cheap enough to stay on; the oldest events are overwritten.
/// </summary>
public sealed class EventTrace(int capacity = 4096)
{
    private readonly TraceEvent[] events = new TraceEvent[capacity];
    private long count;

    /// <summary>Called for every event as it is recorded (for <c>workbench run --trace</c>); null for none.</summary>
    public Action<TraceEvent>? Listener { get; set; }

    /// <summary>How many events were ever recorded.</summary>
    public long Total => count;

    /// <summary>Records an event.</summary>
    public void Record(in TraceEvent e)
    {
        events[count % events.Length] = e;
        count++;
        Listener?.Invoke(e);
    }

    /// <summary>The retained events, oldest first.</summary>
    public IReadOnlyList<TraceEvent> Snapshot()
    {
        var n = (int)Math.Min(count, events.Length);
        var list = new List<TraceEvent>(n);
        for (var i = count - n; i < count; i++)
        {
            list.Add(events[i % events.Length]);
        }
        return list;
    }

    /// <summary>Forgets every event.</summary>
    public void Clear() => count = 0;
}
