using System.Text;
using VirtualizationWorkbench.Containers.ControlGroups;
using VirtualizationWorkbench.Containers.Filesystem;
using VirtualizationWorkbench.Containers.Memory;
using VirtualizationWorkbench.Containers.Namespaces;
using VirtualizationWorkbench.Machine;
using VirtualizationWorkbench.Machine.Cpu;

namespace VirtualizationWorkbench.Containers;

/// <summary>
/// One kernel, many containers. The kernel is host code on the machine core's run loop (as lab 01's
/// SystemCallHost): its processes run in ring 3 with paging on, each through its own page directory; every
/// <c>int 0x80</c> and every exception leaves the core as a trap and is served here. Mechanisms, one file each:
/// the scheduler and cpu.max (Scheduler.cs), system calls (SystemCalls.cs), page faults, memory.max, reclaim and the
/// OOM killer (MemoryCharge.cs), and every namespace lookup (Namespaces/NamespaceLookup.cs).
/// </summary>
/// <example>
/// <code>
/// var kernel = new Kernel();
/// var web = kernel.CreateContainer(new ContainerSpec("web", Image: "web", Limits: new(MemoryMax: 256 * 1024)));
/// kernel.Run(1_000_000);
/// Console.Write(web.Console);                       // service: ready on web as pid 1
/// Console.Write(web.Group.Read("memory.current"));
/// </code>
/// </example>
public sealed partial class Kernel
{
    /// <summary>RAM of the machine unless told otherwise: 16 MiB.</summary>
    public const uint DefaultMemory = 16 * 1024 * 1024;

    /// <summary>The time slice unless told otherwise, in cycles.</summary>
    public const ulong DefaultQuantum = 10_000;

    private const uint BridgeBase = 0x0A00_0001;   // 10.0.0.1, the host; containers from 10.0.0.2

    private readonly Core core;
    private readonly List<Process> processes = [];
    private readonly SortedDictionary<string, Container> containers = new(StringComparer.Ordinal);
    private readonly List<NetNamespace> bridge = [];
    private readonly StringBuilder hostConsole = new();
    private readonly FsDirectory containersDirectory;

    /// <summary>A kernel on a machine of its own with <paramref name="memory"/> bytes of RAM, time slices of
    /// <paramref name="quantum"/> cycles, charging <paramref name="costs"/> (<see cref="KernelCosts.Default"/>).</summary>
    public Kernel(uint memory = DefaultMemory, ulong quantum = DefaultQuantum, KernelCosts? costs = null, ImageStore? images = null)
    {
        if (memory is < 64 * 1024 or > 256 * 1024 * 1024 || memory % UserLayout.PageSize != 0)
        {
            throw new ContainerError($"kernel memory {memory}: use a multiple of 4096 from 64 KiB to 256 MiB");
        }
        if (quantum is < 100 or > 10_000_000) throw new ContainerError($"time slice {quantum}: use 100 to 10000000 cycles");
        Computer = new Computer(new MachineConfiguration { MemorySize = memory });
        core = Computer.Cores[0];
        core.InterceptSoftwareInterrupts = true;
        core.InterceptedExceptions = 0xFFFF_FFFF;
        Frames = new FramePool(Computer.Memory);
        Quantum = quantum;
        Costs = costs ?? KernelCosts.Default;
        Images = images ?? new ImageStore();

        var top = new FsDirectory("", null);
        Images.Get("base").Unpack(top);
        top.Directory("etc")!.PutFile("secret", Encoding.ASCII.GetBytes("host: the keys to everything\n"), shared: false);
        top.Directory("etc")!.PutFile("hostname", Encoding.ASCII.GetBytes("host\n"), shared: false);
        Images.Get("base").Unpack(top.Directory("srv")!.Directory("jail")!);
        containersDirectory = top.Directory("var")!.Directory("lib")!.Directory("containers")!;
        var hostNet = new NetNamespace("host", BridgeBase);
        bridge.Add(hostNet);
        Host = new NamespaceSet(new PidNamespace(null), new MountNamespace(top), new UtsNamespace("host"), hostNet, new IpcNamespace());
        RootGroup = new ControlGroup("/", ResourceLimits.None);
    }

