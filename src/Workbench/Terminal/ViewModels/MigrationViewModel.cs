using VirtualizationWorkbench.Labs.Scripting;

namespace VirtualizationWorkbench.Workbench.Terminal.ViewModels;

/// <summary>
/// What lab 02's migration screen shows of one <c>lab.migrate(…)</c>: how it was asked for, what it cost, and its
/// rounds drawn as charts (pages sent and time per round; the last round is the stop-and-copy, the guest stopped).
/// </summary>
public sealed class MigrationViewModel(ScriptMigration migration)
{
    /// <summary>The migration asked for, e.g. "moderate by pre-copy (xen) over 1000 Mbit/s".</summary>
    public string Title => $"{migration.Workload} by {migration.Mode}{(migration.StopRule != "" ? $" ({migration.StopRule})" : "")} over {migration.MegabitsPerSecond:0.###} Mbit/s"
        + (migration.ClearDirtyOnSend ? "" : ", pages dirty from the start of their round");

    /// <summary>What it cost and whether the guest came through, one line each.</summary>
    public IReadOnlyList<string> Summary
    {
        get
        {
            var r = migration.Result;
            var lines = new List<string>
            {
                $"rounds: {r.Rounds.Count}, pages sent: {r.TotalPages:N0}",
                $"downtime: {r.DowntimeMilliseconds:0.###} ms (virtual), total: {r.TotalMilliseconds:0.###} ms",
                $"memory at the switch: {(r.MemoryMatches ? "equal (hash)" : "DIFFERENT")}; the guest's output {(r.GuestContinued ? "went on, in order, on the target" : "did NOT go on")}",
                $"dirty-page faults (write protection): {r.DirtyFaults:N0}",
            };
            if (r.DemandFetches > 0 || r.PushedAfterSwitch > 0) lines.Add($"after the switch: {r.DemandFetches:N0} pages fetched on demand, {r.PushedAfterSwitch:N0} pushed");
            return lines;
        }
    }

    /// <summary>The rounds as two charts: pages sent per round, and each round's time.</summary>
    public IReadOnlyList<BarChart> Charts
    {
        get
        {
            var rounds = migration.Result.Rounds;
            string Label(int i) => i == rounds.Count - 1 ? $"round {i + 1} (stopped)" : $"round {i + 1}";
            return
            [
                new BarChart("Pages sent per round", "pages", [.. rounds.Select((x, i) => new BarGroup(Label(i), [new Bar("pages", x.Pages)]))]),
                new BarChart("Time per round", "virtual ms", [.. rounds.Select((x, i) => new BarGroup(Label(i), [new Bar("ms", x.Milliseconds)]))]),
            ];
        }
    }
}
