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
/// Grade your work with <c>workbench grade 08</c>.
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
        // TODO: for each page: while the group would go over its limit, count a max event, reclaim, and if
        // reclaim found nothing, count oom, choose the victim (largest live task of the group, ties: highest
        // pid), kill it (Killed = true, its pages uncharged: set both counts to 0) and count oom_kill.
        // Stop with TaskKilled if the victim is the charging task (or it was dead to begin with).
        // Then add the page to the task (CleanFilePages or AnonymousPages).
        _ = (pid, pages, fileBacked);
        throw new NotImplementedException($"{nameof(MemoryController)}.{nameof(Charge)}: charging is yours to write");
    }
}
