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
        var results = ContainerExperiment.Run(Minikernel(), [1, 3], failureDomainInstances: 3, fillMemory: 256 * 1024);
        var three = results.Rows[1];
        TestContext.Out.WriteLine($"{results} {three} {results.Density} {results.FailureDomain} {watch.ElapsedMilliseconds} ms");

        Assert.That(three.Instances, Is.EqualTo(3));
        Assert.That(three.ContainerStartMax, Is.LessThan(three.VmStartMean / 2), "a container starts a process; a VM boots a kernel first");
        Assert.That(three.ContainerBytes, Is.LessThan(three.VmTouchedBytes), "even counting only the pages a VM wrote");
        Assert.That(three.ContainerBytes, Is.LessThan(three.VmReservedBytes / 100.0), "and far less than the RAM a VM is given");
        Assert.That(results.Density.Containers, Is.GreaterThan(results.Density.VirtualMachines * 10));
        Assert.That(three.ContainerBurstLast, Is.GreaterThan(three.ContainerStartMax * 2), "started at once, the three share one core");
        Assert.That(three.VmBurstLast, Is.GreaterThan(three.VmStartMax * 2), "and so do three VMs on one host core");
        Assert.That(three.ContainerBurstLast, Is.LessThan(three.VmBurstMean / 10), "the last container is up long before the average VM");
        Assert.That(results.Rows[0].VmBurstLast, Is.EqualTo(results.Rows[0].VmStartMax), "one VM alone: the same boot either way");
        Assert.That(results.FailureDomain.ContainersStillRunning, Is.Zero, "the shared kernel is one failure domain");
        Assert.That(results.FailureDomain.VirtualMachinesStillRunning, Is.EqualTo(results.FailureDomain.Instances - 1));
        Assert.That(ContainerExperiment.Run(Minikernel(), [1], failureDomainInstances: 2, fillMemory: 256 * 1024).Rows[0], Is.EqualTo(results.Rows[0]), "deterministic");
    }

    [Test]
    public void Should_Fill_A_Machine_As_Memory_Current_Predicts_And_Then_Kill_A_Neighbour()
    {
        var fill = ContainerExperiment.Fill(256 * 1024);
        TestContext.Out.WriteLine(fill);

        Assert.That(fill.ContainersUp, Is.EqualTo(fill.ContainersByMemoryCurrent), "the frames, divided by one container's memory.current");
        Assert.That(fill.Starting, Is.EqualTo($"c{fill.ContainersUp}"));
        Assert.That(fill.Victim, Does.StartWith("c").And.Not.EqualTo(fill.Starting), "without memory.max the machine's OOM killer takes a neighbour");
        Assert.That(fill.KernelMessage, Does.Contain("the machine is out of memory"));
    }
}
