using NUnit.Framework;
using VirtualizationWorkbench.Grading;

namespace VirtualizationWorkbench.Labs.VlanPorts.Grading;

/// <summary>Grades <see cref="PortRule"/> against the forwarding truth table of an 802.1Q switch.</summary>
[TestFixture]
public sealed class PortRuleTests
{
    private static readonly PortConfig Access10 = new(PortMode.Access, 10, []);
    private static readonly PortConfig Trunk = new(PortMode.Trunk, 0, [10, 20]);
    private static readonly PortConfig TrunkNative30 = new(PortMode.Trunk, 30, [10, 20]);

    private static byte[] Untagged(int length)
    {
        var frame = new byte[length];
        for (var i = 0; i < 6; i++) frame[i] = 0xFF;
        frame[6] = 0x02;
        frame[11] = 0x07;
        frame[12] = 0x88;
        frame[13] = 0xB5;
        for (var i = 14; i < length; i++) frame[i] = (byte)i;
        return frame;
    }

    private static byte[] Tagged(int length, int pcp, int vid)
    {
        var inner = Untagged(length - 4);
        var frame = new byte[length];
        Array.Copy(inner, frame, 12);
        frame[12] = 0x81;
        frame[14] = (byte)(pcp << 5 | vid >> 8);
        frame[15] = (byte)vid;
        Array.Copy(inner, 12, frame, 16, inner.Length - 12);
        return frame;
    }

    [Test]
    [Property("Points", 2)]
    [Property("Hint", "An untagged frame joins the port's PVID: an access port's VLAN, a trunk's native VLAN.")]
    [Property("Visibility", "visible")]
    public void Untagged_Frames_Join_The_Pvid() =>
        Observe.That((PortRule.Ingress(Access10, Untagged(60)), PortRule.Ingress(TrunkNative30, Untagged(60))), Is.EqualTo((10, 30)));

    [Test]
    [Property("Points", 2)]
    [Property("Hint", "A trunk without a native VLAN (PVID 0) has nowhere to put an untagged frame: drop it (return 0).")]
    [Property("Visibility", "visible")]
    public void Untagged_Frames_On_A_Trunk_Without_Native_Vlan_Are_Dropped() =>
        Observe.That(PortRule.Ingress(Trunk, Untagged(60)), Is.EqualTo(0));

    [Test]
    [Property("Points", 2)]
    [Property("Hint", "The VID is the low 12 bits of the TCI at bytes 14-15; keep it only if the port is a member.")]
    [Property("Visibility", "visible")]
    public void Tagged_Frames_Keep_Their_Vlan_Where_The_Port_Is_A_Member() =>
        Observe.That(new[] { PortRule.Ingress(Trunk, Tagged(64, 3, 20)), PortRule.Ingress(Trunk, Tagged(64, 0, 30)), PortRule.Ingress(Access10, Tagged(64, 0, 20)) },
            Is.EqualTo(new[] { 20, 0, 0 }));

    [Test]
    [Property("Points", 2)]
    [Property("Hint", "VID 0 means priority-tagged: the frame joins the PVID. VID 4095 is reserved: drop it.")]
    [Property("Visibility", "visible")]
    public void Vid_0_Joins_The_Pvid_And_Vid_4095_Is_Dropped() =>
        Observe.That(new[] { PortRule.Ingress(Access10, Tagged(64, 5, 0)), PortRule.Ingress(Trunk, Tagged(64, 5, 0)), PortRule.Ingress(Trunk, Tagged(64, 0, 4095)) },
            Is.EqualTo(new[] { 10, 0, 0 }));

    [Test]
    [Property("Points", 2)]
    [Property("Hint", "1518 bytes with the FCS untagged is 1514 without it; a tag adds 4 (1518). Under 14 bytes is not a frame.")]
    [Property("Visibility", "visible")]
    public void Frame_Sizes_Are_Checked() =>
        Observe.That(new[] { PortRule.Ingress(Access10, Untagged(1514)), PortRule.Ingress(Access10, Untagged(1515)), PortRule.Ingress(Trunk, Tagged(1518, 0, 10)), PortRule.Ingress(Trunk, Tagged(1519, 0, 10)), PortRule.Ingress(Access10, new byte[13]) },
            Is.EqualTo(new[] { 10, 0, 10, 0, 0 }));

    [Test]
    [Property("Points", 2)]
    [Property("Hint", "The PVID leaves untagged: send the frame as it is.")]
    [Property("Visibility", "visible")]
    public void The_Pvid_Leaves_Untagged()
    {
        var frame = Untagged(60);
        Observe.That(Convert.ToHexString(PortRule.Egress(Access10, 10, 0, frame) ?? []), Is.EqualTo(Convert.ToHexString(frame)));
        Observe.That(Convert.ToHexString(PortRule.Egress(TrunkNative30, 30, 5, frame) ?? []), Is.EqualTo(Convert.ToHexString(frame)));
    }

    [Test]
    [Property("Points", 3)]
    [Property("Hint", "Insert 81 00 and the TCI (PCP << 13 | VID, big-endian) after the 12 bytes of addresses; the rest follows, 4 bytes later.")]
    [Property("Visibility", "visible")]
    public void Other_Vlans_Leave_A_Trunk_Tagged_With_Their_Priority() =>
        Observe.That(Convert.ToHexString(PortRule.Egress(Trunk, 20, 6, Untagged(60)) ?? []), Is.EqualTo(Convert.ToHexString(Tagged(64, 6, 20))));

    [Test]
    [Property("Points", 2)]
    [Property("Hint", "A port sends only the VLANs it is a member of; return null for the rest.")]
    [Property("Visibility", "visible")]
    public void Frames_Never_Leave_Their_Vlan() =>
        Observe.That(new[] { PortRule.Egress(Access10, 20, 0, Untagged(60)) is null, PortRule.Egress(Trunk, 30, 0, Untagged(60)) is null, PortRule.Egress(Trunk, 10, 0, Untagged(60)) is null },
            Is.EqualTo(new[] { true, true, false }));

    [Test]
    [Property("Points", 3)]
    [Property("Hint", "Round trip: what one trunk end sends, the other classifies into the same VLAN.")]
    [Property("Visibility", "hidden")]
    public void A_Tagged_Frame_Crosses_A_Trunk_Into_Its_Vlan()
    {
        var sent = PortRule.Egress(Trunk, 10, 2, Untagged(100));
        Observe.That(sent, Is.Not.Null);
        Observe.That((sent!.Length, PortRule.Ingress(TrunkNative30, sent)), Is.EqualTo((104, 10)));
    }
}
