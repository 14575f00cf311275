using NUnit.Framework;
using VirtualizationWorkbench.Grading;
using VirtualizationWorkbench.Machine.Memory;

namespace VirtualizationWorkbench.Labs.PageTables.Grading;

/// <summary>Grades <see cref="PageTableUpdates"/>: a domain of 1 MiB at machine 2 MiB, with a directory at
/// 0x10000 and a page table at 0x11000 pinned. Each check goes through <see cref="Observe"/>, so an instructor's
/// grading judges it against the reference solution; the entries, frames and batch lengths come from
/// <see cref="Inputs"/>, so they differ from one grading run to the next.</summary>
[TestFixture]
public sealed partial class PageTableUpdatesTests
{
    private const uint Base = 0x200000, Size = 0x100000, Directory = 0x10000, Table = 0x11000;
    private const uint Present = 1, Writable = 2, User = 4;
    private const int EntriesPerPage = 1024;
    private PhysicalMemory ram = null!;
    private PageTableUpdates updates = null!;

    [SetUp]
    public void Domain()
    {
        ram = new PhysicalMemory(4 * 1024 * 1024);
        updates = new PageTableUpdates(ram, Base, Size);
        updates.Pinned[Table] = 1;
        updates.Pinned[Directory] = 2;
    }

    private uint Entry(uint address) => ram.ReadWord(Base + address);

    private uint[] Entries(IEnumerable<PageTableUpdate> batch) => [.. batch.Select(u => Entry(u.EntryAddress))];

    // Seeded flag bits that the rules do not look at: user, and the three bits left to the kernel (11-9).
    private static uint SpareBits() => (Inputs.Next(0, 2) == 1 ? User : 0) | (uint)Inputs.Next(0, 8) << 9;

    // A present mapping of an ordinary page of the domain (never a pinned one), writable or not.
    private static uint Mapping() => (uint)Inputs.Next(0x20, (int)(Size >> 12)) << 12 | Present | (uint)Inputs.Next(0, 2) * Writable | SpareBits();

    // Valid updates of distinct entries of the page table, in a seeded order, avoiding the entries in avoid.
    private static List<PageTableUpdate> ValidUpdates(int count, params int[] avoid)
    {
        var indices = new List<int>();
        while (indices.Count < count)
        {
            var index = Inputs.Next(0, EntriesPerPage);
            if (!indices.Contains(index) && !avoid.Contains(index)) indices.Add(index);
        }
        return [.. indices.Select(i => new PageTableUpdate(Table + (uint)i * 4, Mapping()))];
    }

    [Test]
    [Property("Points", 2)]
    [Property("Hint", "A valid batch is applied entry by entry at domainBase + EntryAddress, and Apply returns the batch's length.")]
    [Property("Visibility", "visible")]
    public void A_Valid_Batch_Is_Applied_Whole()
    {
        var batch = ValidUpdates(Inputs.Next(2, 40));
        var slot = Inputs.Next(0, batch.Count + 1);
        batch.Insert(slot, new(Directory + (uint)Inputs.Next(0, EntriesPerPage) * 4, Table | Present | Writable | SpareBits()));
        var applied = updates.Apply(batch);
        Observe.That(applied, Is.EqualTo(batch.Count));
        Observe.That(Entries(batch), Is.EqualTo(batch.Select(u => u.Value).ToArray()), "every entry holds its new value");
        Observe.That(updates.Refusals, Is.Zero);
    }

    [Test]
    [Property("Points", 2)]
    [Property("Hint", "A present entry's frame must be a page of the domain: frame + 4096 <= domainSize.")]
    [Property("Visibility", "visible")]
    public void A_Frame_Outside_The_Domain_Is_Refused_And_Stops_The_Batch()
    {
        var (valid, later) = (Inputs.Next(1, 20), Inputs.Next(1, 10));
        var all = ValidUpdates(valid + 1 + later);
        var outside = Size + ((uint)Inputs.Next(0, 0x300) << 12);
        var bad = new PageTableUpdate(all[valid].EntryAddress, outside | Present | SpareBits());
        var (before, after) = (all[..valid], all[(valid + 1)..]);
        var applied = updates.Apply([.. before, bad, .. after]);
        Observe.That(applied, Is.EqualTo(before.Count));
        Observe.That(Entries(before), Is.EqualTo(before.Select(u => u.Value).ToArray()), "what came before the refusal is written");
        Observe.That(Entries([bad, .. after]), Is.EqualTo(new uint[1 + after.Count]), "nothing from the refusal on is written");
        Observe.That(updates.Refusals, Is.EqualTo(1));
    }