    /// <summary>The machine the kernel runs its processes on.</summary>
    public Computer Computer { get; }

    /// <summary>Its physical frames.</summary>
    public FramePool Frames { get; }

    /// <summary>The time slice in cycles.</summary>
    public ulong Quantum { get; }

    /// <summary>What the kernel's own work costs.</summary>
    public KernelCosts Costs { get; }

    /// <summary>The images containers start from.</summary>
    public ImageStore Images { get; }

    /// <summary>The host's namespaces (the initial ones).</summary>
    public NamespaceSet Host { get; }

    /// <summary>The root control group: host processes, no limits.</summary>
    public ControlGroup RootGroup { get; }

    /// <summary>The kernel's clock: cycles run by processes and the kernel, plus cycles idle.</summary>
    public ulong Now => core.Counters.Cycles + idleCycles;

    /// <summary>Every process not yet reaped, by host pid.</summary>
    public IReadOnlyList<Process> Processes => processes;

    /// <summary>The containers by name.</summary>
    public IReadOnlyDictionary<string, Container> Containers => containers;

    /// <summary>What host processes wrote, and the kernel's own messages (OOM kills, panics).</summary>
    public string HostConsole => hostConsole.ToString();

    /// <summary>Why the kernel panicked, or null.</summary>
    public string? Panicked { get; private set; }

    private ulong idleCycles;

