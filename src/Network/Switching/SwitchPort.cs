using VirtualizationWorkbench.Network.Capture;

namespace VirtualizationWorkbench.Network.Switching;

/// <summary>
/// One port of a <see cref="VlanSwitch"/>: its VLAN configuration (the Linux bridge's per-port VLAN table: which
/// VLANs it is a member of, which one is its PVID, which leave untagged), its speed, its queues, its counters and
/// what is plugged into it.
/// </summary>
public sealed class SwitchPort
{
    private readonly SortedSet<int> tagged = [];

    internal SwitchPort(VlanSwitch owner, int number, int queueLimit)
    {
        Switch = owner;
        Number = number;
        Queues = new EgressQueues(queueLimit);
    }

    /// <summary>The switch the port belongs to.</summary>
    public VlanSwitch Switch { get; }

    /// <summary>The port's number, from 1.</summary>
    public int Number { get; }

    /// <summary>The port's name, <c>SWITCH.NUMBER</c>.</summary>
    public string Name => $"{Switch.Name}.{Number}";

    /// <summary>Access or trunk.</summary>
    public PortMode Mode { get; private set; } = PortMode.Access;

    /// <summary>The PVID: the VLAN untagged and priority-tagged frames join on ingress, and the VLAN that leaves
    /// untagged. An access port's VLAN, a trunk's native VLAN; 0 for a trunk without one (untagged frames are
    /// then dropped).</summary>
    public int Pvid { get; private set; } = 1;

    /// <summary>The VLANs a trunk carries tagged (the native VLAN is not among them).</summary>
    public IReadOnlyCollection<int> TaggedVlans => tagged;

    /// <summary>The priority (PCP) given to frames that arrive without one (untagged), 0 to 7.</summary>
    public byte DefaultPriority { get; set; }

    /// <summary>The line rate in Mbit/s; one tick (100 µs) sends 100 bits per Mbit/s.</summary>
    public int SpeedMbit { get; set; } = 100;

    /// <summary>The port's counters.</summary>
    public PortStatistics Statistics { get; } = new();

    /// <summary>The egress queues.</summary>
    public EgressQueues Queues { get; }

    /// <summary>What is plugged in: a network card, another switch's port, or nothing.</summary>
    public IFrameSink? Peer { get; set; }

    /// <summary>Where the port's traffic, both ways, is captured (as a mirror port would see it); null for none.</summary>
    public PcapWriter? Capture { get; set; }

    /// <summary>Sending credit in bits; a frame goes while it is positive.</summary>
    internal long Credit { get; set; }

    /// <summary>Makes the port an access port of <paramref name="vlan"/>.</summary>
    public void SetAccess(int vlan)
    {
        Mode = PortMode.Access;
        Pvid = vlan;
        tagged.Clear();
        Switch.Table.Flush(Number);
    }

    /// <summary>Makes the port a trunk carrying <paramref name="taggedVlans"/> tagged and <paramref name="native"/>
    /// (0 for none) untagged.</summary>
    public void SetTrunk(IEnumerable<int> taggedVlans, int native)
    {
        Mode = PortMode.Trunk;
        Pvid = native;
        tagged.Clear();
        foreach (var vid in taggedVlans) if (vid != native) tagged.Add(vid);
        Switch.Table.Flush(Number);
    }

    /// <summary>Adds VLANs to a trunk's tagged set (802.1Q lets VLANs be added while traffic flows).</summary>
    public void AddVlans(IEnumerable<int> vlans)
    {
        foreach (var vid in vlans) if (vid != Pvid) tagged.Add(vid);
    }

    /// <summary>Removes VLANs from the port (from the tagged set; the PVID too if named); their learned stations
    /// on this port are forgotten.</summary>
    public void RemoveVlans(IEnumerable<int> vlans)
    {
        foreach (var vid in vlans)
        {
            tagged.Remove(vid);
            if (vid == Pvid) Pvid = 0;
        }
        Switch.Table.Flush(Number);
    }

    /// <summary>Whether the port is a member of VLAN <paramref name="vid"/>.</summary>
    public bool IsMember(int vid) => vid != 0 && (vid == Pvid || tagged.Contains(vid));

    /// <summary>Whether VLAN <paramref name="vid"/> leaves this port untagged (the PVID does, the rest tagged).</summary>
    public bool EgressUntagged(int vid) => vid == Pvid;

    /// <summary>The configuration as the scenario format writes it: <c>access vlan=7</c>, <c>trunk allowed=7,8 native=1</c>.</summary>
    public string Describe() => Mode == PortMode.Access
        ? $"access vlan={Pvid}"
        : $"trunk allowed={(tagged.Count == 0 ? "none" : string.Join(',', tagged))}{(Pvid != 0 ? $" native={Pvid}" : "")}";
}
