using VirtualizationWorkbench.Network.Capture;
using VirtualizationWorkbench.Network.Scenarios;
using VirtualizationWorkbench.Tests;

namespace VirtualizationWorkbench.Network.Tests;

public class ScenarioRunTests
{
    private string folder = "";

    [SetUp]
    public void Folder() => folder = Directory.CreateTempSubdirectory("wb-net-").FullName;

    [TearDown]
    public void Clean() => Directory.Delete(folder, true);

    private static ScenarioRun Run(Scenario scenario, long? ticks = null, bool capture = true)
    {
        var run = new ScenarioRun(scenario, new ProgramFiles(null));
        if (capture) run.Capture(scenario.Captures);
        run.Run(ticks ?? scenario.DurationTicks);
        return run;
    }

    [Test]
    [Category(TestCategories.EndToEnd)]
    public void Telekom_Entertain_Carries_Vlans_7_And_8_On_The_Trunk_And_Iptv_Overtakes_The_Download()
    {
        var run = Run(BuiltInScenarios.Find("telekom-entertain")!, ticks: 800);
        var files = CaptureFolder.Write(folder, run);
        Assert.That(files.Select(Path.GetFileName), Is.EqualTo(new[] { "home.2.pcap", "home.3.pcap", "isp.1.pcap" }));

        var trunk = Tshark.Fields(Path.Combine(folder, "isp.1.pcap"), ["vlan.id", "vlan.priority"]);
        Assert.That(trunk.Select(r => r[0]).Distinct().Order(), Is.EqualTo(new[] { "7", "8" }), "every frame on the trunk is tagged, with VLAN 7 or 8");
        Assert.That(trunk.Where(r => r[0] == "8").Select(r => r[1]).Distinct(), Is.EqualTo(new[] { "4" }), "IPTV carries priority 4");
        var report = ScenarioReport.Of(run);
        var tv = report.Ports.Single(p => p.Port == "home.3");
        Assert.That((tv.TagsInserted, tv.SentFrames), Is.EqualTo((0L, report.Vlans.Single(v => v.Vlan == 8).Frames)), "the TV's access port sends IPTV, untagged, and nothing else");
        var internet = report.Vlans.Single(v => v.Vlan == 7);
        var iptv = report.Vlans.Single(v => v.Vlan == 8);
        Assert.That(internet.Drops, Is.GreaterThan(0), "the download overfills the 16 Mbit/s line");
        Assert.That(iptv.Drops, Is.Zero);
        Assert.That(iptv.Frames, Is.GreaterThan(20));
        Assert.That(iptv.MaxLatencyUs * 10, Is.LessThan(internet.MeanLatencyUs), "IPTV waits at most one frame; the download waits a full queue");
    }

    [Test]
    [Category(TestCategories.EndToEnd)]
    public void Two_Tenants_Never_See_Each_Others_Frames()
    {
        var scenario = BuiltInScenarios.Find("two-tenants")!;
        var run = Run(scenario);
        CaptureFolder.Write(folder, run);
        var tenantA = new[] { "02:00:00:00:0a:01", "02:00:00:00:0a:02", "02:00:00:00:0a:03", "02:00:00:00:0a:04" };
        // b2's port: it gets b1's requests and every frame VLAN 20 floods.
        var sources = Tshark.Fields(Path.Combine(folder, "sw.4.pcap"), ["eth.src"]).Select(r => r[0]).ToList();
        Assert.That(sources, Does.Contain("02:00:00:00:0b:01"));
        Assert.That(sources.Intersect(tenantA), Is.Empty, "a frame of tenant A on tenant B's port");
        var report = ScenarioReport.Of(run);
        Assert.That(report.Ports.Single(p => p.Port == "sw.2").Flooded, Is.GreaterThanOrEqualTo(4), "shout's broadcasts reach its own tenant");
        var guests = report.Machines.ToDictionary(m => m.Machine, m => m.GuestReplies);
        Assert.That((guests["a1"], guests["b1"], guests["spy"]), Is.EqualTo((5L, 5L, 0L)), "pings inside a tenant answer; across, none do");
    }

    [Test]
    [Category(TestCategories.EndToEnd)]
    public void A_Guest_Vlan_Sub_Interface_Sends_And_Receives_Its_Own_Tags()
    {
        var scenario = ScenarioParser.Parse("""
            switch sw ports=2
            port sw.1 trunk allowed=30,31
            port sw.2 access vlan=30
            machine tagger port=sw.1 program=ping peer=plain vlan=30 pcp=6 count=4
            machine plain port=sw.2 program=echo
            """, "sub.net");
        var run = Run(scenario, 200);
        CaptureFolder.Write(folder, run);
        var rows = Tshark.Fields(Path.Combine(folder, "sw.1.pcap"), ["eth.src", "vlan.id", "vlan.priority"]);
        Assert.That(rows.Select(r => string.Join(' ', r)).Distinct().Order(), Is.EqualTo(new[] { "02:00:00:00:00:01 30 6", "02:00:00:00:00:02 30 0" }),
            "the guest tags its requests itself; the switch tags the replies for the trunk");
        Assert.That(run.Machines[0].Register(12), Is.EqualTo(4), "every reply came back to the sub-interface");
    }

