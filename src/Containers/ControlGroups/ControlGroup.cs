using System.Text;
using VirtualizationWorkbench.Containers.Memory;

namespace VirtualizationWorkbench.Containers.ControlGroups;

/// <summary>
/// One control group with cgroup v2's three controllers and the files a student reads
/// (<see cref="Read"/>): memory (memory.max, memory.current, memory.events), pids (pids.max, pids.current,
/// pids.events) and cpu (cpu.max, cpu.stat). The kernel charges and checks; the group only counts.
/// </summary>
public sealed class ControlGroup(string name, ResourceLimits limits)
{
    /// <summary>Its name: <c>/</c> for the root group, the container's name otherwise.</summary>
    public string Name { get; } = name;

    /// <summary>The limits (change them with <see cref="Kernel.SetLimits"/>).</summary>
    public ResourceLimits Limits { get; internal set; } = limits;

    /// <summary>Frames charged: page directories, page tables and pages of its processes.</summary>
    public ulong MemoryPages { get; internal set; }

    /// <summary>memory.current in bytes.</summary>
    public ulong MemoryCurrent => MemoryPages * UserLayout.PageSize;

    /// <summary>memory.max in whole pages, or null.</summary>
    public ulong? MemoryMaxPages => Limits.MemoryMax / UserLayout.PageSize;

    /// <summary>memory.events <c>max</c>: how many times a charge hit memory.max.</summary>
    public ulong MemoryEventsMax { get; internal set; }

    /// <summary>memory.events <c>oom</c>: how many times reclaim could not make room.</summary>
    public ulong MemoryEventsOom { get; internal set; }

    /// <summary>memory.events <c>oom_kill</c>: processes killed by the OOM killer in this group.</summary>
    public ulong MemoryEventsOomKill { get; internal set; }

    /// <summary>Pages reclaimed from this group (memory.stat <c>pgsteal</c>).</summary>
    public ulong PagesReclaimed { get; internal set; }

    /// <summary>pids.current: processes in the group, zombies included, until reaped.</summary>
    public int PidsCurrent { get; internal set; }

    /// <summary>pids.events <c>max</c>: forks refused at pids.max.</summary>
    public ulong PidsEventsMax { get; internal set; }

    /// <summary>cpu.stat <c>usage</c>: cycles its processes ran.</summary>
    public ulong CpuUsage { get; internal set; }

    /// <summary>cpu.stat <c>nr_periods</c>: periods in which the group ran.</summary>
    public ulong CpuPeriods { get; internal set; }

    /// <summary>cpu.stat <c>nr_throttled</c>: periods in which it used up its quota.</summary>
    public ulong CpuThrottledPeriods { get; internal set; }

    /// <summary>cpu.stat <c>throttled</c>: cycles it spent throttled.</summary>
    public ulong CpuThrottledCycles { get; internal set; }

    // The current period of cpu.max: its index (time / period), cycles used in it, and when throttling began.
    private ulong period = ulong.MaxValue;
    private ulong usedInPeriod;
    private ulong? throttledSince;

    /// <summary>Whether the group may run at <paramref name="now"/>; rolls over to a new period first.</summary>
    internal bool Throttled(ulong now)
    {
        RollPeriod(now);
        return throttledSince is not null;
    }

    /// <summary>When the current period ends (the group is throttled until then).</summary>
    internal ulong PeriodEnd => Limits.Cpu is { } cpu ? (period + 1) * cpu.Period : ulong.MaxValue;

    /// <summary>Cycles the group may still run in the current period.</summary>
    internal ulong QuotaLeft(ulong now)
    {
        RollPeriod(now);
        return Limits.Cpu is { } cpu ? cpu.Quota - Math.Min(cpu.Quota, usedInPeriod) : ulong.MaxValue;
    }

    /// <summary>Charges <paramref name="cycles"/> that ended at <paramref name="now"/>; throttles the group when its
    /// quota for the period is used up.</summary>
    internal void ChargeCpu(ulong cycles, ulong now)
    {
        CpuUsage += cycles;
        if (Limits.Cpu is not { } cpu) return;
        RollPeriod(now);
        usedInPeriod += cycles;
        if (usedInPeriod >= cpu.Quota && throttledSince is null)
        {
            throttledSince = now;
            CpuThrottledPeriods++;
        }
    }

    private void RollPeriod(ulong now)
    {
        if (Limits.Cpu is not { } cpu) return;
        var current = now / cpu.Period;
        if (current == period) return;
        if (throttledSince is { } since) CpuThrottledCycles += current * cpu.Period - since;
        throttledSince = null;
        usedInPeriod = 0;
        period = current;
        CpuPeriods++;
    }

    /// <summary>The names of the files <see cref="Read"/> knows.</summary>
    public static IReadOnlyList<string> Files { get; } =
        ["memory.max", "memory.current", "memory.events", "memory.stat", "pids.max", "pids.current", "pids.events", "cpu.max", "cpu.stat"];

    /// <summary>The text of one of the group's files, as in /sys/fs/cgroup/NAME/FILE.</summary>
    /// <exception cref="ContainerError">No such file.</exception>
    public string Read(string file)
    {
        static string Max<T>(T? value) where T : struct => value?.ToString() ?? "max";
        return file switch
        {
            "memory.max" => Max(MemoryMaxPages * UserLayout.PageSize) + "\n",
            "memory.current" => $"{MemoryCurrent}\n",
            "memory.events" => $"max {MemoryEventsMax}\noom {MemoryEventsOom}\noom_kill {MemoryEventsOomKill}\n",
            "memory.stat" => $"pgsteal {PagesReclaimed}\n",
            "pids.max" => Max(Limits.PidsMax) + "\n",
            "pids.current" => $"{PidsCurrent}\n",
            "pids.events" => $"max {PidsEventsMax}\n",
            "cpu.max" => (Limits.Cpu?.ToString() ?? $"max {CpuMax.DefaultPeriod}") + "\n",
            "cpu.stat" => new StringBuilder()
                .Append($"usage_cycles {CpuUsage}\n")
                .Append($"nr_periods {CpuPeriods}\n")
                .Append($"nr_throttled {CpuThrottledPeriods}\n")
                .Append($"throttled_cycles {CpuThrottledCycles}\n").ToString(),
            _ => throw new ContainerError($"no file '{file}' in a control group: there are {string.Join(", ", Files)}"),
        };
    }
}
