using VirtualizationWorkbench.Containers;
using VirtualizationWorkbench.Containers.Namespaces;

namespace VirtualizationWorkbench.Workbench.Terminal.ViewModels;

/// <summary>A container as lab 08's screen lists it: state, limits and usage read from its cgroup files, and
/// the cycles it took to come up.</summary>
public sealed record ContainerRow(string Name, string Image, string State, string Memory, string Pids, string Cpu, ulong? StartupCycles);

/// <summary>A process of the selected container: its pid inside, its host pid, program and state.</summary>
public sealed record ContainerProcessRow(int Pid, int HostPid, string Command, string State);

/// <summary>
/// What lab 08's screen shows of a container kernel, as a step's checks left it: the containers with their
/// limits and usage (memory.current / memory.max, pids.current / pids.max, cpu.max and throttling), the selected
/// container's processes inside and outside, its console's last lines, and a bar chart of start-up cycles. Plain
/// state, no terminal types. Call <see cref="Refresh"/> after the kernel ran.
/// </summary>
public sealed class ContainersViewModel(Kernel kernel)
{
    /// <summary>The containers, by name.</summary>
    public IReadOnlyList<ContainerRow> Containers { get; private set; } = [];

    /// <summary>The selected row of <see cref="Containers"/>.</summary>
    public int Selected { get; private set; }

    /// <summary>Selects row <paramref name="index"/> (clamped).</summary>
    public void Select(int index) => Selected = Containers.Count == 0 ? 0 : Math.Clamp(index, 0, Containers.Count - 1);

    /// <summary>The selected container's processes, as its pid namespace numbers them.</summary>
    public IReadOnlyList<ContainerProcessRow> Processes => Containers.Count == 0
        ? []
        : [.. kernel.Ps(kernel.Get(Containers[Selected].Name)).Select(p => new ContainerProcessRow(p.Pid, p.HostPid, p.Command, p.State.ToString()))];

    /// <summary>What the selected container's other namespaces hold: its hostname (UTS), its address on the bridge or
    /// loopback only and its bound ports (network), and its message queues with what waits in them (IPC).</summary>
    public string Namespaces
    {
        get
        {
            if (Containers.Count == 0) return "";
            var ns = kernel.Get(Containers[Selected].Name).Namespaces;
            var address = ns.Net.BridgeAddress is { } a ? $"{NetNamespace.Format(a)} on the bridge" : "loopback only";
            var ports = ns.Net.Endpoints.Count == 0 ? "none" : string.Join(", ", ns.Net.Endpoints.Keys);
            var queues = ns.Ipc.Queues.Count == 0 ? "none" : string.Join(", ", ns.Ipc.Queues.Select(q => $"{q.Key} ({q.Value.Count} waiting)"));
            return $"hostname {ns.Uts.Hostname}; network {address}, ports {ports}; message queues {queues}";
        }
    }

    /// <summary>The last lines the selected container printed (at most <paramref name="count"/>).</summary>
    public IReadOnlyList<string> ConsoleTail(int count) => Containers.Count == 0
        ? []
        : [.. kernel.Get(Containers[Selected].Name).Console.Split('\n', StringSplitOptions.RemoveEmptyEntries).TakeLast(count)];

    /// <summary>The kernel's own messages (OOM kills, a panic) and host processes' output, last lines.</summary>
    public IReadOnlyList<string> KernelTail(int count) => [.. kernel.HostConsole.Split('\n', StringSplitOptions.RemoveEmptyEntries).TakeLast(count)];

    /// <summary>One bar per container that came up: its name, start-up cycles, and a bar of '#' scaled so the
    /// slowest fills <paramref name="width"/>.</summary>
    public IReadOnlyList<string> StartupChart(int width)
    {
        var up = Containers.Where(c => c.StartupCycles is not null).ToList();
        if (up.Count == 0) return [];
        var slowest = Math.Max(1UL, up.Max(c => c.StartupCycles!.Value));
        return [.. up.Select(c => $"{c.Name,-12} {c.StartupCycles,9:N0} {new string('#', (int)Math.Max(1, (ulong)width * c.StartupCycles!.Value / slowest))}")];
    }

    /// <summary>Reads the kernel again.</summary>
    public ContainersViewModel Refresh()
    {
        Containers = [.. kernel.Containers.Values.Select(c =>
        {
            var g = c.Group;
            var state = c.Running ? "running" : $"stopped: {c.StoppedBecause}";
            var memory = $"{g.MemoryCurrent / 1024} KiB / {(g.MemoryMaxPages is { } m ? $"{m * 4} KiB" : "max")}, oom_kill {g.MemoryEventsOomKill}";
            var pids = $"{g.PidsCurrent} / {(g.Limits.PidsMax?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "max")}";
            var cpu = $"{g.Read("cpu.max").Trim()}, throttled {g.CpuThrottledPeriods}";
            return new ContainerRow(c.Name, c.Spec.Image, state, memory, pids, cpu, c.FirstOutputAt - c.StartedAt);
        })];
        Select(Selected);
        return this;
    }
}