    /// <summary>
    /// Starts a container as a runtime does: a control group, a root made from the image (the files' bytes shared
    /// with the image), a pid, mount, UTS, network and IPC namespace, and an init process that execs the command.
    /// </summary>
    /// <exception cref="ContainerError">The name is taken or malformed, the image does not exist, the command is not
    /// in it, or a limit is impossible. Nothing was created.</exception>
    public Container CreateContainer(ContainerSpec spec)
    {
        if (Panicked is not null) throw new ContainerError($"the kernel has panicked ({Panicked}): start a new one");
        if (spec.Name.Length is 0 or > 32 || !spec.Name.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-'))
        {
            throw new ContainerError($"container name '{spec.Name}': use 1 to 32 lower-case letters, digits and '-'");
        }
        if (containers.ContainsKey(spec.Name)) throw new ContainerError($"a container named '{spec.Name}' exists already: pick another name");
        var image = Images.Get(spec.Image);
        var limits = spec.Limits ?? ResourceLimits.None;
        limits.Validate(Computer.Memory.Size);
        var hostname = spec.Hostname ?? spec.Name;
        if (hostname.Length is 0 or > 64) throw new ContainerError($"hostname '{hostname}': use 1 to 64 characters");

        var started = Now;
        var group = new ControlGroup(spec.Name, limits);
        core.Charge(Costs.ControlGroup);
        var rootfs = containersDirectory.Directory(spec.Name)!.Directory("rootfs")!;
        core.Charge(Costs.FileNode * (ulong)image.Unpack(rootfs));
        var program = SplitCommandLine(spec.Command).Path;
        if (ResolveInImage(rootfs, program) is not FsFile)
        {
            containersDirectory.Remove(spec.Name);
            throw new ContainerError($"the image '{spec.Image}' has no program '{program}': try one of {string.Join(", ", GuestPrograms.Names.Select(n => "/bin/" + n))}");
        }
        NetNamespace net = new(spec.Name, spec.Bridge ? BridgeBase + (uint)bridge.Count : null);
        if (spec.Bridge) bridge.Add(net);
        var namespaces = new NamespaceSet(new PidNamespace(Host.Pid), new MountNamespace(rootfs), new UtsNamespace(hostname), net, new IpcNamespace());
        core.Charge(Costs.Namespace * 5);
        var container = new Container(spec, namespaces, group, rootfs, started);
        containers[spec.Name] = container;

        var init = NewProcess(null, namespaces, group, rootfs, container);
        container.Init = init;
        if (Exec(init, spec.Command) is { } error)
        {
            throw new ContainerError($"cannot run '{spec.Command}' in '{spec.Name}': {error}");
        }
        return container;
    }

    /// <summary>Starts <paramref name="path"/> as a host process (no namespaces, the root control group), first
    /// chrooted into <paramref name="chroot"/> if given, as <c>chroot DIR PROGRAM</c> does.</summary>
    /// <exception cref="ContainerError">The directory or the program does not exist.</exception>
    public Process StartHostProcess(string path, string? chroot = null)
    {
        if (Panicked is not null) throw new ContainerError($"the kernel has panicked ({Panicked}): start a new one");
        var root = Host.Mount.Root;
        if (chroot is not null)
        {
            root = ResolveInImage(root, chroot) as FsDirectory
                ?? throw new ContainerError($"chroot: no directory '{chroot}' on the host (try /srv/jail)");
        }
        var process = NewProcess(null, Host, RootGroup, root, null);
        if (Exec(process, path) is { } error)
        {
            End(process, 127, $"exec failed: {error}");
            throw new ContainerError($"cannot run '{path}'{(chroot is null ? "" : $" in {chroot}")}: {error}");
        }
        return process;
    }

    /// <summary>The container called <paramref name="name"/>.</summary>
    /// <exception cref="ContainerError">There is none.</exception>
    public Container Get(string name) => containers.TryGetValue(name, out var c)
        ? c
        : throw new ContainerError($"no container '{name}'{(containers.Count == 0 ? "" : $": there are {string.Join(", ", containers.Keys)}")}");

    /// <summary>Runs <paramref name="program"/> (a /bin program of the image) inside <paramref name="container"/>, as
    /// <c>docker exec</c> does: a new process in its namespaces and control group, child of nobody inside.</summary>
    /// <exception cref="ContainerError">The container has stopped, or pids.max is reached.</exception>
    public Process ExecIn(Container container, string program)
    {
        if (!container.Running) throw new ContainerError($"container '{container.Name}' has stopped ({container.StoppedBecause})");
        if (container.Group.Limits.PidsMax is { } max && container.Group.PidsCurrent >= max)
        {
            container.Group.PidsEventsMax++;
            throw new ContainerError($"container '{container.Name}' is at pids.max ({max}): EAGAIN");
        }
        var process = NewProcess(null, container.Namespaces, container.Group, container.Rootfs, container);
        if (Exec(process, program) is { } error)
        {
            End(process, 127, $"exec failed: {error}");
            throw new ContainerError($"cannot run '{program}' in '{container.Name}': {error}");
        }
        return process;
    }

    /// <summary>Changes a container's limits while it runs. Lowering memory.max below memory.current reclaims and
    /// then OOM-kills in the group until it fits, as Linux does.</summary>
    /// <exception cref="ContainerError">A limit is impossible.</exception>
    public void SetLimits(Container container, ResourceLimits limits)
    {
        limits.Validate(Computer.Memory.Size);
        container.Group.Limits = limits;
        while (container.Group.MemoryMaxPages is { } max && container.Group.MemoryPages > max)
        {
            if (!MakeRoom(container.Group, container.Group.MemoryPages - max, null)) break;
        }
    }

    /// <summary>Sends <paramref name="value"/> to <paramref name="address"/>:<paramref name="port"/> from inside
    /// <paramref name="from"/> (through its network namespace, as a process of it would). Returns 0 or a negative
    /// <see cref="Errno"/>: EHOSTUNREACH when the address is not reachable from there, ECONNREFUSED when no one
    /// listens.</summary>
    public int Send(Container from, uint address, int port, uint value)
    {
        if (!from.Running) return -(int)Errno.ESRCH;
        var (endpoint, error) = NamespaceLookup.Endpoint(from.Init, bridge, address, port);
        if (endpoint is null) return -(int)error;
        Deliver(endpoint, value);
        return 0;
    }

    /// <summary>The processes <paramref name="container"/>'s init can see, as (pid inside, host pid, command, state).</summary>
    public IReadOnlyList<(int Pid, int HostPid, string Command, ProcessState State)> Ps(Container container) =>
        [.. container.Namespaces.Pid.Processes.Select(p => (p.Key, p.Value.HostPid, p.Value.Command, p.Value.State))];

    /// <summary>Every process, as the host sees them: (host pid, pid inside its container, container, command, state).</summary>
    public IReadOnlyList<(int HostPid, int OwnPid, string Container, string Command, ProcessState State)> HostPs() =>
        [.. Host.Pid.Processes.Values.Select(p => (p.HostPid, p.OwnPid, p.Container?.Name ?? "-", p.Command, p.State))];

    private static FsNode? ResolveInImage(FsDirectory root, string path)
    {
        FsNode node = root;
        foreach (var part in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (node is not FsDirectory d || !d.Children.TryGetValue(part, out var child)) return null;
            node = child;
        }
        return node;
    }

    // ---------------------------------------------------------------- process life

    /// <summary>A new process numbered in its pid namespace and every ancestor, charged to pids.current (callers
    /// have checked pids.max: the kernel's own starts are "organisational" and may exceed it).</summary>
    private Process NewProcess(Process? parent, NamespaceSet namespaces, ControlGroup group, FsDirectory root, Container? container)
    {
        var chain = new List<PidNamespace>();
        for (var ns = namespaces.Pid; ns is not null; ns = ns.Parent) chain.Add(ns);
        chain.Reverse();
        var numbers = new PidNumber[chain.Count];
        var process = new Process(numbers, parent, namespaces, group, root, root, container);
        for (var i = 0; i < chain.Count; i++) numbers[i] = new PidNumber(chain[i], chain[i].Add(process));
        group.PidsCurrent++;
        parent?.Children.Add(process);
        processes.Add(process);
        return process;
    }

    /// <summary>Ends <paramref name="process"/>: frees its memory and ports, makes it a zombie for its parent (or
    /// reaps it when it has none), hands its children to the namespace's init, and — if it is a container's init —
    /// ends every other process of the container, as Linux does when a pid namespace's init dies.</summary>
    private void End(Process process, int code, string reason)
    {
        if (!process.Alive) return;
        process.State = ProcessState.Zombie;
        process.ExitCode = code;
        process.EndReason = reason;
        ReleaseMemory(process);
        foreach (var (port, endpoint) in process.Namespaces.Net.Endpoints.ToList())
        {
            if (endpoint.Owner == process) process.Namespaces.Net.Endpoints.Remove(port);
        }
        var container = process.Container;
        if (container is not null && container.Init == process)
        {
            container.StoppedBecause = $"its init (pid 1) {reason}";
            foreach (var other in container.Namespaces.Pid.Processes.Values.ToList())
            {
                if (other != process) End(other, 128 + 9, "killed: its container's init ended");
            }
        }
        var reaper = container is not null && container.Init.Alive ? container.Init : null;
        foreach (var child in process.Children.ToList())
        {
            child.Parent = reaper;
            reaper?.Children.Add(child);
            if (reaper is null && child.State == ProcessState.Zombie) Reap(child);
        }
        process.Children.Clear();
        if (process.Parent is { } parent && parent.Alive)
        {
            if (parent.State == ProcessState.WaitingForChild) CompleteWait(parent, process);
        }
        else
        {
            Reap(process);
        }
    }

    /// <summary>Removes a zombie for good: its pids are free again and it leaves pids.current.</summary>
    private void Reap(Process process)
    {
        if (process.State == ProcessState.Reaped) return;
        process.State = ProcessState.Reaped;
        foreach (var number in process.Pids) number.Namespace.Remove(number.Number);
        process.Group.PidsCurrent--;
        process.Parent?.Children.Remove(process);
        processes.Remove(process);
    }

    private void KernelMessage(string text)
    {
        if (hostConsole.Length < Container.ConsoleLimit) hostConsole.Append(text).Append('\n');
    }

    private void Panic(string why)
    {
        Panicked = why;
        KernelMessage($"kernel: PANIC: {why}");
        foreach (var process in processes.ToList()) End(process, 128 + 9, "killed: the kernel panicked");
    }
}
