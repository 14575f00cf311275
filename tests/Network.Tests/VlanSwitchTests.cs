using VirtualizationWorkbench.Network.Ethernet;
using VirtualizationWorkbench.Network.Switching;

namespace VirtualizationWorkbench.Network.Tests;

public class VlanSwitchTests
{
    private static (VlanSwitch Switch, Frames.Sink[] Sinks) Build(int ports, SwitchKind kind = SwitchKind.Dot1Q, long ageing = 3_000_000)
    {
        var sw = new VlanSwitch("sw", ports, kind, ageing);
        var sinks = Enumerable.Range(0, ports).Select(_ => new Frames.Sink()).ToArray();
        for (var i = 0; i < ports; i++) sw.Ports[i].Peer = sinks[i];
        return (sw, sinks);
    }

    private static int[] Counts(Frames.Sink[] sinks) => [.. sinks.Select(s => s.Received.Count)];

    [Test]
    public void Unknown_Destinations_Flood_And_Learned_Ones_Go_To_One_Port()
    {
        var (sw, sinks) = Build(4);
        sw.Receive(1, Frames.Untagged(Frames.Mac(2), Frames.Mac(1), 60), 0, 0);
        sw.Transmit(0);
        Assert.That(Counts(sinks), Is.EqualTo(new[] { 0, 1, 1, 1 }), "unknown destination: flooded to every other port");
        sw.Receive(2, Frames.Untagged(Frames.Mac(1), Frames.Mac(2), 60), 1, 1);
        sw.Transmit(1);
        Assert.That(Counts(sinks), Is.EqualTo(new[] { 1, 1, 1, 1 }), "station 1 was learned on port 1");
        Assert.That((sw.Table.Learned, sw.Port(2).Statistics.FloodedFrames, sw.Port(1).Statistics.SentFrames), Is.EqualTo((2L, 1L, 1L)));
    }

    [Test]
    public void Entries_Age_Out_And_The_Station_Is_Flooded_To_Again()
    {
        var (sw, sinks) = Build(3, ageing: 100);
        sw.Receive(1, Frames.Untagged(Frames.Mac(2), Frames.Mac(1), 60), 0, 0);
        sw.Receive(2, Frames.Untagged(Frames.Mac(1), Frames.Mac(2), 60), 50, 50);
        sw.Transmit(50);
        Assert.That(Counts(sinks), Is.EqualTo(new[] { 1, 1, 1 }));
        sw.Receive(2, Frames.Untagged(Frames.Mac(1), Frames.Mac(3), 60), 200, 200);
        sw.Transmit(200);
        Assert.That(Counts(sinks), Is.EqualTo(new[] { 2, 1, 2 }), "after 100 ticks station 1 is unknown again");
        Assert.That(sw.Table.Aged, Is.EqualTo(1));
    }

    [Test]
    public void Ageing_Sweeps_Stations_That_Left_So_The_Table_Learns_New_Ones()
    {
        var sw = new VlanSwitch("sw", 4, ageingTicks: 100);
        var table = new MacTable(100, capacity: 2);
        table.Learn(1, Frames.Mac(1), 1, 0);
        table.Learn(1, Frames.Mac(2), 2, 0);
        table.Learn(1, Frames.Mac(3), 3, 50);
        Assert.That((table.Count, table.Learned), Is.EqualTo((2, 2L)), "a full table learns no more");
        Assert.That(table.Sweep(101), Is.EqualTo(2));
        table.Learn(1, Frames.Mac(3), 3, 101);
        Assert.That(table.Entries.Select(e => (e.Mac, e.Port)), Is.EqualTo(new[] { (Frames.Mac(3), 3) }), "once swept, the table learns the newcomer");

        // The switch sweeps by itself every quarter of its ageing time: its count is the stations it knows.
        sw.Receive(1, Frames.Untagged(MacAddress.Broadcast, Frames.Mac(1), 60), 0, 0);
        sw.Receive(2, Frames.Untagged(MacAddress.Broadcast, Frames.Mac(2), 60), 80, 80);
        for (var t = 0L; t <= 150; t++) sw.Age(t);
        Assert.That((sw.Table.Count, sw.Table.Aged), Is.EqualTo((1, 1L)), "at 150, station 1 (seen at 0) is gone, station 2 (seen at 80) is not");
        for (var t = 151L; t <= 200; t++) sw.Age(t);
        Assert.That(sw.Table.Count, Is.Zero);
    }

