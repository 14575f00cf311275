using VirtualizationWorkbench.Machine.Memory;

namespace VirtualizationWorkbench.Labs.PageTables;

/// <summary>Reference solution of lab 06's exercise: see the exercise's comment for the contract.</summary>
public sealed class PageTableUpdates(PhysicalMemory ram, uint domainBase, uint domainSize)
{
    /// <summary>Pinned page tables of the domain: guest-physical page → level (1 table, 2 directory).</summary>
    public Dictionary<uint, int> Pinned { get; } = [];

    /// <summary>How many updates were refused so far.</summary>
    public int Refusals { get; private set; }

    /// <summary>Applies <paramref name="batch"/> in order; returns how many updates were applied before the
    /// first refused one (all of them if none was refused).</summary>
    public int Apply(IReadOnlyList<PageTableUpdate> batch)
    {
        for (var i = 0; i < batch.Count; i++)
        {
            var update = batch[i];
            if (!Valid(update))
            {
                Refusals++;
                return i;
            }
            ram.WriteWord(domainBase + update.EntryAddress, update.Value);
        }
        return batch.Count;
    }

    private bool Valid(PageTableUpdate update)
    {
        var page = update.EntryAddress & 0xFFFF_F000;
        if ((update.EntryAddress & 3) != 0 || !Pinned.TryGetValue(page, out var level)) return false;
        if ((update.Value & 1) == 0) return true;
        var frame = update.Value & 0xFFFF_F000;
        if ((ulong)frame + 4096 > domainSize) return false;
        if (level == 2) return Pinned.TryGetValue(frame, out var l) && l == 1;
        return !Pinned.ContainsKey(frame) || (update.Value & 2) == 0;
    }
}
