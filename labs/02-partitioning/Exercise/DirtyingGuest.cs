namespace VirtualizationWorkbench.Labs.PreCopy;

/// <summary>
/// A guest that keeps writing memory while it is being copied, in whole ticks of virtual time. It has
/// <see cref="Pages"/> pages. Its write number k (k = 1, 2, 3, ...) happens at tick k × <see cref="TicksPerWrite"/>
/// and goes to page (k mod <see cref="HotPages"/>) of its hot set (pages 0 to HotPages - 1) — except that, when
/// <see cref="ColdEvery"/> is more than 0, every ColdEvery-th write goes to a cold page instead:
/// HotPages + (k / ColdEvery) mod (Pages - HotPages). (This file is given: do not change it.)
/// </summary>
public sealed record DirtyingGuest(int Pages, int HotPages, long TicksPerWrite, int ColdEvery)
{
    /// <summary>The page write number <paramref name="k"/> (from 1) goes to.</summary>
    public int PageOfWrite(long k) =>
        ColdEvery > 0 && k % ColdEvery == 0 && Pages > HotPages
            ? HotPages + (int)(k / ColdEvery % (Pages - HotPages))
            : (int)(k % HotPages);

    /// <summary>The pages written at ticks <paramref name="from"/> (included) to <paramref name="to"/> (excluded),
    /// in the order written.</summary>
    public IEnumerable<int> PagesWrittenBetween(long from, long to)
    {
        var first = Math.Max(1, (from + TicksPerWrite - 1) / TicksPerWrite);
        for (var k = first; k * TicksPerWrite < to; k++) yield return PageOfWrite(k);
    }
}
