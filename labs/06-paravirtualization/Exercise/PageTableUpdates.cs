using VirtualizationWorkbench.Machine.Memory;

namespace VirtualizationWorkbench.Labs.PageTables;

/// <summary>
/// The paravirtual hypervisor's <c>mmu_update</c> hypercall for one domain: the domain's memory is machine RAM
/// [<c>domainBase</c>, <c>domainBase + domainSize</c>), addressed by the domain as guest-physical
/// [0, domainSize). Pages the domain pinned as page tables are in <see cref="Pinned"/> (page address → level: 1
/// for a page table, 2 for a directory). <see cref="Apply"/> applies a batch in order, validating each update,
/// and stops at the first one it refuses. An update is valid when:
/// <list type="number">
/// <item>its entry address is a multiple of 4 and lies in a pinned page;</item>
/// <item>the new value is not present (bit 0 clear) — always allowed — or, if present:
///   <list type="bullet">
///   <item>its frame (bits 31-12) is a page of the domain: frame + 4096 ≤ domainSize;</item>
///   <item>in a directory (level 2), the frame is a pinned page table (level 1);</item>
///   <item>in a page table (level 1), it does not map a pinned page writable (bit 1).</item>
///   </list></item>
/// </list>
/// Write applied entries into <c>ram</c> at <c>domainBase + EntryAddress</c>; never write a refused one.
/// Grade your work with <c>workbench grade 06</c>.
/// </summary>
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
        // TODO: for each update, check it with the rules above; write it with
        // ram.WriteWord(domainBase + update.EntryAddress, update.Value) if it is valid; on the first invalid
        // one, count a refusal and return how many were applied.
        _ = (ram, domainBase, domainSize, batch);
        throw new NotImplementedException($"{nameof(PageTableUpdates)}.{nameof(Apply)}: the validation is yours to write");
    }
}
