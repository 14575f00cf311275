using NUnit.Framework;
using VirtualizationWorkbench.Grading;

namespace VirtualizationWorkbench.Labs.VlanPorts.Grading;

/// <summary>The hidden checks of <see cref="PortRuleTests"/>: graded, never shown in detail, and kept out of the
/// student kit and the installed tool (Grading/Hidden/ is the instructor's).</summary>
public sealed partial class PortRuleTests
{
    [Test]
    [Property("Points", 3)]
    [Property("Hint", "Round trip: what one trunk end sends, the other classifies into the same VLAN.")]
    [Property("Visibility", "hidden")]
    public void A_Tagged_Frame_Crosses_A_Trunk_Into_Its_Vlan()
    {
        var v = Vids(3);
        var length = Inputs.Next(60, 1500);
        var sent = PortRule.Egress(Trunk(0, v[0], v[1]), v[0], Inputs.Next(0, 8), Untagged(length));
        Observe.That(sent, Is.Not.Null);
        Observe.That((sent!.Length, PortRule.Ingress(Trunk(v[2], v[0], v[1]), sent)), Is.EqualTo((length + 4, v[0])));
    }
}
