namespace VirtualizationWorkbench.Labs.PreCopy;

/// <summary>
/// The pre-copy loop of live migration (Clark et al., NSDI 2005), in whole ticks of virtual time. The link sends one
/// page every <c>ticksPerPage</c> ticks, starting at tick 0; sending page p from tick t copies it at tick t, and the
/// guest's writes at ticks t to t + ticksPerPage - 1 happen while it goes.
/// <list type="number">
/// <item>Round 1 sends every page, 0 to Pages - 1, in order. Each later round sends the pages dirty at the end of the
/// round before, in increasing order.</item>
/// <item>A page is dirty when the guest wrote it after it was last copied: sending a page makes it clean at the tick
/// it is copied (so a write that came before its copy in the same round does not make it dirty — that would be the
/// "write-not-dirty" waste), and a write while or after it goes makes it dirty.</item>
/// <item>After each round, <see cref="ShouldStop"/> decides with the number of rounds so far and the pages dirty now.
/// If it stops, the guest is suspended and the dirty pages are sent: the stop-and-copy round.</item>
/// </list>
/// Grade your work with <c>workbench grade 02</c>.
/// </summary>
public static class PreCopy
{
    /// <summary>Whether pre-copy stops after <paramref name="rounds"/> rounds with <paramref name="remaining"/> dirty
    /// pages, on a link sending a page every <paramref name="ticksPerPage"/> ticks: any condition of
    /// <paramref name="rule"/> that holds stops it.</summary>
    public static bool ShouldStop(PreCopyRule rule, int rounds, int remaining, long ticksPerPage)
    {
        // TODO: rounds, remaining-page threshold, downtime target (see PreCopyRule).
        _ = (rule, rounds, remaining, ticksPerPage);
        throw new NotImplementedException($"{nameof(PreCopy)}.{nameof(ShouldStop)}: the stop rule is yours to write");
    }

    /// <summary>The pages each round sends, the stop-and-copy round last.</summary>
    public static int[] Rounds(DirtyingGuest guest, long ticksPerPage, PreCopyRule rule)
    {
        // TODO: the round loop (see the class comment).
        _ = (guest, ticksPerPage, rule);
        throw new NotImplementedException($"{nameof(PreCopy)}.{nameof(Rounds)}: the round loop is yours to write");
    }
}
