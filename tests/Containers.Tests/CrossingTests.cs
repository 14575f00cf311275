namespace VirtualizationWorkbench.Containers.Tests;

/// <summary>
/// Each namespace, crossed from inside as a student does with <c>docker exec NAME COMMAND ARGS</c>: the programs
/// of the base image (kill, hostname, msgsnd, msgrcv, send) try to reach another container and report what the
/// kernel answered.
/// </summary>
[TestFixture]
public sealed class CrossingTests
{
    private static string Line(Container c, string prefix) =>
        c.Console.Split('\n').LastOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal)) ?? $"(no line '{prefix}' in: {c.Console})";

    [Test]
    public void Should_Refuse_A_Kill_Of_A_Pid_That_Lives_Only_In_Another_Container()
    {
        var kernel = new Kernel();
        var web = kernel.CreateContainer(new ContainerSpec("web"));
        var db = kernel.CreateContainer(new ContainerSpec("db"));
        var worker = kernel.ExecIn(db, "/bin/spin");
        kernel.Run(100_000);
        Assert.That(worker.HostPid, Is.EqualTo(3), "host pids 1 and 2 are the two inits");

        var kill = kernel.ExecIn(web, $"/bin/kill {worker.HostPid}");
        kernel.Run(200_000);
        Assert.That(kill.Command, Is.EqualTo("/bin/kill 3"), "ps shows the arguments");
        Assert.That(Line(web, "kill:"), Is.EqualTo("kill: kill(3) returned -3"), "web has no pid 3: ESRCH");
        Assert.That(kill.ExitCode, Is.EqualTo(1));
        Assert.That(worker.Alive, Is.True);

        kernel.StartHostProcess($"/bin/kill {worker.HostPid}");
        kernel.Run(200_000);
        Assert.That(kernel.HostConsole, Does.Contain("kill: kill(3) returned 0"), "the host numbers everyone");
        Assert.That(worker.Alive, Is.False);
        Assert.That(db.Running, Is.True, "only the worker died");
    }

    [Test]
    public void Should_Let_A_Containers_Init_Shrug_Off_Kill_From_Inside_But_Not_From_The_Host()
    {
        var kernel = new Kernel();
        var web = kernel.CreateContainer(new ContainerSpec("web"));
        var db = kernel.CreateContainer(new ContainerSpec("db"));
        kernel.ExecIn(db, "/bin/kill 1");
        kernel.Run(200_000);

        Assert.That(Line(db, "kill:"), Is.EqualTo("kill: kill(1) returned 0"), "pid 1 in db is db's init, and the call succeeds");
        Assert.That(db.Running, Is.True, "but a namespace's init gets no SIGKILL from inside (pid_namespaces(7))");
        Assert.That(web.Running, Is.True);

        kernel.StartHostProcess($"/bin/kill {db.Init.HostPid}");
        kernel.Run(200_000);
        Assert.That(db.Running, Is.False, "from the host it is an ordinary process");
        Assert.That(db.StoppedBecause, Does.StartWith("its init (pid 1) killed by pid"));
        Assert.That(web.Running, Is.True);
    }

    [Test]
    public void Should_Rename_Only_The_Containers_Own_Uts_Namespace()
    {
        var kernel = new Kernel();
        var a = kernel.CreateContainer(new ContainerSpec("a"));
        var b = kernel.CreateContainer(new ContainerSpec("b"));
        kernel.ExecIn(a, "/bin/hostname renamed");
        kernel.Run(200_000);
        kernel.ExecIn(b, "/bin/hostname");
        kernel.StartHostProcess("/bin/hostname");
        kernel.Run(200_000);

        Assert.That(Line(a, "hostname:"), Is.EqualTo("hostname: renamed"));
        Assert.That(a.Namespaces.Uts.Hostname, Is.EqualTo("renamed"));
        Assert.That(Line(b, "hostname:"), Is.EqualTo("hostname: b"));
        Assert.That(kernel.HostConsole, Does.Contain("hostname: host\n"));
    }

    [Test]
    public void Should_Keep_Message_Queues_Of_The_Same_Key_Apart()
    {
        var kernel = new Kernel();
        var a = kernel.CreateContainer(new ContainerSpec("a"));
        var b = kernel.CreateContainer(new ContainerSpec("b"));
        var waiting = kernel.ExecIn(b, "/bin/msgrcv 7");
        kernel.Run(100_000);
        kernel.ExecIn(a, "/bin/msgsnd 7 42");
        kernel.Run(200_000);

        Assert.That(Line(a, "msgsnd:"), Is.EqualTo("msgsnd: queue 7, value 42: returned 0"));
        Assert.That(waiting.State, Is.EqualTo(ProcessState.WaitingForMessage), "b's queue 7 is another queue: still empty");
        Assert.That(b.Console, Does.Not.Contain("msgrcv:"));

        kernel.ExecIn(a, "/bin/msgrcv 7");
        kernel.Run(200_000);
        Assert.That(Line(a, "msgrcv:"), Is.EqualTo("msgrcv: queue 7 gave 42"), "a's own queue 7 has it");
        kernel.ExecIn(b, "/bin/msgsnd 7 5");
        kernel.Run(200_000);
        Assert.That(Line(b, "msgrcv:"), Is.EqualTo("msgrcv: queue 7 gave 5"), "and b's waiter takes only what b sends");
    }

    [Test]
    public void Should_Connect_Containers_Only_Through_The_Bridge_They_Were_Given()
    {
        var kernel = new Kernel();
        var front = kernel.CreateContainer(new ContainerSpec("front", Bridge: true));   // 10.0.0.2
        var back = kernel.CreateContainer(new ContainerSpec("back", Bridge: true));     // 10.0.0.3
        var alone = kernel.CreateContainer(new ContainerSpec("alone"));                 // loopback only
        kernel.Run(200_000);
        kernel.ExecIn(front, "/bin/send 10.0.0.3 80 11");
        kernel.ExecIn(alone, "/bin/send 10.0.0.3 80 12");
        kernel.ExecIn(front, "/bin/send 10.0.0.3 81 13");
        kernel.Run(300_000);

        Assert.That(back.Console, Does.Contain("service: request 11\n"), "front reaches back over the bridge");
        Assert.That(front.Console, Does.Contain("send: 11 to port 80: returned 0\n").And.Contain("send: 13 to port 81: returned -111\n"));
        Assert.That(Line(alone, "send:"), Is.EqualTo("send: 12 to port 80: returned -113"), "a container without a bridge address reaches no one");
        Assert.That(back.Console, Does.Not.Contain("request 12"));
    }

    [Test]
    public void Should_Show_A_Container_Only_Its_Own_Files()
    {
        var kernel = new Kernel();
        var box = kernel.CreateContainer(new ContainerSpec("box"));
        kernel.ExecIn(box, "/bin/cat /etc/secret");
        kernel.ExecIn(box, "/bin/cat /etc/os-release");
        kernel.StartHostProcess("/bin/cat /etc/secret");
        kernel.Run(300_000);

        Assert.That(box.Console, Does.Contain("cat: /etc/secret: returned -2\n"), "the host's /etc is not in the container's tree");
        Assert.That(box.Console, Does.Contain("NAME=\"workbench-os\"\n"), "its own /etc is the image's");
        Assert.That(kernel.HostConsole, Does.Contain("host: the keys to everything\n"));
    }

    [Test]
    public void Should_Say_How_To_Call_A_Program_Started_Without_Its_Arguments()
    {
        var kernel = new Kernel();
        var box = kernel.CreateContainer(new ContainerSpec("box"));
        var kill = kernel.ExecIn(box, "/bin/kill");
        var send = kernel.ExecIn(box, "/bin/send 10.0.0");
        kernel.Run(300_000);

        Assert.That(box.Console, Does.Contain("kill: usage: kill PID\n").And.Contain("send: usage: send A.B.C.D PORT VALUE\n"));
        Assert.That((kill.ExitCode, send.ExitCode), Is.EqualTo((2, 2)));
        var error = Assert.Throws<ContainerError>(() => kernel.ExecIn(box, "/bin/hostname " + new string('x', 300)));
        Assert.That(error!.Message, Does.Contain("arguments longer than 255 characters"));
        Assert.That(kernel.Processes, Has.Count.EqualTo(1), "nothing was left behind");
    }
}
