using System.Text.Json;

namespace VirtualizationWorkbench.Workbench.Tests;

/// <summary><c>workbench network run</c>, as a user types it.</summary>
[Category(TestCategories.EndToEnd)]
public class NetworkCommandTests
{
    private string folder = "";

    [SetUp]
    public void CreateFolder() => folder = Directory.CreateTempSubdirectory("wb-net-cli-").FullName;

    [TearDown]
    public void DeleteFolder() => Directory.Delete(folder, recursive: true);

    [Test]
    public void Run_Reports_Per_Vlan_Json_Applies_Changes_And_Writes_Captures()
    {
        var captures = Path.Combine(folder, "captures");
        var result = WorkbenchProcess.Run(folder, "network", "run", "two-tenants", "--duration", "30ms", "--json", "--pcap", captures, "--at", "10ms port sw.5 access vlan=20");
        Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
        using var json = JsonDocument.Parse(result.Output);
        var report = json.RootElement.GetProperty("report");
        Assert.That(report.GetProperty("vlans").EnumerateArray().Select(v => v.GetProperty("vlan").GetInt32()), Is.EqualTo(new[] { 10, 20 }));
        Assert.That(report.GetProperty("changes")[0].GetString(), Is.EqualTo("10ms port sw.5 access vlan=20"));
        var files = json.RootElement.GetProperty("captures").EnumerateArray().Select(f => Path.GetFileName(f.GetString())).ToList();
        Assert.That(files, Does.Contain("sw.3.pcap"));
        Assert.That(File.ReadAllBytes(Path.Combine(captures, "sw.3.pcap"))[..4], Is.EqualTo(new byte[] { 0xD4, 0xC3, 0xB2, 0xA1 }));
    }

    [Test]
    public void A_Bad_Scenario_Is_One_Line_With_Its_Place_And_Nothing_Is_Written()
    {
        var scenario = Path.Combine(folder, "bad.net");
        File.WriteAllText(scenario, "switch sw ports=2\nport sw.1 trunk allowed=7,4095\n");
        var captures = Path.Combine(folder, "captures");
        var result = WorkbenchProcess.Run(folder, "network", "run", scenario, "--pcap", captures);
        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.Errors.Trim(), Is.EqualTo($"error: {scenario}:2:27: VLAN ID 4095 is out of range; 4095 is reserved by 802.1Q; use 1 to 4094"));
        Assert.That(Directory.Exists(captures), Is.False);
    }

    [Test]
    public void View_Reads_The_Scenario_Before_It_Needs_A_Terminal()
    {
        var scenario = Path.Combine(folder, "bad.net");
        File.WriteAllText(scenario, "switch sw ports=2\nlink sw.1 sw.2\n");
        var bad = WorkbenchProcess.Run(folder, "network", "view", scenario);
        Assert.That((bad.ExitCode, bad.Errors.Trim()), Is.EqualTo((2, $"error: {scenario}:2:1: link sw.1 sw.2 connects switch sw to itself: a loop; " +
            "the switches run no spanning tree, so a loop would flood frames for ever; remove the link")), "the scenario's mistake, on the plain terminal");
        var good = WorkbenchProcess.Run(folder, "network", "view", "two-tenants");
        Assert.That(good.ExitCode, Is.EqualTo(2), good.ToString());
        Assert.That(good.Errors, Does.Contain("needs a terminal").And.Contain("workbench lab list"));
        Assert.That(good.Output, Is.Empty, "nothing drawn");
    }
}
