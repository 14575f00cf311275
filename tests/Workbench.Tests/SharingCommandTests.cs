using System.Text.Json;

namespace VirtualizationWorkbench.Workbench.Tests;

/// <summary><c>workbench experiment sharing</c>, run as a user types it.</summary>
[Category(TestCategories.EndToEnd)]
public class SharingCommandTests
{
    [Test]
    public void Experiment_Sharing_Splits_The_Pool_By_Weight_Shows_What_Loaning_Saves_And_Repeats_Exactly()
    {
        var first = WorkbenchProcess.Run(Path.GetTempPath(), "experiment", "sharing", "--json");
        Assert.That(first.ExitCode, Is.EqualTo(0), first.ToString());
        using var json = JsonDocument.Parse(first.Output);
        var root = json.RootElement;
        var partitions = root.GetProperty("byWeight").EnumerateArray().SelectMany(r => r.GetProperty("partitions").EnumerateArray()).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(root.GetProperty("poolFrames").GetInt32(), Is.EqualTo(64));
            foreach (var p in partitions)
            {
                Assert.That(p.GetProperty("resident").GetInt32(), Is.EqualTo(p.GetProperty("fairShare").GetDouble()).Within(1), "each partition holds its weight's share of the pool");
            }
            var writes = root.GetProperty("byLoaning").EnumerateArray().ToDictionary(r => $"{r.GetProperty("policy").GetString()} {r.GetProperty("hints").GetBoolean()}", r => r.GetProperty("deviceWrites").GetInt64());
            Assert.That(writes["free True"], Is.LessThan(writes["none True"]));
            Assert.That(writes["cache True"], Is.LessThan(writes["free True"]));
            Assert.That(writes["cache False"], Is.EqualTo(writes["none True"]), "no hints, nothing to loan");
            var corrupt = root.GetProperty("byLoaning").EnumerateArray().SelectMany(r => r.GetProperty("partitions").EnumerateArray()).Sum(p => p.GetProperty("corrupt").GetInt32());
            Assert.That(corrupt, Is.Zero, "no page came back wrong");
        });
        Assert.That(WorkbenchProcess.Run(Path.GetTempPath(), "experiment", "sharing", "--json").Output, Is.EqualTo(first.Output));
    }
}
