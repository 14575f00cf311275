using System.Text.Json;

namespace VirtualizationWorkbench.Workbench.Tests;

/// <summary><c>workbench experiment storage</c>, run as a user types it.</summary>
[Category(TestCategories.EndToEnd)]
public class StorageCommandTests
{
    [Test]
    public void Experiment_Storage_Prints_Json_With_The_Copy_On_Write_Cost_And_Repeats_Exactly()
    {
        var first = WorkbenchProcess.Run(Path.GetTempPath(), "experiment", "storage", "--json", "--seed", "11");
        Assert.That(first.ExitCode, Is.EqualTo(0), first.ToString());
        using var json = JsonDocument.Parse(first.Output);
        var root = json.RootElement;
        Assert.That(root.GetProperty("seed").GetInt32(), Is.EqualTo(11));
        Assert.That(root.GetProperty("snapshot").EnumerateArray().Select(s => s.GetProperty("diskRequests").GetInt32()), Is.EqualTo(new[] { 1, 3, 1 }));
        var utilisation = root.GetProperty("utilisation");
        Assert.That(utilisation.GetProperty("thinUtilisationPercent").GetDouble(), Is.GreaterThan(utilisation.GetProperty("thickUtilisationPercent").GetDouble()));

        var text = WorkbenchProcess.Run(Path.GetTempPath(), "experiment", "storage", "--seed", "11");
        Assert.That(text.ExitCode, Is.EqualTo(0), text.ToString());
        Assert.That(text.Output, Does.Contain("first write after a snapshot   3 disk requests"));
        Assert.That(WorkbenchProcess.Run(Path.GetTempPath(), "experiment", "storage", "--json", "--seed", "11").Output, Is.EqualTo(first.Output));
    }
}
