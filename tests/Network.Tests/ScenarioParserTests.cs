using VirtualizationWorkbench.Network.Scenarios;
using VirtualizationWorkbench.Network.Switching;

namespace VirtualizationWorkbench.Network.Tests;

public class ScenarioParserTests
{
    private const string Base = "switch sw ports=4\n";

    [Test]
    public void A_Scenario_Reads_Into_Switches_Ports_Links_Machines_And_A_Timeline()
    {
        var s = ScenarioParser.Parse("""
            name demo   # a comment
            duration 2s
            cpu 20
            switch a ports=4 kind=802.1q ageing=10s queue=16
            switch b ports=2 kind=port-based
            port a.1 trunk allowed=10-12,20 native=1 speed=16
            port a.2 access vlan=10 priority=5
            link a.3 b.1
            machine m port=a.2 program=ping peer=n count=3 length=100
            machine n port=b.2 mac=02:aa:00:00:00:01 program=echo
            capture a.1
            at 500ms vlan add a.1 30
            """, "demo.net");
        Assert.That((s.Name, s.DurationTicks, s.InstructionsPerTick), Is.EqualTo(("demo", 20_000L, 2000)));
        Assert.That(s.Switches.Select(x => (x.Name, x.Ports, x.Kind, x.AgeingTicks, x.QueueLimit)),
            Is.EqualTo(new[] { ("a", 4, SwitchKind.Dot1Q, 100_000L, 16), ("b", 2, SwitchKind.PortBased, 3_000_000L, 64) }));
        var trunk = (PortSetting)s.Ports[0];
        Assert.That((trunk.Mode, trunk.Pvid, trunk.Tagged, trunk.Speed), Is.EqualTo((PortMode.Trunk, 1, new[] { 10, 11, 12, 20 }, (int?)16)));
        Assert.That(s.Machines[0].PeerMac, Is.EqualTo(s.Machines[1].Mac));
        Assert.That(s.Timeline.Single().Tick, Is.EqualTo(5000));
        Assert.That(s.Timeline.Single().Change.Describe(), Is.EqualTo("vlan add a.1 30"));
    }

    [TestCase("port sw.1 access vlan=4095", "t.net:2:23: VLAN ID 4095 is out of range; 4095 is reserved")]
    [TestCase("port sw.1 access vlan=0", "t.net:2:23: VLAN ID 0 is out of range; 0 marks a priority-tagged frame")]
    [TestCase("port sw.1 trunk allowed=10,5000", "t.net:2:28: VLAN ID 5000 is out of range")]
    [TestCase("port sw.9 access vlan=10", "t.net:2:1: switch sw has ports 1 to 4, not 9")]
    [TestCase("swich x ports=2", "t.net:2:1: unknown directive 'swich'; did you mean 'switch'?")]
    [TestCase("port sw.1 acess vlan=2", "t.net:2:11: a port is access or trunk, not 'acess'")]
    [TestCase("port sw.1 access vlan=2 prio=3", "t.net:2:25: unknown option 'prio'")]
    [TestCase("machine m port=sw.1 length=1515", "t.net:2:28: a frame of 1515 bytes is too long: an untagged frame is at most 1514 bytes")]
    [TestCase("machine m port=sw.1 vlan=5 length=1519", "t.net:2:35: a frame of 1519 bytes is too long: a tagged frame is at most 1518 bytes")]
    [TestCase("machine m port=sw.1 peer=nobody", "t.net:2:26: no machine named 'nobody'")]
    [TestCase("machine m port=sw.1 program=telnet", "t.net:2:29: unknown program 'telnet'")]
    [TestCase("duration 150us", "t.net:2:10: 150us is not a whole number of ticks")]
    [TestCase("link sw.1 sw.2", "t.net:2:1: link sw.1 sw.2 connects switch sw to itself: a loop")]
    public void Mistakes_Are_Reported_At_Their_Line_And_Column(string line, string expected)
    {
        var error = Assert.Throws<ScenarioError>(() => ScenarioParser.Parse(Base + line, "t.net"))!;
        Assert.That(error.Message, Does.StartWith(expected));
    }

    [Test]
    public void A_Loop_Through_Three_Switches_Is_Refused_At_The_Link_That_Closes_It()
    {
        var error = Assert.Throws<ScenarioError>(() => ScenarioParser.Parse("""
            switch a ports=2
            switch b ports=2
            switch c ports=2
            link a.1 b.1
            link b.2 c.1
            link c.2 a.2
            """, "loop.net"))!;
        Assert.That(error.Message, Does.StartWith("loop.net:6:1: link c.2 a.2 closes a loop c - b - a - c").And.Contain("no spanning tree"));
    }

    [Test]
    public void A_Port_Takes_One_Cable_And_Static_Switches_Have_No_Trunks()
    {
        Assert.That(Assert.Throws<ScenarioError>(() => ScenarioParser.Parse(Base + "machine a port=sw.1\nmachine b port=sw.1", "t.net"))!.Message,
            Does.StartWith("t.net:3:1: port sw.1 is already used by machine a"));
        Assert.That(Assert.Throws<ScenarioError>(() => ScenarioParser.Parse("switch s ports=2 kind=port-based\nport s.1 trunk allowed=2", "t.net"))!.Message,
            Does.StartWith("t.net:2:1: switch s has static port-based VLANs"));
    }

    [Test]
    public void A_Change_From_The_Command_Line_Is_Checked_Against_The_Running_Network()
    {
        var run = new ScenarioRun(ScenarioParser.Parse(Base + "port sw.1 access vlan=2", "t.net"), new ProgramFiles(null));
        var change = ScenarioParser.ParseChange("vlan add sw.1 5", "--at", 0).Change;
        Assert.That(Assert.Throws<ScenarioError>(() => run.Apply(change))!.Message, Does.StartWith("--at:1:1: sw.1 is an access port"));
        var later = ScenarioParser.ParseChange("at 2s port lan.1 access vlan=3", "--at", 0);
        Assert.That(Assert.Throws<ScenarioError>(() => run.Schedule(later))!.Message, Is.EqualTo("--at:1:7: no switch named 'lan'; switches: sw"),
            "a change for later naming no port is refused before the run, not 2 s into it");
        run.Run(1);
        Assert.That(run.Applied, Is.Empty);
        Assert.That(Assert.Throws<ScenarioError>(() => ScenarioParser.ParseChange("at 5ms port sw.2 access vlan=4095", "--at", 0))!.Message,
            Does.StartWith("--at:1:30: VLAN ID 4095 is out of range"));
    }
}
