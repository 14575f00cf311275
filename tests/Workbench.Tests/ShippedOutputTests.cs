using System.Diagnostics;

namespace VirtualizationWorkbench.Workbench.Tests;

/// <summary>What the workbench's output folder ships: the libraries the commands run on, at the versions pinned.</summary>
public class ShippedOutputTests
{
    // src/Workbench's own build output, in the configuration these tests were built in (bin/CONFIG/net10.0).
    private static string Output
    {
        get
        {
            var tests = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
            return Path.Combine(WorkbenchProcess.RepositoryRoot, "src", "Workbench", "bin", tests.Parent!.Name, tests.Name);
        }
    }

    [Test]
    public void Lab_Scripts_Run_On_Jint_4()
    {
        var jint = Path.Combine(Output, "Jint.dll");
        Assert.That(jint, Does.Exist);
        Assert.That(FileVersionInfo.GetVersionInfo(jint).FileMajorPart, Is.EqualTo(4));
    }

    [Test]
    public void The_Command_Is_Built_From_Its_Libraries_And_Ships_No_Benchmark_Harness()
    {
        Assert.That(Path.Combine(Output, "workbench.dll"), Does.Exist);
        foreach (var library in new[] { "VirtualizationWorkbench.Labs.dll", "VirtualizationWorkbench.Grading.dll", "VirtualizationWorkbench.Experiments.dll", "VirtualizationWorkbench.Machine.dll" })
        {
            Assert.That(Path.Combine(Output, library), Does.Exist);
        }
        Assert.That(Path.Combine(Output, "workbench-bench.dll"), Does.Not.Exist, "the developer harnesses stay out of the shipped command");
        Assert.That(Path.Combine(Output, "BenchmarkDotNet.dll"), Does.Not.Exist);
    }

    [Test]
    public void The_Labs_The_Command_Carries_Hold_No_Solution_And_No_Hidden_Check()
    {
        var labs = Path.Combine(Output, "labs");
        Assert.That(Path.Combine(labs, "01-machine", "lab.md"), Does.Exist, "the labs travel with the command");
        var leaked = Directory.EnumerateDirectories(labs, "*", SearchOption.AllDirectories)
            .Where(d => Path.GetFileName(d) == "Solution" || (Path.GetFileName(d) == "Hidden" && Path.GetFileName(Path.GetDirectoryName(d)) == "Grading"))
            .ToList();
        Assert.That(leaked, Is.Empty, "what students install carries no reference solution and no hidden check");
    }
}
