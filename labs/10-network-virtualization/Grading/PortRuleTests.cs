using NUnit.Framework;
using VirtualizationWorkbench.Grading;

namespace VirtualizationWorkbench.Labs.VlanPorts.Grading;

/// <summary>Grades <see cref="PortRule"/> against the forwarding truth table of an 802.1Q switch.</summary>
[TestFixture]
public sealed partial class PortRuleTests
{
    // VLAN ids and frame sizes come from the grading run's seed (Inputs), so every check observes values a
    // submission cannot know in advance.
    private static int[] Vids(int count)
    {
        var vids = new List<int>();
        while (vids.Count < count)
        {
            var vid = Inputs.Next(2, 4095);
            if (!vids.Contains(vid)) vids.Add(vid);
        }
        return [.. vids];
    }

    private static PortConfig Access(int vid) => new(PortMode.Access, vid, []);

    private static PortConfig Trunk(int native, params int[] members) => new(PortMode.Trunk, native, members);

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
    public void Untagged_Frames_Join_The_Pvid()
    {
        var v = Vids(3);
        Observe.That((PortRule.Ingress(Access(v[0]), Untagged(60)), PortRule.Ingress(Trunk(v[1], v[2]), Untagged(60))), Is.EqualTo((v[0], v[1])));
    }

    [Test]
    [Property("Points", 2)]
    [Property("Hint", "A trunk without a native VLAN (PVID 0) has nowhere to put an untagged frame: drop it (return 0).")]
    [Property("Visibility", "visible")]
    public void Untagged_Frames_On_A_Trunk_Without_Native_Vlan_Are_Dropped()
    {
        var v = Vids(2);
        Observe.That(PortRule.Ingress(Trunk(0, v[0], v[1]), Untagged(60)), Is.EqualTo(0));
        Observe.That(PortRule.Ingress(Trunk(0, v[0], v[1]), Tagged(64, 0, v[1])), Is.EqualTo(v[1]), "a tagged frame of a member VLAN still enters");
    }

    [Test]
    [Property("Points", 2)]
    [Property("Hint", "The VID is the low 12 bits of the TCI at bytes 14-15; keep it only if the port is a member.")]
    [Property("Visibility", "visible")]
    public void Tagged_Frames_Keep_Their_Vlan_Where_The_Port_Is_A_Member()
    {
        var v = Vids(4);
        var trunk = Trunk(0, v[0], v[1]);
        Observe.That(new[] { PortRule.Ingress(trunk, Tagged(64, Inputs.Next(0, 8), v[1])), PortRule.Ingress(trunk, Tagged(64, 0, v[2])), PortRule.Ingress(Access(v[3]), Tagged(64, 0, v[1])) },
            Is.EqualTo(new[] { v[1], 0, 0 }));
    }

    [Test]
    [Property("Points", 2)]
    [Property("Hint", "VID 0 means priority-tagged: the frame joins the PVID. VID 4095 is reserved: drop it.")]
    [Property("Visibility", "visible")]
    public void Vid_0_Joins_The_Pvid_And_Vid_4095_Is_Dropped()
    {
        var v = Vids(3);
        var trunk = Trunk(0, v[1], v[2]);
        Observe.That(new[] { PortRule.Ingress(Access(v[0]), Tagged(64, Inputs.Next(0, 8), 0)), PortRule.Ingress(trunk, Tagged(64, 5, 0)), PortRule.Ingress(trunk, Tagged(64, 0, 4095)) },
            Is.EqualTo(new[] { v[0], 0, 0 }));
    }

    [Test]
    [Property("Points", 2)]
    [Property("Hint", "1518 bytes with the FCS untagged is 1514 without it; a tag adds 4 (1518). Under 14 bytes is not a frame.")]
    [Property("Visibility", "visible")]
    public void Frame_Sizes_Are_Checked()
    {
        var v = Vids(3);
        var (access, trunk) = (Access(v[0]), Trunk(0, v[1], v[2]));
        Observe.That(new[] { PortRule.Ingress(access, Untagged(1514)), PortRule.Ingress(access, Untagged(1515)), PortRule.Ingress(trunk, Tagged(1518, 0, v[1])), PortRule.Ingress(trunk, Tagged(1519, 0, v[1])), PortRule.Ingress(access, new byte[13]) },
            Is.EqualTo(new[] { v[0], 0, v[1], 0, 0 }));
    }

    [Test]
    [Property("Points", 2)]
    [Property("Hint", "The PVID leaves untagged: send the frame as it is.")]
    [Property("Visibility", "visible")]
    public void The_Pvid_Leaves_Untagged()
    {
        var v = Vids(3);
        var frame = Untagged(Inputs.Next(60, 1500));
        Observe.That(Convert.ToHexString(PortRule.Egress(Access(v[0]), v[0], 0, frame) ?? []), Is.EqualTo(Convert.ToHexString(frame)));
        Observe.That(Convert.ToHexString(PortRule.Egress(Trunk(v[1], v[2]), v[1], 5, frame) ?? []), Is.EqualTo(Convert.ToHexString(frame)));
    }

    [Test]
    [Property("Points", 3)]
    [Property("Hint", "Insert 81 00 and the TCI (PCP << 13 | VID, big-endian) after the 12 bytes of addresses; the rest follows, 4 bytes later.")]
    [Property("Visibility", "visible")]
    public void Other_Vlans_Leave_A_Trunk_Tagged_With_Their_Priority()
    {
        var v = Vids(2);
        var (priority, length) = (Inputs.Next(0, 8), Inputs.Next(60, 1500));
        Observe.That(Convert.ToHexString(PortRule.Egress(Trunk(0, v[0], v[1]), v[1], priority, Untagged(length)) ?? []), Is.EqualTo(Convert.ToHexString(Tagged(length + 4, priority, v[1]))));
    }

    [Test]
    [Property("Points", 2)]
    [Property("Hint", "A port sends only the VLANs it is a member of; return null for the rest.")]
    [Property("Visibility", "visible")]
    public void Frames_Never_Leave_Their_Vlan()
    {
        var v = Vids(4);
        var length = Inputs.Next(60, 1500);
        var trunk = Trunk(0, v[1], v[2]);
        Observe.That(new[] { PortRule.Egress(Access(v[0]), v[1], 0, Untagged(length)) is null, PortRule.Egress(trunk, v[3], 0, Untagged(length)) is null, PortRule.Egress(trunk, v[1], 0, Untagged(length)) is null },
            Is.EqualTo(new[] { true, true, false }));
        Observe.That(PortRule.Egress(trunk, v[2], 0, Untagged(length))?.Length, Is.EqualTo(length + 4), "a member VLAN leaves the trunk tagged");
    }
}
