using VirtualizationWorkbench.Network.Ethernet;

namespace VirtualizationWorkbench.Network.Switching;

/// <summary>
/// A VLAN-aware learning switch. On ingress a frame is classified into a VLAN by its port's rule (see
/// <see cref="Classify"/>), its source is learned in that VLAN, and it is queued on the port its destination was
/// learned on, or flooded to every other port of the VLAN when the destination is unknown or a group address;
/// frames never leave their VLAN. On egress (<see cref="Transmit"/>, once per tick) each port sends what its line
/// rate allows, highest priority first, inserting or removing the 802.1Q tag as the port's configuration says.
/// The rules are the Linux bridge's with <c>vlan_filtering=1</c>: untagged ingress joins the PVID, tagged ingress
/// is filtered by membership, the PVID egresses untagged.
/// </summary>
public sealed class VlanSwitch
{
    /// <summary>The duration of one tick, in microseconds: the switch's clock.</summary>
    public const int TickMicroseconds = 100;

    private readonly SwitchPort[] ports;
    private readonly SortedDictionary<int, VlanCounters> vlans = [];

    /// <summary>A switch named <paramref name="name"/> with <paramref name="portCount"/> ports, all access ports of
    /// VLAN 1 (the usual default), learning with the given ageing time.</summary>
    public VlanSwitch(string name, int portCount, SwitchKind kind = SwitchKind.Dot1Q, long ageingTicks = 3_000_000, int queueLimit = 64)
    {
        if (portCount is < 1 or > 64) throw new ArgumentOutOfRangeException(nameof(portCount), portCount, "a switch has 1 to 64 ports");
        Name = name;
        Kind = kind;
        Table = new MacTable(ageingTicks);
        ports = [.. Enumerable.Range(1, portCount).Select(n => new SwitchPort(this, n, queueLimit))];
    }

    /// <summary>The switch's name.</summary>
    public string Name { get; }

    /// <summary>802.1Q or static port-based VLANs.</summary>
    public SwitchKind Kind { get; }

    /// <summary>The forwarding database.</summary>
    public MacTable Table { get; }

    /// <summary>The ports, numbered from 1 (<c>Ports[0]</c> is port 1).</summary>
    public IReadOnlyList<SwitchPort> Ports => ports;

    /// <summary>Port <paramref name="number"/> (from 1).</summary>
    public SwitchPort Port(int number) => ports[number - 1];

    /// <summary>Counters per VLAN (0 holds frames dropped before they had a VLAN).</summary>
    public IReadOnlyDictionary<int, VlanCounters> Vlans => vlans;

    /// <summary>Where a frame goes once classified: its VLAN, its priority, and its bytes without a tag.</summary>
    public readonly record struct Classification(int Vid, byte Pcp, bool Dei, byte[] Untagged);

    /// <summary>
    /// The ingress rule: the VLAN a frame arriving on <paramref name="port"/> belongs to, or why it is dropped.
    /// <list type="bullet">
    /// <item>Static port-based VLANs: the port's VLAN, whatever the frame holds (a tag is just bytes); over 1514 bytes is too long.</item>
    /// <item>802.1Q, untagged (at most 1514 bytes): the port's PVID with its default priority; dropped if it has none.</item>
    /// <item>802.1Q, tagged (at most 1518 bytes): VID 4095 is dropped; VID 0 (priority-tagged) joins the PVID with the
    /// tag's priority; any other VID is kept if the port is a member of it and dropped if not.</item>
    /// </list>
    /// </summary>
    public DropReason? Classify(SwitchPort port, ReadOnlySpan<byte> frame, out Classification classification)
    {
        classification = default;
        if (frame.Length < EthernetFrame.HeaderLength) return DropReason.Runt;
        if (Kind == SwitchKind.PortBased || !Dot1QTag.TryRead(frame, out var tag))
        {
            if (frame.Length > EthernetFrame.MaximumUntagged) return DropReason.Oversize;
            if (port.Pvid == 0) return DropReason.NoPvid;
            classification = new Classification(port.Pvid, port.DefaultPriority, false, frame.ToArray());
            return null;
        }
        if (frame.Length > EthernetFrame.MaximumTagged) return DropReason.Oversize;
        var vid = (int)tag.Vid;
        if (vid == Dot1QTag.Reserved) return DropReason.ReservedVid;
        if (vid == Dot1QTag.PriorityOnly)
        {
            if (port.Pvid == 0) return DropReason.NoPvid;
            vid = port.Pvid;
        }
        else if (!port.IsMember(vid))
        {
            return DropReason.NotMember;
        }
        classification = new Classification(vid, tag.Pcp, tag.Dei, Dot1QTag.Strip(frame));
        return null;
    }

