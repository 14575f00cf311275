namespace VirtualizationWorkbench.Containers.ControlGroups;

/// <summary>cgroup v2's <c>cpu.max</c>: the group may run <paramref name="Quota"/> virtual cycles in every
/// <paramref name="Period"/> (Linux: "$MAX $PERIOD" in microseconds; here the machine's virtual cycles).</summary>
public sealed record CpuMax(ulong Quota, ulong Period)
{
    /// <summary>The default period: 100,000 cycles (Linux's default is 100,000 µs).</summary>
    public const ulong DefaultPeriod = 100_000;

    /// <summary>The file's text: <c>25000 100000</c>.</summary>
    public override string ToString() => $"{Quota} {Period}";
}
