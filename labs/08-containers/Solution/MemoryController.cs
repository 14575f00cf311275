namespace VirtualizationWorkbench.Labs.MemoryLimits;

/// <summary>
/// cgroup v2's memory controller, as the container kernel of this lab applies it (src/Containers/MemoryCharge.cs).
/// Every group has a <c>memory.max</c> in pages (null: <c>max</c>, no limit). Pages are charged <b>one at a time</b>;
/// for each page, while the group's memory.current + 1 would exceed its memory.max:
/// <list type="number">
/// <item>count a <c>max</c> event;</item>
/// <item><b>reclaim</b>: drop clean file pages of the group's live tasks, lowest pid first, until one page fits
/// (each dropped page leaves memory.current);</item>
/// <item>if nothing could be reclaimed, count an <c>oom</c> event and let the <b>OOM killer</b> kill the live task of
/// <b>this group</b> with the most resident pages (ties: the highest pid, the youngest), count <c>oom_kill</c>,
/// and uncharge everything it held. No other group is ever touched. If the victim is the charging task, the charge
/// stops there (<see cref="ChargeEnd.TaskKilled"/>).</item>
/// </list>
/// </summary>
public sealed class MemoryController
{
    private readonly Dictionary<string, long?> limits;
    private readonly SortedDictionary<int, MemoryTask> tasks = [];
    private readonly Dictionary<string, MemoryEvents> events = [];

    /// <summary>A controller for the groups of <paramref name="memoryMaxPages"/> (group → memory.max in pages, or null).</summary>
    public MemoryController(IReadOnlyDictionary<string, long?> memoryMaxPages)
    {
        limits = new Dictionary<string, long?>(memoryMaxPages);
        foreach (var group in limits.Keys) events[group] = new MemoryEvents(0, 0, 0);
    }

    /// <summary>Adds a task, holding nothing yet, to <paramref name="group"/>.</summary>
    public MemoryTask AddTask(int pid, string group)
    {
        if (!limits.ContainsKey(group)) throw new ArgumentException($"no group '{group}'", nameof(group));
        var task = new MemoryTask(pid, group);
        tasks.Add(pid, task);
        return task;
    }

    /// <summary>The task <paramref name="pid"/>.</summary>
    public MemoryTask Task(int pid) => tasks[pid];

    /// <summary>memory.current of <paramref name="group"/>, in pages: what its live tasks hold.</summary>
    public long Current(string group) => tasks.Values.Where(t => t.Group == group && !t.Killed).Sum(t => t.ResidentPages);

    /// <summary>memory.events of <paramref name="group"/>.</summary>
    public MemoryEvents Events(string group) => events[group];

    /// <summary>Charges <paramref name="pages"/> pages to task <paramref name="pid"/> (clean file pages if
    /// <paramref name="fileBacked"/>, else anonymous), one at a time, as the class comment says.</summary>
    public ChargeResult Charge(int pid, long pages, bool fileBacked)
    {
        var task = tasks[pid];
        var group = task.Group;
        long charged = 0, reclaimed = 0;
        var killed = new List<int>();
        for (long i = 0; i < pages; i++)
        {
            while (!task.Killed && limits[group] is { } max && Current(group) + 1 > max)
            {
                events[group] = events[group] with { Max = events[group].Max + 1 };
                var freed = Reclaim(group, Current(group) + 1 - max);
                reclaimed += freed;
                if (freed > 0) continue;
                events[group] = events[group] with { Oom = events[group].Oom + 1 };
                var victim = tasks.Values.Where(t => t.Group == group && !t.Killed)
                    .OrderByDescending(t => t.ResidentPages).ThenByDescending(t => t.Pid).First();
                victim.Killed = true;
                victim.AnonymousPages = 0;
                victim.CleanFilePages = 0;
                killed.Add(victim.Pid);
                events[group] = events[group] with { OomKill = events[group].OomKill + 1 };
            }
            if (task.Killed) return new ChargeResult(ChargeEnd.TaskKilled, charged, reclaimed, killed);
            if (fileBacked) task.CleanFilePages++;
            else task.AnonymousPages++;
            charged++;
        }
        return new ChargeResult(ChargeEnd.Charged, charged, reclaimed, killed);
    }

    // Drops up to `needed` clean file pages of the group's live tasks, lowest pid first.
    private long Reclaim(string group, long needed)
    {
        long freed = 0;
        foreach (var t in tasks.Values.Where(t => t.Group == group && !t.Killed))
        {
            var take = Math.Min(t.CleanFilePages, needed - freed);
            t.CleanFilePages -= take;
            freed += take;
            if (freed == needed) break;
        }
        return freed;
    }
}
