using VirtualizationWorkbench.Network.Scenarios;
using VirtualizationWorkbench.Workbench.Terminal.ViewModels;

namespace VirtualizationWorkbench.Workbench.Tests.Terminal;

public class NetworkViewModelTests
{
    private static NetworkViewModel Telekom() => new(new ScenarioRun(BuiltInScenarios.Find("telekom-entertain")!, new ProgramFiles(null)));

    [Test]
    public void Should_Draw_The_Topology_With_Trunks_And_Machines()
    {
        var view = Telekom();
        Assert.That(view.Topology, Does.Contain("   1 ══ home.1   [trunk allowed=7,8]").And.Contain("   3 ── tv (02:00:00:00:08:02)   [access vlan=8]"));
        Assert.That(view.Topology[0], Does.StartWith("isp (802.1Q, 4 ports"));
    }

    [Test]
    public void Should_List_Vlan_Members_With_Tagged_Ports_Marked()
    {
        var vlan8 = Telekom().Vlans.Single(v => v.Vlan == 8);
        Assert.That(vlan8.Members, Is.EqualTo("isp.1(T) isp.3 home.1(T) home.3"));
    }

    [Test]
    public void Should_Show_Counters_Growing_As_The_Network_Runs()
    {
        var view = Telekom();
        Assert.That(view.Ports.Sum(p => p.Out), Is.Zero);
        view.Step(300);
        Assert.That(view.Ports.Single(p => p.Port == "isp.1").Out, Is.GreaterThan(0));
        Assert.That(view.Vlans.Single(v => v.Vlan == 8).Delivered, Is.GreaterThan(0));
        Assert.That(view.Title, Does.EndWith("30.0 ms"));
    }
}
