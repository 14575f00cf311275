namespace VirtualizationWorkbench.Labs.PreCopy;

/// <summary>
/// The pre-copy loop of live migration (Clark et al., NSDI 2005), in whole ticks of virtual time: the reference
/// solution (see the exercise's comment for the rules).
/// </summary>
public static class PreCopy
{
    /// <summary>Whether pre-copy stops: any condition of the rule that holds.</summary>
    public static bool ShouldStop(PreCopyRule rule, int rounds, int remaining, long ticksPerPage) =>
        rounds >= rule.MaxRounds
        || remaining <= rule.RemainingPages
        || remaining * ticksPerPage <= rule.DowntimeTicks;

    /// <summary>The pages each round sends, the stop-and-copy round last.</summary>
    public static int[] Rounds(DirtyingGuest guest, long ticksPerPage, PreCopyRule rule)
    {
        var dirty = new bool[guest.Pages];
        var rounds = new List<int>();
        var send = Enumerable.Range(0, guest.Pages).ToList();
        var tick = 0L;
        while (true)
        {
            foreach (var page in send)
            {
                // Copied now: only a write from this tick on makes it dirty again.
                dirty[page] = false;
                foreach (var written in guest.PagesWrittenBetween(tick, tick + ticksPerPage)) dirty[written] = true;
                tick += ticksPerPage;
            }
            rounds.Add(send.Count);
            var remaining = Enumerable.Range(0, guest.Pages).Where(p => dirty[p]).ToList();
            if (ShouldStop(rule, rounds.Count, remaining.Count, ticksPerPage))
            {
                rounds.Add(remaining.Count);
                return [.. rounds];
            }
            send = remaining;
        }
    }
}
