using VirtualizationWorkbench.Network.Ethernet;

namespace VirtualizationWorkbench.Network.Switching;

/// <summary>
/// The forwarding database of a learning switch: which port a station was last seen on, per VLAN (independent
/// VLAN learning, as 802.1Q switches and the Linux bridge with VLAN filtering do: the same MAC may sit on
/// different ports in different VLANs). Entries not refreshed for <see cref="AgeingTicks"/> expire, so a station
/// that moves or leaves is found again by flooding.
/// </summary>
public sealed class MacTable(long ageingTicks, int capacity = 4096)
{
    private readonly Dictionary<(int Vid, ulong Mac), Entry> entries = [];

    private struct Entry
    {
        public int Port;
        public long LastSeen;
    }

    /// <summary>How long an entry lives without being refreshed, in ticks.</summary>
    public long AgeingTicks { get; set; } = ageingTicks;

    /// <summary>Entries the table holds at most; past that, new stations are not learned (and are flooded to).</summary>
    public int Capacity { get; } = capacity;

    /// <summary>Entries now in the table (some may have expired and not been swept yet).</summary>
    public int Count => entries.Count;

    /// <summary>Stations learned, stations seen on a new port, entries that aged out.</summary>
    public long Learned { get; private set; }

    /// <inheritdoc cref="Learned"/>
    public long Moved { get; private set; }

    /// <inheritdoc cref="Learned"/>
    public long Aged { get; private set; }

    /// <summary>Records that <paramref name="source"/> was seen on <paramref name="port"/> in VLAN <paramref name="vid"/>.
    /// Group addresses are never learned.</summary>
    public void Learn(int vid, MacAddress source, int port, long now)
    {
        if (source.IsGroup) return;
        var key = (vid, source.Value);
        if (entries.TryGetValue(key, out var entry))
        {
            if (entry.Port != port) Moved++;
        }
        else
        {
            if (entries.Count >= Capacity) return;
            Learned++;
        }
        entries[key] = new Entry { Port = port, LastSeen = now };
    }

    /// <summary>The port <paramref name="destination"/> was learned on in VLAN <paramref name="vid"/>, or 0 if it is
    /// unknown or its entry has aged out.</summary>
    public int Lookup(int vid, MacAddress destination, long now)
    {
        var key = (vid, destination.Value);
        if (!entries.TryGetValue(key, out var entry)) return 0;
        if (now - entry.LastSeen > AgeingTicks)
        {
            entries.Remove(key);
            Aged++;
            return 0;
        }
        return entry.Port;
    }

    /// <summary>Removes every entry older than the ageing time; returns how many.</summary>
    public int Sweep(long now)
    {
        var old = entries.Where(e => now - e.Value.LastSeen > AgeingTicks).Select(e => e.Key).ToList();
        foreach (var key in old) entries.Remove(key);
        Aged += old.Count;
        return old.Count;
    }

    /// <summary>Forgets every station learned on <paramref name="port"/> (its VLANs changed).</summary>
    public void Flush(int port)
    {
        foreach (var key in entries.Where(e => e.Value.Port == port).Select(e => e.Key).ToList()) entries.Remove(key);
    }

    /// <summary>The table's entries, sorted by VLAN and address, as <c>bridge fdb show</c> lists them.</summary>
    public IReadOnlyList<(int Vid, MacAddress Mac, int Port, long LastSeen)> Entries =>
        [.. entries.OrderBy(e => e.Key.Vid).ThenBy(e => e.Key.Mac).Select(e => (e.Key.Vid, new MacAddress(e.Key.Mac), e.Value.Port, e.Value.LastSeen))];
}