    /// <summary>The egress rule: the bytes <paramref name="port"/> sends for a frame of VLAN <paramref name="vid"/>,
    /// or null if the port is not a member of it. The PVID leaves untagged, every other VLAN tagged with its VID
    /// and the frame's priority; a static switch sends the frame as it came.</summary>
    public byte[]? Encode(SwitchPort port, int vid, byte pcp, bool dei, byte[] untagged)
    {
        if (!port.IsMember(vid)) return null;
        if (Kind == SwitchKind.PortBased || port.EgressUntagged(vid)) return untagged;
        return new Dot1QTag(pcp, dei, (ushort)vid).InsertInto(untagged);
    }

    /// <summary>A frame arrives on port <paramref name="number"/> at tick <paramref name="now"/>; it entered the
    /// network at <paramref name="born"/>.</summary>
    public void Receive(int number, ReadOnlySpan<byte> frame, long born, long now)
    {
        var port = Port(number);
        port.Statistics.ReceivedFrames++;
        port.Statistics.ReceivedBytes += frame.Length;
        port.Capture?.Write(frame, now);

        if (Classify(port, frame, out var c) is { } reason)
        {
            port.Statistics.Drop(reason);
            var tagged = Kind == SwitchKind.Dot1Q && Dot1QTag.TryRead(frame, out var tag) ? tag.Vid : 0;
            Counters(reason == DropReason.NoPvid ? 0 : tagged).Drops++;
            return;
        }
        if (Kind == SwitchKind.Dot1Q && Dot1QTag.TryRead(frame, out _)) port.Statistics.TagsRemoved++;
        var counters = Counters(c.Vid);
        counters.Frames++;
        counters.Bytes += frame.Length;

        Table.Learn(c.Vid, EthernetFrame.Source(frame), number, now);
        var destination = EthernetFrame.Destination(frame);
        var known = destination.IsGroup ? 0 : Table.Lookup(c.Vid, destination, now);
        if (known == number)
        {
            port.Statistics.Drop(DropReason.Filtered);
            counters.Drops++;
            return;
        }
        if (known != 0 && Port(known).IsMember(c.Vid))
        {
            Enqueue(Port(known), new EgressQueues.QueuedFrame(c.Untagged, c.Vid, c.Pcp, c.Dei, false, born));
            return;
        }
        foreach (var other in ports)
        {
            if (other.Number != number && other.IsMember(c.Vid))
            {
                Enqueue(other, new EgressQueues.QueuedFrame(c.Untagged, c.Vid, c.Pcp, c.Dei, true, born));
            }
        }
    }

    /// <summary>Sends, on every port, what one tick of its line rate allows (counting the preamble, FCS and
    /// inter-frame gap, 24 bytes a frame), highest priority first. A port whose VLANs changed since a frame was
    /// queued drops it now.</summary>
    public void Transmit(long now)
    {
        foreach (var port in ports)
        {
            var perTick = (long)port.SpeedMbit * TickMicroseconds;
            if (port.Queues.Count == 0)
            {
                port.Credit = Math.Min(port.Credit + perTick, perTick);
                continue;
            }
            port.Credit += perTick;
            while (port.Credit > 0 && port.Queues.TryDequeue(out var queued))
            {
                var bytes = Encode(port, queued.Vid, queued.Pcp, queued.Dei, queued.Frame);
                if (bytes is null)
                {
                    port.Statistics.Drop(DropReason.NotMember);
                    Counters(queued.Vid).Drops++;
                    continue;
                }
                port.Credit -= (bytes.Length + 24) * 8L;
                port.Statistics.SentFrames++;
                port.Statistics.SentBytes += bytes.Length;
                if (queued.Flooded) port.Statistics.FloodedFrames++;
                if (bytes.Length != queued.Frame.Length) port.Statistics.TagsInserted++;
                port.Capture?.Write(bytes, now);
                port.Peer?.Accept(bytes, new FrameMeta(queued.Vid, queued.Born), now);
            }
        }
    }

    /// <summary>Sweeps the forwarding database at tick <paramref name="now"/> when a sweep is due: every quarter of
    /// the ageing time, at most every 100 ms. A lookup already ignores an expired entry; the sweep is what frees
    /// its place, so stations that left do not fill the table and stop new ones from being learned, and the
    /// table's count is the stations the switch knows.</summary>
    public void Age(long now)
    {
        var interval = Math.Clamp(Table.AgeingTicks / 4, 1, 1000);
        if (now % interval == 0) Table.Sweep(now);
    }

    private void Enqueue(SwitchPort port, EgressQueues.QueuedFrame frame)
    {
        if (!port.Queues.TryEnqueue(frame))
        {
            port.Statistics.Drop(DropReason.QueueFull);
            Counters(frame.Vid).Drops++;
            return;
        }
        port.Statistics.PeakQueue = Math.Max(port.Statistics.PeakQueue, port.Queues.Count);
    }

    private VlanCounters Counters(int vid)
    {
        if (!vlans.TryGetValue(vid, out var counters)) vlans[vid] = counters = new VlanCounters();
        return counters;
    }
}
