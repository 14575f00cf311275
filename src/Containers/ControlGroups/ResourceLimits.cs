namespace VirtualizationWorkbench.Containers.ControlGroups;

/// <summary>The limits of one control group; null means <c>max</c> (no limit).</summary>
/// <param name="MemoryMax">memory.max in bytes (rounded down to whole pages).</param>
/// <param name="PidsMax">pids.max: how many processes the group may hold.</param>
/// <param name="Cpu">cpu.max.</param>
public sealed record ResourceLimits(ulong? MemoryMax = null, int? PidsMax = null, CpuMax? Cpu = null)
{
    /// <summary>No limits.</summary>
    public static ResourceLimits None { get; } = new();

    /// <summary>Refuses limits that could never let a process run, or that promise more than the machine has.</summary>
    /// <exception cref="ContainerError">Which limit is wrong, and what would do.</exception>
    public void Validate(ulong machineBytes)
    {
        const ulong page = Memory.UserLayout.PageSize;
        if (MemoryMax is { } memory)
        {
            // Smallest that runs anything: a page directory, a page table, a code page and a stack page.
            if (memory < 4 * page) throw new ContainerError($"memory.max {memory} is too small: a process needs at least {4 * page} bytes (4 pages); use 'max' for no limit");
            if (memory > machineBytes) throw new ContainerError($"memory.max {memory} is more than the machine's {machineBytes} bytes of RAM; use at most {machineBytes}, or 'max'");
        }
        if (PidsMax is { } pids && pids < 1) throw new ContainerError($"pids.max {pids}: a container needs at least 1 process (its init); use 'max' for no limit");
        if (PidsMax is > 4096) throw new ContainerError($"pids.max {PidsMax}: this kernel holds at most 4096 processes; use 'max' for no limit");
        if (Cpu is { } cpu)
        {
            if (cpu.Period is < 1_000 or > 10_000_000) throw new ContainerError($"cpu.max period {cpu.Period}: use 1000 to 10000000 cycles");
            if (cpu.Quota < 1_000) throw new ContainerError($"cpu.max quota {cpu.Quota}: use at least 1000 cycles per period, or 'max'");
            if (cpu.Quota > cpu.Period) throw new ContainerError($"cpu.max quota {cpu.Quota} is more than its period {cpu.Period}: this machine has one core, so a group can use at most one period per period");
        }
    }

    /// <summary>
    /// Parses the cgroup files' syntax: <paramref name="memoryMax"/> bytes (with K, M or G) or <c>max</c>,
    /// <paramref name="pidsMax"/> a count or <c>max</c>, <paramref name="cpuMax"/> <c>"QUOTA PERIOD"</c>,
    /// <c>"QUOTA"</c> or <c>max</c>.
    /// </summary>
    /// <exception cref="ContainerError">A value is not in that syntax.</exception>
    public static ResourceLimits Parse(string? memoryMax, string? pidsMax, string? cpuMax) =>
        new(ParseBytes(memoryMax), ParseCount(pidsMax), ParseCpu(cpuMax));

    private static bool IsMax(string? text) => text is null || text.Trim() is "" or "max";

    private static ulong? ParseBytes(string? text)
    {
        if (IsMax(text)) return null;
        var t = text!.Trim();
        var unit = char.ToUpperInvariant(t[^1]) switch { 'K' => 1UL << 10, 'M' => 1UL << 20, 'G' => 1UL << 30, _ => 1UL };
        var digits = unit == 1 ? t : t[..^1];
        return ulong.TryParse(digits, out var n) && n <= ulong.MaxValue / unit
            ? n * unit
            : throw new ContainerError($"memory.max '{t}': write a number of bytes (64K, 2M are fine) or 'max'");
    }

    private static int? ParseCount(string? text) =>
        IsMax(text) ? null : int.TryParse(text!.Trim(), out var n) ? n : throw new ContainerError($"pids.max '{text!.Trim()}': write a number of processes or 'max'");

    private static CpuMax? ParseCpu(string? text)
    {
        if (IsMax(text)) return null;
        var parts = text!.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length is 1 or 2 && ulong.TryParse(parts[0], out var quota))
        {
            if (parts.Length == 1) return new CpuMax(quota, CpuMax.DefaultPeriod);
            if (ulong.TryParse(parts[1], out var period)) return new CpuMax(quota, period);
        }
        return parts.Length == 2 && parts[0] == "max" && ulong.TryParse(parts[1], out _)
            ? null
            : throw new ContainerError($"cpu.max '{text.Trim()}': write 'QUOTA PERIOD' in cycles (25000 100000), or 'max'");
    }
}
