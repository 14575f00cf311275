using VirtualizationWorkbench.Containers;
using VirtualizationWorkbench.Containers.ControlGroups;
using VirtualizationWorkbench.Workbench.Terminal.ViewModels;

namespace VirtualizationWorkbench.Workbench.Tests.Terminal;

public sealed class ContainersViewModelTests
{
    [Test]
    public void Should_Show_Limits_Usage_Processes_And_Who_The_Oom_Killer_Took()
    {
        var kernel = new Kernel();
        var web = kernel.CreateContainer(new ContainerSpec("web"));
        kernel.CreateContainer(new ContainerSpec("hog", Command: "/bin/memhog", Limits: new ResourceLimits(MemoryMax: 128 * 1024)));
        kernel.Run(2_000_000);
        kernel.ExecIn(web, "/bin/spin");
        var view = new ContainersViewModel(kernel).Refresh();

        Assert.That(view.Containers.Select(c => c.Name), Is.EqualTo(new[] { "hog", "web" }));
        Assert.That(view.Containers[0].State, Does.StartWith("stopped: its init (pid 1) killed by the OOM killer"));
        Assert.That(view.Containers[0].Memory, Is.EqualTo("0 KiB / 128 KiB, oom_kill 1"));
        Assert.That(view.Containers[1].State, Is.EqualTo("running"));
        view.Select(1);
        Assert.That(view.Processes.Select(p => $"{p.Pid} {p.Command}"), Is.EqualTo(new[] { "1 /bin/service", "2 /bin/spin" }));
        Assert.That(view.ConsoleTail(1), Is.EqualTo(new[] { "service: ready on web as pid 1" }));
        Assert.That(view.KernelTail(1).Single(), Does.Contain("out of memory (memory.max of hog)"));
        Assert.That(view.StartupChart(20).Select(b => b.Split(' ')[0]), Is.EqualTo(new[] { "hog", "web" }));
    }

    [Test]
    public void Should_Show_The_Selected_Containers_Hostname_Address_Ports_And_Queues()
    {
        var kernel = new Kernel();
        var web = kernel.CreateContainer(new ContainerSpec("web", Bridge: true));
        var db = kernel.CreateContainer(new ContainerSpec("db"));
        kernel.Run(200_000);
        kernel.ExecIn(web, "/bin/hostname front");
        kernel.ExecIn(web, "/bin/msgsnd 7 1");
        kernel.ExecIn(db, "/bin/msgrcv 3");
        kernel.Run(300_000);
        var view = new ContainersViewModel(kernel).Refresh();

        view.Select(1);
        Assert.That(view.Namespaces, Is.EqualTo("hostname front; network 10.0.0.2 on the bridge, ports 80; message queues 7 (1 waiting)"));
        view.Select(0);
        Assert.That(view.Namespaces, Is.EqualTo("hostname db; network loopback only, ports 80; message queues 3 (0 waiting)"));
        Assert.That(view.Processes.Select(p => p.Command), Is.EqualTo(new[] { "/bin/service", "/bin/msgrcv 3" }), "with its arguments, as ps shows them");
    }
}
