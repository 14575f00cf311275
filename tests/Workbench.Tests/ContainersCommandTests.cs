using System.Text.Json;

namespace VirtualizationWorkbench.Workbench.Tests;

/// <summary><c>workbench experiment containers</c>, run as a user types it (lab 08's acceptance: containers ahead
/// on start-up and memory per instance, VMs ahead on isolation).</summary>
[Category(TestCategories.EndToEnd)]
public class ContainersCommandTests
{
    [Test]
    public void Experiment_Containers_Json_Puts_Containers_Ahead_On_Start_Up_And_Memory_And_Vms_On_Isolation()
    {
        var result = WorkbenchProcess.Run(Path.GetTempPath(), "experiment", "containers", "--json");
        Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
        using var json = JsonDocument.Parse(result.Output);
        var root = json.RootElement;
        var rows = root.GetProperty("rows").EnumerateArray().ToList();
        Assert.Multiple(() =>
        {
            Assert.That(rows.Select(r => r.GetProperty("instances").GetInt32()), Is.EqualTo(new[] { 1, 10, 50 }));
            foreach (var r in rows)
            {
                Assert.That(r.GetProperty("containerStartMax").GetDouble(), Is.LessThan(r.GetProperty("vmStartMean").GetDouble() / 10), "start-up");
                Assert.That(r.GetProperty("containerBurstLast").GetDouble(), Is.LessThan(r.GetProperty("vmBurstMean").GetDouble() / 10), "start-up, all at once");
                Assert.That(r.GetProperty("containerBytes").GetDouble(), Is.LessThan(r.GetProperty("vmTouchedBytes").GetDouble()), "memory per instance");
            }
            var density = root.GetProperty("density");
            Assert.That(density.GetProperty("containers").GetInt64(), Is.GreaterThan(10 * density.GetProperty("virtualMachines").GetInt64()));
            var fill = root.GetProperty("fill");
            Assert.That(fill.GetProperty("containersUp").GetInt32(), Is.EqualTo(fill.GetProperty("containersByMemoryCurrent").GetInt64()));
            var failure = root.GetProperty("failureDomain");
            Assert.That(failure.GetProperty("containersStillRunning").GetInt32(), Is.Zero);
            Assert.That(failure.GetProperty("virtualMachinesStillRunning").GetInt32(), Is.EqualTo(failure.GetProperty("instances").GetInt32() - 1));
        });
    }

    [Test]
    public void Experiment_Containers_Says_Which_Guest_Kernel_Is_Missing()
    {
        var empty = Directory.CreateTempSubdirectory("wb-no-labs-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(empty, "01-machine"));
            File.WriteAllText(Path.Combine(empty, "01-machine", "lab.md"), "---\nid: 01-machine\ntitle: t\n---\n# t\n");
            var result = WorkbenchProcess.Run(Path.GetTempPath(), "experiment", "containers", "--labs", empty);
            Assert.That(result.ExitCode, Is.Not.Zero);
            Assert.That(result.ToString(), Does.Contain("minikernel.s").And.Not.Contain("   at "));
        }
        finally
        {
            Directory.Delete(empty, recursive: true);
        }
    }
}
