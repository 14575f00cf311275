using VirtualizationWorkbench.Containers.ControlGroups;

namespace VirtualizationWorkbench.Containers.Tests;

/// <summary>Namespaces, driven as a student does: guest programs run as processes and print what they see.</summary>
[TestFixture]
public sealed class IsolationTests
{
    [Test]
    public void Should_Number_Each_Containers_Init_As_Pid_1_And_Hide_The_Others()
    {
        var kernel = new Kernel();
        var a = kernel.CreateContainer(new ContainerSpec("a"));
        var b = kernel.CreateContainer(new ContainerSpec("b"));
        kernel.Run(200_000);
        var ps = kernel.ExecIn(a, "/bin/ps");
        kernel.Run(200_000);

        Assert.That(a.Console, Does.Contain("service: ready on a as pid 1"));
        Assert.That(b.Console, Does.Contain("service: ready on b as pid 1"));
        Assert.That(a.Console, Does.Contain("ps: I am pid 2, I see: 1 2 \n"), "ps inside sees only its own container's pids");
        Assert.That(ps.HostPid, Is.EqualTo(3), "the host numbers the same process 3");
        Assert.That(kernel.HostPs().Select(p => p.Container), Is.EquivalentTo(new[] { "a", "b" }), "the host sees both inits (ps has ended and been reaped)");
    }

    [Test]
    public void Should_Escape_A_Plain_Chroot_But_Not_A_Mount_Namespace()
    {
        var kernel = new Kernel();
        var jailed = kernel.StartHostProcess("/bin/escape", chroot: "/srv/jail");
        var container = kernel.CreateContainer(new ContainerSpec("box", Command: "/bin/escape"));
        kernel.Run(2_000_000);

        Assert.That(kernel.HostConsole, Does.Contain("escape: escaped, /etc/secret says: host: the keys to everything"));
        Assert.That(jailed.ExitCode, Is.EqualTo(0));
        Assert.That(container.Console, Does.Contain("escape: still inside"));
        Assert.That(container.Init.ExitCode, Is.EqualTo(1));
    }

    [Test]
    public void Should_Give_Each_Container_Its_Own_Hostname_And_Ports()
    {
        var kernel = new Kernel();
        var a = kernel.CreateContainer(new ContainerSpec("a", Hostname: "alpha", Bridge: true));
        var b = kernel.CreateContainer(new ContainerSpec("b"));
        kernel.Run(300_000);

        Assert.That(a.Console, Does.Contain("ready on alpha"));
        Assert.That(a.Namespaces.Uts.Hostname, Is.EqualTo("alpha"));
        Assert.That(kernel.Host.Uts.Hostname, Is.EqualTo("host"));
        Assert.That(a.Namespaces.Net.Endpoints.Keys, Is.EqualTo(new[] { 80 }), "both bind port 80, each in its own namespace");
        Assert.That(b.Namespaces.Net.Endpoints.Keys, Is.EqualTo(new[] { 80 }));
        Assert.That(kernel.Send(a, 0x0A00_0002, 80, 7), Is.EqualTo(0), "a reaches its own address on the bridge");
        Assert.That(kernel.Send(b, 0x0A00_0002, 80, 8), Is.EqualTo(-(int)Errno.EHOSTUNREACH), "b has no bridge address, so it reaches nobody");
        Assert.That(kernel.Send(b, 0x7F00_0001, 80, 9), Is.EqualTo(0), "b reaches itself on loopback");
        kernel.Run(300_000);
        Assert.That(a.Console, Does.Contain("service: request 7"));
        Assert.That(b.Console, Does.Contain("service: request 9"));
        Assert.That(b.Console, Does.Not.Contain("request 8"));
    }
}
