namespace VirtualizationWorkbench.Partitioning.Migration;

/// <summary>
/// When pre-copy stops iterating and the partition is suspended for the last copy. Any condition given stops it: a
/// number of rounds, a remaining-page threshold, or a downtime target as QEMU computes it (remaining pages / the
/// link's bandwidth ≤ the limit). Whatever the rule, pre-copy never runs more than <see cref="MaxRounds"/> rounds.
/// </summary>
public sealed record StopRule(string Name, int? Rounds = null, int? RemainingPages = null, double? DowntimeMilliseconds = null)
{
    /// <summary>The hard cap on rounds: a workload that never converges must still move.</summary>
    public const int MaxRounds = 30;

    /// <summary>Xen's simple pre-copy policy (libxc's xg_sr_save.c): stop after 5 iterations or when fewer than
    /// 50 pages are dirty.</summary>
    public static StopRule Xen { get; } = new("xen", Rounds: 5, RemainingPages: 49);

    /// <summary>QEMU's: stop when the remaining pages would take at most <paramref name="milliseconds"/> to send.</summary>
    public static StopRule Qemu(double milliseconds) => new($"qemu-{milliseconds}ms", DowntimeMilliseconds: milliseconds);

    /// <summary>Stop after <paramref name="rounds"/> rounds.</summary>
    public static StopRule After(int rounds) => new($"rounds-{rounds}", Rounds: rounds);

    /// <summary>A rule by name: <c>xen</c>, <c>qemu-MS</c> (e.g. <c>qemu-1</c>) or <c>rounds-N</c>; a
    /// <see cref="PartitionError"/> for anything else.</summary>
    public static StopRule Parse(string rule)
    {
        var invariant = System.Globalization.CultureInfo.InvariantCulture;
        var parsed = rule == "xen" ? Xen
            : rule.StartsWith("qemu-", StringComparison.Ordinal) && double.TryParse(rule[5..].TrimEnd('s', 'm'), invariant, out var ms) ? Qemu(ms)
            : rule.StartsWith("rounds-", StringComparison.Ordinal) && int.TryParse(rule[7..], invariant, out var n) ? After(n)
            : throw new PartitionError($"stop rule '{rule}': use xen, qemu-MS (e.g. qemu-1) or rounds-N");
        parsed.Validate();
        return parsed;
    }

    /// <summary>Whether to stop after <paramref name="rounds"/> rounds with <paramref name="remaining"/> dirty pages.</summary>
    public bool ShouldStop(int rounds, int remaining, MigrationLink link) =>
        rounds >= MaxRounds
        || rounds >= Rounds
        || remaining <= RemainingPages
        || link.MillisecondsFor(remaining) <= DowntimeMilliseconds;

    /// <summary>Throws a <see cref="PartitionError"/> if a condition is out of range.</summary>
    public void Validate()
    {
        if (Rounds is < 1 or > MaxRounds) throw new PartitionError($"stop rule '{Name}': rounds are 1 to {MaxRounds}, not {Rounds}");
        if (RemainingPages is < 0) throw new PartitionError($"stop rule '{Name}': a remaining-page threshold is 0 or more, not {RemainingPages}");
        if (DowntimeMilliseconds is { } ms && !(ms >= 0)) throw new PartitionError($"stop rule '{Name}': a downtime target is 0 ms or more, not {ms}");
    }
}