    [Test]
    public void Static_Port_Vlans_Never_Cross_Even_For_Broadcasts()
    {
        var (sw, sinks) = Build(4, SwitchKind.PortBased);
        sw.Port(1).SetAccess(10);
        sw.Port(2).SetAccess(10);
        sw.Port(3).SetAccess(20);
        sw.Port(4).SetAccess(20);
        sw.Receive(1, Frames.Untagged(MacAddress.Broadcast, Frames.Mac(1), 60), 0, 0);
        sw.Receive(3, Frames.Untagged(Frames.Mac(1), Frames.Mac(3), 60), 0, 0);
        sw.Transmit(0);
        Assert.That(Counts(sinks), Is.EqualTo(new[] { 0, 1, 0, 1 }));
    }

    [Test]
    public void A_Port_Based_Switch_Does_Not_Read_Tags()
    {
        var (sw, sinks) = Build(2, SwitchKind.PortBased);
        var tagged = Frames.Tagged(MacAddress.Broadcast, Frames.Mac(1), 64, new Dot1QTag(0, false, 99));
        sw.Receive(1, tagged, 0, 0);
        sw.Transmit(0);
        Assert.That(sinks[1].Received.Single().Frame, Is.EqualTo(tagged), "the frame leaves as it came, tag and all, in the port's VLAN");
    }

    private static (VlanSwitch Switch, Frames.Sink[] Sinks) AccessAndTrunk(int native = 0)
    {
        var (sw, sinks) = Build(3);
        sw.Port(1).SetAccess(10);
        sw.Port(2).SetTrunk([10, 20], native);
        sw.Port(3).SetAccess(20);
        return (sw, sinks);
    }

    // The forwarding truth table of lab idea (f)2: for each ingress frame, where it goes and in what form.
    [TestCase(1, -1, 0, ExpectedResult = "2:tag10")]             // untagged on an access port: joins its VLAN, tagged on the trunk
    [TestCase(1, 0, 0, ExpectedResult = "2:tag10")]              // priority-tagged (VID 0): the port's VLAN
    [TestCase(1, 10, 0, ExpectedResult = "2:tag10")]             // tagged with the access port's own VLAN: a member, accepted (Linux bridge)
    [TestCase(1, 20, 0, ExpectedResult = "drop:NotMember")]      // tagged with another VLAN on an access port
    [TestCase(2, 20, 0, ExpectedResult = "3:untagged")]          // tagged on the trunk: untagged out of VLAN 20's access port
    [TestCase(2, 30, 0, ExpectedResult = "drop:NotMember")]      // a VLAN the trunk does not carry
    [TestCase(2, 4095, 0, ExpectedResult = "drop:ReservedVid")]  // the reserved VID
    [TestCase(2, -1, 0, ExpectedResult = "drop:NoPvid")]         // untagged on a trunk without a native VLAN
    [TestCase(2, 0, 0, ExpectedResult = "drop:NoPvid")]          // priority-tagged there too
    [TestCase(2, -1, 20, ExpectedResult = "3:untagged")]         // untagged on a trunk whose native VLAN is 20
    [TestCase(1, -1, 10, ExpectedResult = "2:untagged")]         // the trunk's native VLAN leaves untagged
    public string Ingress_And_Egress_Follow_802_1Q(int ingress, int vid, int native)
    {
        var (sw, sinks) = AccessAndTrunk(native);
        var frame = vid < 0 ? Frames.Untagged(MacAddress.Broadcast, Frames.Mac(9), 60) : Frames.Tagged(MacAddress.Broadcast, Frames.Mac(9), 64, new Dot1QTag(6, false, (ushort)vid));
        sw.Receive(ingress, frame, 0, 0);
        sw.Transmit(0);
        var port = sw.Ports.FirstOrDefault(p => p.Statistics.DroppedFrames > 0);
        if (port is not null) return "drop:" + Enum.GetValues<DropReason>().First(r => port.Statistics.Dropped(r) > 0);
        var sent = sinks.Select((s, i) => (s, i)).Where(x => x.s.Received.Count > 0).ToList();
        Assert.That(sent, Has.Count.EqualTo(1));
        var (bytes, _, _) = sent[0].s.Received[0];
        return $"{sent[0].i + 1}:" + (Dot1QTag.TryRead(bytes, out var tag) ? $"tag{tag.Vid}" : "untagged");
    }

    [Test]
    public void The_Tag_Keeps_The_Priority_It_Came_With_And_Access_Ports_Give_Their_Default()
    {
        var (sw, sinks) = AccessAndTrunk();
        sw.Port(1).DefaultPriority = 5;
        sw.Receive(1, Frames.Untagged(MacAddress.Broadcast, Frames.Mac(1), 60), 0, 0);
        sw.Receive(3, Frames.Tagged(MacAddress.Broadcast, Frames.Mac(3), 64, new Dot1QTag(2, false, 0)), 0, 0);
        sw.Transmit(0);
        var tags = sinks[1].Received.Select(r => Dot1QTag.TryRead(r.Frame, out var t) ? t : default).ToList();
        Assert.That(tags, Is.EquivalentTo(new[] { new Dot1QTag(5, false, 10), new Dot1QTag(2, false, 20) }));
    }

