using System.Text.Json;

namespace VirtualizationWorkbench.Workbench.Tests;

/// <summary><c>workbench experiment sharing</c>, run as a user types it.</summary>
[Category(TestCategories.EndToEnd)]
public class SharingCommandTests
{
    [Test]
    public void Experiment_Sharing_Splits_The_Pool_By_Weight_Shows_What_Loaning_Saves_Expands_By_Compression_And_Repeats_Exactly()
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
            var expansion = root.GetProperty("expansion").EnumerateArray().ToList();
            foreach (var e in expansion)
            {
                Assert.That(e.GetProperty("achieved").GetDouble(), Is.EqualTo(e.GetProperty("formula").GetDouble()).Within(0.001), "the factor achieved is (U + C·r) / (U + C)");
                Assert.That(e.GetProperty("corrupt").GetInt32(), Is.Zero, "every page decompressed as it was");
            }
            double Cost(string data, int pages) => expansion.Single(e => e.GetProperty("data").GetString() == data && e.GetProperty("workingPages").GetInt32() == pages).GetProperty("costPercent").GetDouble();
            double Factor(string data) => expansion.Single(e => e.GetProperty("data").GetString() == data && e.GetProperty("workingPages").GetInt32() == 110).GetProperty("achieved").GetDouble();
            Assert.That((Cost("text", 40), Cost("text", 80)), Is.EqualTo((0.0, 97.9)).Within(0.1), "the knee: free while the working set fits the uncompressed pool, dominated by compressing past it");
            Assert.That(Factor("zeros"), Is.GreaterThan(Factor("text")).And.GreaterThan(2), "zeros compress best");
            Assert.That(Factor("random"), Is.LessThan(1.01), "random bytes do not compress");
        });
        Assert.That(WorkbenchProcess.Run(Path.GetTempPath(), "experiment", "sharing", "--json").Output, Is.EqualTo(first.Output));
    }
}
