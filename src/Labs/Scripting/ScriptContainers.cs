using VirtualizationWorkbench.Containers;
using VirtualizationWorkbench.Containers.ControlGroups;

namespace VirtualizationWorkbench.Labs.Scripting;

/// <summary>
/// A container kernel as lab scripts see it (<c>const k = lab.containers()</c>): start containers and host
/// processes, run, and read what a student reads — consoles, <c>ps</c> inside and outside, cgroup files.
/// Every refusal of the kernel (an image that does not exist, an impossible limit) fails the script with the
/// kernel's message.
/// </summary>
public sealed class ScriptContainers
{
    private readonly Kernel kernel;
    private readonly ScriptBudget budget;

    internal ScriptContainers(ScriptBudget budget)
    {
        this.budget = budget;
        kernel = budget.Uncounted(() => new Kernel());
    }

    /// <summary>The kernel, for the terminal UI's view of it (scripts never see this object).</summary>
    public Kernel Kernel => kernel;

    /// <summary>Guest memory of the kernel's machine, for the step's machine allowance.</summary>
    internal static long MachineBytes => Kernel.DefaultMemory;

    /// <summary>Starts container <paramref name="name"/> from <paramref name="image"/> running
    /// <paramref name="command"/>, with limits in cgroup file syntax ("max" or empty for none).</summary>
    public string Start(string name, string image, string command, string memoryMax, string pidsMax, string cpuMax, bool bridge) =>
        Guard(() => kernel.CreateContainer(new ContainerSpec(name, image, command, Limits: ResourceLimits.Parse(memoryMax, pidsMax, cpuMax), Bridge: bridge)).Name);

    /// <summary>Runs <paramref name="command"/> (a program and its arguments, <c>/bin/kill 3</c>) in a running
    /// container (<c>docker exec</c>); returns its host pid.</summary>
    public double Exec(string name, string command) => Guard(() => kernel.ExecIn(kernel.Get(name), command).HostPid);

    /// <summary>Runs <paramref name="command"/> (a program and its arguments) as a host process: the host's
    /// namespaces, the root control group; returns its host pid.</summary>
    public double Host(string command) => Guard(() => kernel.StartHostProcess(command).HostPid);

    /// <summary>Runs <paramref name="command"/> as a host process chrooted into <paramref name="directory"/>; returns its host pid.</summary>
    public double Chroot(string directory, string command) => Guard(() => kernel.StartHostProcess(command, directory).HostPid);

    /// <summary>Runs the kernel for <paramref name="cycles"/> (1 to 10^9); returns why it stopped: "BudgetSpent",
    /// "Idle" or "Panic".</summary>
    public string Run(double cycles)
    {
        var budgeted = (long)Math.Clamp(double.IsNaN(cycles) ? 1 : cycles, 1, 1e9);
        return budget.Run(kernel.Computer, () => kernel.Run(budgeted), run => run.Stop == KernelStop.Stopped, "k.run()").Stop.ToString();
    }

    /// <summary>What a container's processes wrote.</summary>
    public string Console(string name) => Guard(() => kernel.Get(name).Console);

    /// <summary>What host processes wrote, and the kernel's messages.</summary>
    public string HostConsole() => kernel.HostConsole;

    /// <summary>The pids a container's processes see (its pid namespace), ascending.</summary>
    public double[] Ps(string name) => Guard(() => kernel.Ps(kernel.Get(name)).Select(p => (double)p.Pid).ToArray());

    /// <summary>The host pids of a container's processes, in the order of <see cref="Ps"/>.</summary>
    public double[] HostPids(string name) => Guard(() => kernel.Ps(kernel.Get(name)).Select(p => (double)p.HostPid).ToArray());

    /// <summary>Every pid the host sees.</summary>
    public double[] AllHostPids() => [.. kernel.HostPs().Select(p => (double)p.HostPid)];

    /// <summary>A file of a container's control group (memory.current, memory.events, pids.current, cpu.stat, …).</summary>
    public string Read(string name, string file) => Guard(() => kernel.Get(name).Group.Read(file));

    /// <summary>Whether the container's init still lives.</summary>
    public bool Running(string name) => Guard(() => kernel.Get(name).Running);

    /// <summary>Why the container stopped, or "".</summary>
    public string StoppedBecause(string name) => Guard(() => kernel.Get(name).StoppedBecause ?? "");

    /// <summary>The container's hostname (its UTS namespace's).</summary>
    public string Hostname(string name) => Guard(() => kernel.Get(name).Namespaces.Uts.Hostname);

    /// <summary>The host's hostname.</summary>
    public string HostHostname() => kernel.Host.Uts.Hostname;

    /// <summary>Sends a value from inside a container to an address ("127.0.0.1", "10.0.0.N") and port; returns 0
    /// or a negative errno.</summary>
    public double Send(string from, string address, double port, double value) => Guard(() =>
    {
        var parts = address.Split('.');
        if (parts.Length != 4 || !parts.All(p => byte.TryParse(p, out _))) throw new ContainerError($"address '{address}': write four numbers, as 10.0.0.2");
        var ip = parts.Aggregate(0u, (a, p) => (a << 8) | byte.Parse(p, System.Globalization.CultureInfo.InvariantCulture));
        return (double)kernel.Send(kernel.Get(from), ip, (int)port, (uint)value);
    });

    /// <summary>Cycles from the container's start to its first output.</summary>
    public double StartupCycles(string name) => Guard(() => kernel.Get(name) is { FirstOutputAt: { } first } c ? (double)(first - c.StartedAt) : -1);

    /// <summary>The kernel's clock.</summary>
    public double Now => kernel.Now;

    /// <summary>Why the kernel panicked, or "".</summary>
    public string Panicked => kernel.Panicked ?? "";

    private static T Guard<T>(Func<T> call)
    {
        try
        {
            return call();
        }
        catch (ContainerError e)
        {
            throw new ScriptFailure(e.Message);
        }
    }
}