    [TestCase(1514, false, true)]
    [TestCase(1515, false, false)]
    [TestCase(1518, true, true)]
    [TestCase(1519, true, false)]
    public void Frames_Are_At_Most_1518_Bytes_Untagged_And_1522_Tagged_With_Their_Fcs(int length, bool tagged, bool forwarded)
    {
        var (sw, sinks) = AccessAndTrunk();
        var frame = tagged ? Frames.Tagged(MacAddress.Broadcast, Frames.Mac(1), length, new Dot1QTag(0, false, 10)) : Frames.Untagged(MacAddress.Broadcast, Frames.Mac(1), length);
        sw.Receive(tagged ? 2 : 1, frame, 0, 0);
        sw.Transmit(0);
        Assert.That(sinks.Sum(s => s.Received.Count) == 1, Is.EqualTo(forwarded));
        Assert.That(sw.Port(tagged ? 2 : 1).Statistics.Dropped(DropReason.Oversize), Is.EqualTo(forwarded ? 0 : 1));
    }

    [Test]
    public void Under_Congestion_Higher_Priority_Leaves_First_And_Background_Ranks_Below_Best_Effort()
    {
        var (sw, sinks) = Build(2);
        sw.Port(1).SetTrunk([10], 0);
        sw.Port(2).SetTrunk([10], 0);
        sw.Port(2).SpeedMbit = 1;   // 100 bits a tick: one 60-byte frame (672 bits with overheads) every 7 ticks
        byte[] order = [0, 1, 7, 3, 0, 5];
        for (var i = 0; i < order.Length; i++)
        {
            sw.Receive(1, Frames.Tagged(MacAddress.Broadcast, Frames.Mac(i + 1), 64, new Dot1QTag(order[i], false, 10)), 0, 0);
        }
        for (var t = 0; t < 100; t++) sw.Transmit(t);
        var sent = sinks[1].Received.Select(r => Dot1QTag.TryRead(r.Frame, out var tag) ? tag.Pcp : -1).ToList();
        // All six waited: they leave by traffic class, 7, 5, 3, the two best-effort (PCP 0) in order, then background (PCP 1).
        Assert.That(sent, Is.EqualTo(new[] { 7, 5, 3, 0, 0, 1 }));
    }

    [Test]
    public void Drop_Eligible_Frames_Are_Dropped_First_When_A_Queue_Fills()
    {
        var sw = new VlanSwitch("sw", 2, queueLimit: 8);
        sw.Port(1).SetAccess(10);
        sw.Port(2).SetTrunk([10], 0);
        sw.Port(2).SpeedMbit = 1;
        for (var i = 0; i < 12; i++)
        {
            sw.Receive(2, Frames.Tagged(Frames.Mac(100), Frames.Mac(i + 1), 64, new Dot1QTag(0, i % 2 == 1, 10)), 0, 0);
        }
        // Port 1 has not learned station 100, so everything floods to it; it holds 8 frames per class, 4 of them drop-eligible at most.
        Assert.That(sw.Port(1).Statistics.Dropped(DropReason.QueueFull), Is.EqualTo(12 - 8));
        sw.Port(1).Peer = new Frames.Sink();
        for (var t = 0; t < 200; t++) sw.Transmit(t);
        Assert.That(sw.Port(1).Statistics.SentFrames, Is.EqualTo(8));
        Assert.That(sw.Vlans[10].Drops, Is.EqualTo(4));
    }

    [Test]
    public void Removing_A_Vlan_While_Frames_Wait_Drops_Them_At_Egress()
    {
        var (sw, sinks) = AccessAndTrunk();
        sw.Port(2).SpeedMbit = 1;
        sw.Receive(1, Frames.Untagged(MacAddress.Broadcast, Frames.Mac(1), 60), 0, 0);
        sw.Receive(1, Frames.Untagged(MacAddress.Broadcast, Frames.Mac(1), 60), 0, 0);
        sw.Transmit(0);
        sw.Port(2).RemoveVlans([10]);
        for (var t = 1; t < 50; t++) sw.Transmit(t);
        Assert.That((sinks[1].Received.Count, sw.Port(2).Statistics.Dropped(DropReason.NotMember)), Is.EqualTo((1, 1L)));
    }
}