    [Test]
    [Property("Points", 2)]
    [Property("Hint", "A page table may map a pinned page (a page table) only read-only: refuse bit 1 there.")]
    [Property("Visibility", "visible")]
    public void A_Page_Table_Is_Never_Mapped_Writable()
    {
        var entry = Table + (uint)Inputs.Next(0, EntriesPerPage) * 4;
        var readOnly = Table | Present | SpareBits();
        Observe.That(updates.Apply([new(entry, Table | Present | Writable | SpareBits())]), Is.Zero, "writable mapping of a page table");
        Observe.That(updates.Apply([new(entry, readOnly)]), Is.EqualTo(1), "read-only is fine");
        Observe.That(Entry(entry), Is.EqualTo(readOnly), "the read-only mapping is written");
        var other = Table + (uint)Inputs.Next(0, EntriesPerPage) * 4;
        Observe.That(updates.Apply([new(other, Directory | Present | Writable | SpareBits())]), Is.Zero, "the directory is pinned too");
    }

    [Test]
    [Property("Points", 2)]
    [Property("Hint", "In a directory (level 2), a present entry must name a pinned page table (level 1).")]
    [Property("Visibility", "visible")]
    public void A_Directory_Entry_Must_Name_A_Pinned_Table()
    {
        var second = (uint)Inputs.Next(0x20, (int)(Size >> 12)) << 12;
        updates.Pinned[second] = 1;
        var entry = Directory + (uint)Inputs.Next(0, EntriesPerPage) * 4;
        var unpinned = (uint)Inputs.Next(0x20, (int)(Size >> 12)) << 12;
        if (unpinned == second) unpinned += 0x1000;
        var named = second | Present | (uint)Inputs.Next(0, 2) * Writable | SpareBits();
        Observe.That(updates.Apply([new(entry, unpinned | Present | Writable | User)]), Is.Zero, "a page that is not a pinned table");
        Observe.That(updates.Apply([new(entry, Directory | Present | Writable | User)]), Is.Zero, "a directory is not a table");
        Observe.That(updates.Apply([new(entry, named)]), Is.EqualTo(1), "a pinned table");
        Observe.That(Entry(entry), Is.EqualTo(named));
    }

    [Test]
    [Property("Points", 1)]
    [Property("Hint", "The entry address must be 4-aligned and inside a pinned page.")]
    [Property("Visibility", "visible")]
    public void Only_Entries_Of_Pinned_Tables_May_Be_Written()
    {
        var notATable = (uint)Inputs.Next(0x20, (int)(Size >> 12)) << 12 | (uint)Inputs.Next(0, EntriesPerPage) * 4;
        var first = ValidUpdates(Inputs.Next(0, 10));
        Observe.That(updates.Apply([.. first, new(notATable, Mapping())]), Is.EqualTo(first.Count), "the entry after the valid ones is not in a page table");
        var unaligned = Table + (uint)Inputs.Next(0, EntriesPerPage) * 4 + (uint)Inputs.Next(1, 4);
        var second = ValidUpdates(Inputs.Next(0, 10));
        Observe.That(updates.Apply([.. second, new(unaligned, Mapping())]), Is.EqualTo(second.Count), "the entry after the valid ones is not aligned");
        Observe.That(ram.ReadWord(Base + (notATable & ~3u)), Is.Zero);
    }

    [Test]
    [Property("Points", 1)]
    [Property("Hint", "Clearing an entry (bit 0 clear) is always allowed, whatever the other bits say.")]
    [Property("Visibility", "visible")]
    public void Unmapping_Is_Always_Allowed()
    {
        var entry = Table + (uint)Inputs.Next(0, EntriesPerPage) * 4;
        updates.Apply([new(entry, Mapping())]);
        // Not present, with bits that would be refused in a present entry: a frame outside the domain, or a page table writable.
        var cleared = Inputs.Choose(0xFFFF_F000u, Size, Table, Directory) | (uint)Inputs.Next(0, 0x800) << 1;
        Observe.That(updates.Apply([new(entry, cleared)]), Is.EqualTo(1));
        Observe.That(Entry(entry), Is.EqualTo(cleared));
    }
}
