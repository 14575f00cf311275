namespace VirtualizationWorkbench.Labs.MemoryLimits;

/// <summary>How a charge ended (this file is given).</summary>
public enum ChargeEnd
{
    /// <summary>Every page was charged (perhaps after reclaim and OOM kills of other tasks).</summary>
    Charged,
    /// <summary>The charging task itself was killed by the OOM killer (or was dead already): the rest was not charged.</summary>
    TaskKilled,
}

/// <summary>The result of <see cref="MemoryController.Charge"/>.</summary>
/// <param name="End">How it ended.</param>
/// <param name="Charged">Pages charged.</param>
/// <param name="Reclaimed">Clean pages reclaim dropped to make room.</param>
/// <param name="Killed">Pids the OOM killer killed, in order.</param>
public sealed record ChargeResult(ChargeEnd End, long Charged, long Reclaimed, IReadOnlyList<int> Killed);

/// <summary>A group's memory.events: <c>max</c> (pages whose charge hit memory.max), <c>oom</c> (times reclaim
/// could not make room), <c>oom_kill</c> (tasks killed).</summary>
public sealed record MemoryEvents(long Max, long Oom, long OomKill);
