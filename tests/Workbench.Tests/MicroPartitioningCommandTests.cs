using System.Text.Json;

namespace VirtualizationWorkbench.Workbench.Tests;

/// <summary><c>workbench experiment micropartitioning</c>, run as a user types it.</summary>
[Category(TestCategories.EndToEnd)]
public class MicroPartitioningCommandTests
{
    [Test]
    public void Experiment_Micropartitioning_Measures_What_The_Pool_Promises_And_Repeats_Exactly()
    {
        var first = WorkbenchProcess.Run(Path.GetTempPath(), "experiment", "micropartitioning", "--json", "--windows", "2");
        Assert.That(first.ExitCode, Is.EqualTo(0), first.ToString());
        using var json = JsonDocument.Parse(first.Output);
        var runs = json.RootElement.GetProperty("runs").EnumerateArray().ToDictionary(r => r.GetProperty("scenario").GetString()!);
        double Promised(string run, string name) => runs[run].GetProperty("partitions").EnumerateArray().Single(p => p.GetProperty("name").GetString() == name).GetProperty("promised").GetDouble();
        Assert.Multiple(() =>
        {
            Assert.That(json.RootElement.GetProperty("windowMs").GetDouble(), Is.EqualTo(10));
            Assert.That((Promised("hmc-example", "a"), Promised("hmc-example", "b")), Is.EqualTo((0.60, 0.35)), "0.10 entitled each, 0.75 spare split 200 to 100");
            Assert.That((Promised("idle-ceded", "capped"), Promised("idle-ceded", "uncapped")), Is.EqualTo((0.40, 1.60)));
            foreach (var p in runs.Values.SelectMany(r => r.GetProperty("partitions").EnumerateArray()))
            {
                // Two 10 ms windows: 0.01 units of them is 20,000 cycles, far more than a dispatch overshoots.
                Assert.That(p.GetProperty("measured").GetDouble(), Is.EqualTo(p.GetProperty("promised").GetDouble()).Within(0.01), p.GetProperty("name").GetString());
            }
        });
        Assert.That(WorkbenchProcess.Run(Path.GetTempPath(), "experiment", "micropartitioning", "--json", "--windows", "2").Output, Is.EqualTo(first.Output));
        var bad = WorkbenchProcess.Run(Path.GetTempPath(), "experiment", "micropartitioning", "--windows", "0");
        Assert.That(bad.ExitCode, Is.Not.Zero);
        Assert.That(bad.Errors, Does.Contain("--windows 0: measure 1 to 100").And.Not.Contain("   at "));
    }
}
