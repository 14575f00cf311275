using VirtualizationWorkbench.Experiments;

namespace VirtualizationWorkbench.Containers.Tests;

/// <summary>The experiment's shape: containers ahead on start-up and memory, VMs ahead on isolation.</summary>
[TestFixture]
public sealed class ContainerExperimentTests
{
    private static string Minikernel()
    {
        for (var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); dir is not null; dir = dir.Parent)
        {
            var path = Path.Combine(dir.FullName, "labs", "guests", "minikernel.s");
            if (File.Exists(path)) return path;
        }
        throw new FileNotFoundException("labs/guests/minikernel.s not found above the test directory");
    }

    [Test]
    public void Should_Put_Containers_Ahead_On_Startup_And_Memory_And_Vms_Ahead_On_Isolation()
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var results = ContainerExperiment.Run(Minikernel(), [1, 3], failureDomainInstances: 3);
        var three = results.Rows[1];
        TestContext.Out.WriteLine($"{results} {three} {results.Density} {results.FailureDomain} {watch.ElapsedMilliseconds} ms");

        Assert.That(three.Instances, Is.EqualTo(3));
        Assert.That(three.ContainerStartMax, Is.LessThan(three.VmStartMean / 2), "a container starts a process; a VM boots a kernel first");
        Assert.That(three.ContainerBytes, Is.LessThan(three.VmTouchedBytes), "even counting only the pages a VM wrote");
        Assert.That(three.ContainerBytes, Is.LessThan(three.VmReservedBytes / 100.0), "and far less than the RAM a VM is given");
        Assert.That(results.Density.Containers, Is.GreaterThan(results.Density.VirtualMachines * 10));
        Assert.That(results.FailureDomain.ContainersStillRunning, Is.Zero, "the shared kernel is one failure domain");
        Assert.That(results.FailureDomain.VirtualMachinesStillRunning, Is.EqualTo(results.FailureDomain.Instances - 1));
        Assert.That(ContainerExperiment.Run(Minikernel(), [1], failureDomainInstances: 2).Rows[0], Is.EqualTo(results.Rows[0]), "deterministic");
    }
}
