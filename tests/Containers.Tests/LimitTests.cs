using VirtualizationWorkbench.Containers.ControlGroups;

namespace VirtualizationWorkbench.Containers.Tests;

/// <summary>cgroup v2 semantics: each limit, hit inside one container, and what happens to whom.</summary>
[TestFixture]
public sealed class LimitTests
{
    [Test]
    public void Should_Oom_Kill_And_Bound_A_Fork_Bomb_Inside_Their_Containers_Only()
    {
        var kernel = new Kernel();
        var web = kernel.CreateContainer(new ContainerSpec("web", Image: "web"));
        var hog = kernel.CreateContainer(new ContainerSpec("hog", Command: "/bin/memhog", Limits: new ResourceLimits(MemoryMax: 128 * 1024)));
        var bomb = kernel.CreateContainer(new ContainerSpec("bomb", Command: "/bin/forkbomb", Limits: new ResourceLimits(PidsMax: 8)));
        kernel.Run(3_000_000);

        Assert.That(hog.Running, Is.False);
        Assert.That(hog.StoppedBecause, Does.Contain("OOM killer (memory.max of hog)"));
        Assert.That(hog.Group.Read("memory.events"), Does.Contain("oom_kill 1"));
        Assert.That(hog.Group.PagesReclaimed, Is.GreaterThan(0UL), "reclaim ran before the OOM killer");
        Assert.That(bomb.Console, Does.Contain("forkbomb: 7 children, then fork returned -11"));
        Assert.That(bomb.Group.Read("pids.current"), Is.EqualTo("8\n"));
        Assert.That(bomb.Group.PidsEventsMax, Is.GreaterThan(0UL));

        Assert.That(web.Running, Is.True, "the other container runs on");
        Assert.That(kernel.Send(web, 0x7F00_0001, 80, 42), Is.EqualTo(0));
        kernel.Run(500_000);
        Assert.That(web.Console, Does.Contain("service: request 42"), "and still serves");
        Assert.That(bomb.Running, Is.True, "the fork bomb's container is bounded, not killed");
        Assert.That(kernel.Panicked, Is.Null);
    }

    [Test]
    public void Should_Throttle_A_Group_To_Its_Cpu_Quota_Per_Period()
    {
        var kernel = new Kernel();
        var capped = kernel.CreateContainer(new ContainerSpec("capped", Command: "/bin/spin", Limits: new ResourceLimits(Cpu: new CpuMax(25_000, 100_000))));
        var free = kernel.CreateContainer(new ContainerSpec("free", Command: "/bin/spin"));
        kernel.Run(2_000_000);

        var share = (double)capped.Group.CpuUsage / kernel.Now;
        Assert.That(share, Is.EqualTo(0.25).Within(0.03), "25000 of every 100000 cycles, to within about a slice per period");
        Assert.That(capped.Group.CpuThrottledPeriods, Is.GreaterThan(10UL));
        Assert.That(free.Group.CpuUsage, Is.GreaterThan(capped.Group.CpuUsage * 2));
        Assert.That(capped.Group.Read("cpu.stat"), Does.Contain("nr_throttled " + capped.Group.CpuThrottledPeriods));
    }

    [Test]
    public void Should_Let_One_Containers_Kernel_Bug_Stop_Every_Container()
    {
        var kernel = new Kernel();
        var a = kernel.CreateContainer(new ContainerSpec("a"));
        var bug = kernel.CreateContainer(new ContainerSpec("bug", Command: "/bin/kernelbug"));
        var run = kernel.Run(1_000_000);

        Assert.That(run.Stop, Is.EqualTo(KernelStop.Panic));
        Assert.That(a.Running, Is.False, "one kernel: one failure domain");
        Assert.That(bug.Running, Is.False);
        Assert.That(kernel.HostConsole, Does.Contain("PANIC"));
    }

    [Test]
    public void Should_Kill_A_Crashing_Init_And_Stop_Only_Its_Container()
    {
        var kernel = new Kernel();
        var web = kernel.CreateContainer(new ContainerSpec("web"));
        var crash = kernel.CreateContainer(new ContainerSpec("crash", Command: "/bin/crash"));
        kernel.Run(500_000);

        Assert.That(crash.StoppedBecause, Does.Contain("killed by divide-error"));
        Assert.That(web.Running, Is.True);
        Assert.That(kernel.Processes, Has.Count.EqualTo(1), "the crashed init was reaped; only web's service is left");
    }

    [Test]
    public void Should_Reclaim_And_Oom_Kill_In_The_Group_When_Memory_Max_Is_Lowered_Below_Its_Usage()
    {
        var kernel = new Kernel();
        var web = kernel.CreateContainer(new ContainerSpec("web"));
        var other = kernel.CreateContainer(new ContainerSpec("other"));
        var hog = kernel.ExecIn(web, "/bin/memhog");
        kernel.Run(30_000);
        var before = web.Group.MemoryCurrent;
        Assert.That(before, Is.GreaterThan(64UL * 1024), "memhog has grown");

        kernel.SetLimits(web, new ResourceLimits(MemoryMax: 32 * 1024));

        Assert.That(web.Group.MemoryCurrent, Is.LessThanOrEqualTo(32UL * 1024), "the new limit is met at once");
        Assert.That(hog.Alive, Is.False, "by killing the largest process of the group");
        Assert.That(hog.EndReason, Does.Contain("OOM killer (memory.max of web)"));
        Assert.That(web.Group.Read("memory.events"), Does.Contain("oom_kill 1"));
        Assert.That(web.Running, Is.True, "the service, smaller, stays");
        Assert.That(other.Running, Is.True);
        Assert.That(other.Group.MemoryEventsOomKill, Is.Zero);
    }

    [TestCase("0", null, null, "memory.max 0 is too small")]
    [TestCase("1G", null, null, "more than the machine's")]
    [TestCase("lots", null, null, "memory.max 'lots'")]
    [TestCase(null, "0", null, "pids.max 0")]
    [TestCase(null, null, "200000 100000", "more than its period")]
    [TestCase(null, null, "0 100000", "cpu.max quota 0")]
    public void Should_Refuse_Impossible_Limits_And_Create_Nothing(string? memory, string? pids, string? cpu, string message)
    {
        var kernel = new Kernel();
        var error = Assert.Throws<ContainerError>(() => kernel.CreateContainer(new ContainerSpec("x", Limits: ResourceLimits.Parse(memory, pids, cpu))));
        Assert.That(error!.Message, Does.Contain(message));
        Assert.That(kernel.Containers, Is.Empty);
        Assert.That(kernel.Processes, Is.Empty);
    }

    [Test]
    public void Should_Refuse_An_Image_That_Does_Not_Exist_Naming_The_Ones_That_Do()
    {
        var kernel = new Kernel();
        var error = Assert.Throws<ContainerError>(() => kernel.CreateContainer(new ContainerSpec("x", Image: "ubuntu")));
        Assert.That(error!.Message, Is.EqualTo("no image 'ubuntu': the images are base, slim, web"));
        Assert.That(kernel.Containers, Is.Empty);
    }
}
