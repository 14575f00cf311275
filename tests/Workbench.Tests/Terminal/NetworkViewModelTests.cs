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

    [Test]
    public void Should_List_The_Stations_Each_Switch_Learned_Per_Vlan()
    {
        var view = Telekom();
        Assert.That(view.Stations, Is.Empty, "nothing sent yet, nothing learned");
        view.Step(300);
        // The senders are learned on both switches (isp on their access ports, home on the trunk); the sinks send nothing.
        Assert.That(view.Stations.Select(s => string.Join(' ', s.Split(' ', StringSplitOptions.RemoveEmptyEntries)[..6])), Is.EqualTo(new[]
        {
            "isp vlan 7 02:00:00:00:07:01 port 2",
            "isp vlan 8 02:00:00:00:08:01 port 3",
            "home vlan 7 02:00:00:00:07:01 port 1",
            "home vlan 8 02:00:00:00:08:01 port 1",
        }));
        Assert.That(view.Stations[0], Does.Match(@"seen \d+\.\d ms ago$"));
    }

    [Test]
    public void Should_Move_A_Port_Into_Another_Vlan_While_Traffic_Flows()
    {
        var run = new ScenarioRun(ScenarioParser.Parse("""
            switch sw ports=2
            port sw.1 access vlan=10
            port sw.2 access vlan=20
            machine a port=sw.1 program=ping peer=b count=1000 pause=200
            machine b port=sw.2 program=echo
            """, "move.net"), new ProgramFiles(null));
        var view = new NetworkViewModel(run);
        view.Step(100);
        Assert.That(run.Machines[0].Register(12), Is.Zero, "a and b in different VLANs: no reply");
        Assert.That(view.Change("port sw.2 access vlan=10"), Is.EqualTo("port sw.2 access vlan=10, at 10.0 ms"));
        Assert.That(view.Vlans.Single(v => v.Vlan == 10).Members, Is.EqualTo("sw.1 sw.2"));
        view.Step(100);
        Assert.That(run.Machines[0].Register(12), Is.GreaterThan(5), "b's port moved into a's VLAN while a pinged: replies");
        Assert.That(view.Changes, Is.EqualTo(new[] { "10ms port sw.2 access vlan=10" }));
    }

    [Test]
    public void Should_Say_What_Is_Wrong_With_A_Change_And_Change_Nothing()
    {
        var view = Telekom();
        Assert.That(view.Change("port isp.9 access vlan=7"), Is.EqualTo("change:1:1: switch isp has ports 1 to 4, not 9"));
        Assert.That(view.Change("vlan add isp.2 4095"), Does.StartWith("change:1:16: VLAN ID 4095 is out of range"));
        Assert.That(view.Change("at 5ms vlan add isp.1 9"), Does.Contain("leave out 'at TIME'"));
        Assert.That(view.Changes, Is.Empty);
        Assert.That(view.Topology, Does.Contain("   1 ══ home.1   [trunk allowed=7,8]"));
    }
}
