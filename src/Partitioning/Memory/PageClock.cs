namespace VirtualizationWorkbench.Partitioning.Memory;

/// <summary>
/// The clock (second-chance) page replacement algorithm over one partition's resident pages, as the firmware runs
/// it for Active Memory Sharing and Active Memory Expansion. The pages stand in a ring with a hand. To choose a
/// page to take, the hand looks at the page under it: if the hardware set the page's accessed bit in the nested
/// page table since the hand last passed (the guest used it), the hand clears the bit, which gives the page a second
/// chance, and moves on; the first page found unused is the one taken. A page the guest keeps using is never taken;
/// a page it stopped using is taken within one turn of the hand. The hardware sets accessed bits only when it walks
/// the table, so whoever clears them must flush the partition's TLBs before relying on them again (taking the page
/// does: the firmware flushes to unmap it).
/// <code>
///        ┌──► p7 (A=1: clear, pass) ──► p2 (A=0: take) ──► p9 ──┐
///        └─────────────────────────── … ◄──────────────────────┘   hand: the next page to look at
/// </code>
/// </summary>
public sealed class PageClock
{
    private readonly LinkedList<int> ring = new();
    private readonly LinkedListNode<int>?[] nodes;
    private LinkedListNode<int>? hand;

    /// <summary>A clock over logical pages 0 to <paramref name="pages"/> - 1, none of them resident.</summary>
    public PageClock(int pages) => nodes = new LinkedListNode<int>?[pages];

    /// <summary>Resident pages.</summary>
    public int Count => ring.Count;

    /// <summary>The page placed last (the firmware spares it: the instruction that faulted may need it and the page
    /// it faults on at once), or -1.</summary>
    public int Newest { get; private set; } = -1;

    /// <summary>Pages the hand passed because they had been used: second chances given.</summary>
    public long SecondChances { get; private set; }

    /// <summary>Whether <paramref name="page"/> is in the ring.</summary>
    public bool Contains(int page) => nodes[page] is not null;

    /// <summary>The resident pages in the order the hand will look at them.</summary>
    public IEnumerable<int> FromHand()
    {
        var node = hand;
        for (var i = 0; i < ring.Count; i++)
        {
            yield return node!.Value;
            node = node.Next ?? ring.First;
        }
    }

    /// <summary>Puts <paramref name="page"/> in the ring just behind the hand: the last place the hand reaches, so a
    /// page just brought in gets a full turn before it is looked at.</summary>
    public void Add(int page)
    {
        if (nodes[page] is not null) throw new InvalidOperationException($"page {page} is in the clock already");
        nodes[page] = hand is null ? ring.AddLast(page) : ring.AddBefore(hand, page);
        hand ??= nodes[page];
        Newest = page;
    }

    /// <summary>Takes <paramref name="page"/> out of the ring (the hand moves on if it was on it).</summary>
    public void Remove(int page)
    {
        var node = nodes[page] ?? throw new InvalidOperationException($"page {page} is not in the clock");
        if (hand == node) hand = ring.Count == 1 ? null : node.Next ?? ring.First;
        ring.Remove(node);
        nodes[page] = null;
        if (Newest == page) Newest = -1;
    }

    /// <summary>
    /// Turns the hand to the first page, other than <see cref="Newest"/>, whose accessed bit in
    /// <paramref name="table"/> is clear, clearing the bits it passes, and returns it (the hand stays on it; the
    /// caller takes it with <see cref="Remove"/>). At most two turns: after one, every bit it passed is clear.
    /// </summary>
    public int Choose(PartitionPageTable table)
    {
        if (ring.Count < 2) throw new InvalidOperationException("the clock needs a page besides the newest to choose");
        while (true)
        {
            var page = hand!.Value;
            if (page != Newest)
            {
                if (!table.IsAccessed(page)) return page;
                table.ClearAccessed(page);
                SecondChances++;
            }
            hand = hand.Next ?? ring.First;
        }
    }
}