    [Test]
    public void Vlans_Change_While_Traffic_Flows()
    {
        var scenario = ScenarioParser.Parse("""
            duration 40ms
            switch sw ports=3
            port sw.1 access vlan=10
            port sw.2 access vlan=20
            machine a port=sw.1 program=ping peer=b count=1000 pause=200
            machine b port=sw.2 program=echo
            at 20ms port sw.2 access vlan=10
            """, "move.net");
        var run = new ScenarioRun(scenario, new ProgramFiles(null));
        run.Run(200);
        Assert.That(run.Machines[0].Register(12), Is.Zero, "different VLANs: no reply");
        run.RunToEnd();
        var replies = run.Machines[0].Register(12);
        Assert.That(replies, Is.GreaterThan(10), "the same VLAN since 20 ms: replies");
        run.Apply(ScenarioParser.ParseChange("vlan remove sw.2 10", "command line", run.Now).Change);
        run.Run(10);
        var before = run.Machines[0].Register(12);
        Assert.That(before, Is.LessThanOrEqualTo(replies + 1), "at most the reply already on its way");
        run.Run(100);
        Assert.That(run.Machines[0].Register(12), Is.EqualTo(before), "no VLAN on the port: no reply");
        Assert.That(ScenarioReport.Of(run).Changes, Is.EqualTo(new[] { "20ms port sw.2 access vlan=10", "40ms vlan remove sw.2 10" }));
    }

    [Test]
    public void On_A_Saturated_Link_A_Tag_Costs_Four_Bytes_A_Frame_And_The_Frames_Line_Rate_Allows()
    {
        var run = Run(BuiltInScenarios.Find("tag-overhead")!, ticks: 200, capture: false);
        var ports = ScenarioReport.Of(run).Ports.ToDictionary(p => p.Port);
        // 100 Mbit/s for 20 ms is 250,000 bytes on the wire; each frame also takes 24 (preamble 8, FCS 4, gap 12).
        static double LineRate(int frame) => 250_000.0 / (frame + 24);
        foreach (var (port, frame, tagged) in new[] { ("hub.2", 1518, true), ("hub.4", 1514, false), ("hub.6", 64, true), ("hub.8", 60, false) })
        {
            var p = ports[port];
            Assert.That(p.SentBytes, Is.EqualTo(p.SentFrames * frame), $"{port} sends {frame}-byte frames");
            Assert.That(p.TagsInserted, Is.EqualTo(tagged ? p.SentFrames : 0), $"{port} tags {(tagged ? "every" : "no")} frame");
            Assert.That(p.SentFrames, Is.EqualTo(LineRate(frame)).Within(1), $"{port} is saturated: it sends what its line rate allows");
            Assert.That(p.DropsByReason["QueueFull"], Is.GreaterThan(p.SentFrames), $"{port}'s sender offers more than the line carries");
        }
        Assert.That(ports["hub.6"].SentFrames, Is.LessThan(ports["hub.8"].SentFrames * 0.96), "minimum-size frames: the tag costs over 4 % of the frames");
    }

    [Test]
    public void The_Report_Lists_The_Stations_Each_Switch_Learned_And_Forgets_Those_Aged_Out()
    {
        var scenario = ScenarioParser.Parse("""
            switch sw ports=3 ageing=5ms
            port sw.1 access vlan=10
            port sw.2 access vlan=10
            machine a port=sw.1 program=ping peer=b count=2
            machine b port=sw.2 program=echo
            """, "fdb.net");
        var run = Run(scenario, 20, capture: false);
        var report = ScenarioReport.Of(run);
        Assert.That(report.Stations.Select(s => (s.Switch, s.Vlan, s.Mac, s.Port)), Is.EqualTo(new[] { ("sw", 10, "02:00:00:00:00:01", 1), ("sw", 10, "02:00:00:00:00:02", 2) }));
        Assert.That(report.ToText(), Does.Contain("stations learned (bridge fdb show)").And.Contain("sw           10  02:00:00:00:00:02     2"));
        run.Run(100);
        Assert.That(ScenarioReport.Of(run).Stations, Is.Empty, "10 ms with nothing sent: both entries are past the 5 ms ageing time");
    }

    [Test]
    public void The_Same_Scenario_Gives_The_Same_Captures()
    {
        var scenario = BuiltInScenarios.Find("two-tenants")! with { DurationTicks = 300 };
        var first = Run(scenario).Captures;
        var second = Run(scenario).Captures;
        Assert.That(first.Values.Sum(c => c.Length), Is.GreaterThan(24 * first.Count), "something was captured");
        Assert.That(second, Is.EqualTo(first));
    }

    [Test]
    public void An_Unwritable_Capture_Folder_Is_Refused_Before_Anything_Runs()
    {
        var file = Path.Combine(folder, "a-file");
        File.WriteAllText(file, "");
        var error = Assert.Throws<ScenarioError>(() => CaptureFolder.Prepare(Path.Combine(file, "captures")))!;
        Assert.That(error.Message, Does.Contain("cannot write captures there").And.Contain("--pcap DIR"));
    }
}
