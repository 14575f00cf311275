using NUnit.Framework;
using VirtualizationWorkbench.Grading;
using VirtualizationWorkbench.Machine.Memory;

namespace VirtualizationWorkbench.Labs.PageTables.Grading;

/// <summary>Grades <see cref="PageTableUpdates"/>: a domain of 1 MiB at machine 2 MiB, with a directory at
/// 0x10000 and a page table at 0x11000 pinned.</summary>
[TestFixture]
public sealed partial class PageTableUpdatesTests
{
    private const uint Base = 0x200000, Size = 0x100000, Directory = 0x10000, Table = 0x11000;
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

    [Test]
    [Property("Points", 2)]
    [Property("Hint", "A valid batch is applied entry by entry at domainBase + EntryAddress, and Apply returns the batch's length.")]
    [Property("Visibility", "visible")]
    public void A_Valid_Batch_Is_Applied_Whole()
    {
        var applied = updates.Apply([new(Table + 4, 0x1003), new(Table + 8, 0x2007), new(Directory, Table | 7)]);
        Observe.That(applied, Is.EqualTo(3));
        Observe.That((Entry(Table + 4), Entry(Table + 8), Entry(Directory)), Is.EqualTo((0x1003u, 0x2007u, Table | 7u)));
        Observe.That(updates.Refusals, Is.Zero);
    }

    [Test]
    [Property("Points", 2)]
    [Property("Hint", "A present entry's frame must be a page of the domain: frame + 4096 <= domainSize.")]
    [Property("Visibility", "visible")]
    public void A_Frame_Outside_The_Domain_Is_Refused_And_Stops_The_Batch()
    {
        var applied = updates.Apply([new(Table + 4, 0x1003), new(Table + 8, Size | 3), new(Table + 12, 0x3003)]);
        Observe.That(applied, Is.EqualTo(1));
        Observe.That((Entry(Table + 8), Entry(Table + 12)), Is.EqualTo((0u, 0u)), "nothing after the refusal is written");
        Observe.That(updates.Refusals, Is.EqualTo(1));
    }

    [Test]
    [Property("Points", 2)]
    [Property("Hint", "A page table may map a pinned page (a page table) only read-only: refuse bit 1 there.")]
    [Property("Visibility", "visible")]
    public void A_Page_Table_Is_Never_Mapped_Writable()
    {
        Observe.That(updates.Apply([new(Table + 16, Table | 3)]), Is.Zero, "writable mapping of a page table");
        Observe.That(updates.Apply([new(Table + 16, Table | 1)]), Is.EqualTo(1), "read-only is fine");
        Observe.That(updates.Apply([new(Table + 20, Directory | 7)]), Is.Zero, "the directory is pinned too");
    }

    [Test]
    [Property("Points", 2)]
    [Property("Hint", "In a directory (level 2), a present entry must name a pinned page table (level 1).")]
    [Property("Visibility", "visible")]
    public void A_Directory_Entry_Must_Name_A_Pinned_Table()
    {
        Observe.That(updates.Apply([new(Directory + 4, 0x5007)]), Is.Zero, "0x5000 is not a pinned table");
        Observe.That(updates.Apply([new(Directory + 4, Directory | 7)]), Is.Zero, "a directory is not a table");
        Observe.That(updates.Apply([new(Directory + 4, Table | 7)]), Is.EqualTo(1));
    }

    [Test]
    [Property("Points", 1)]
    [Property("Hint", "The entry address must be 4-aligned and inside a pinned page.")]
    [Property("Visibility", "visible")]
    public void Only_Entries_Of_Pinned_Tables_May_Be_Written()
    {
        Observe.That(updates.Apply([new(0x20000, 0x1003)]), Is.Zero, "0x20000 is not a page table");
        Observe.That(updates.Apply([new(Table + 2, 0x1003)]), Is.Zero, "not aligned");
        Observe.That(Entry(0x20000), Is.Zero);
    }

    [Test]
    [Property("Points", 1)]
    [Property("Hint", "Clearing an entry (bit 0 clear) is always allowed, whatever the other bits say.")]
    [Property("Visibility", "visible")]
    public void Unmapping_Is_Always_Allowed()
    {
        updates.Apply([new(Table + 4, 0x1003)]);
        Observe.That(updates.Apply([new(Table + 4, 0xFFFF_FFFE)]), Is.EqualTo(1));
        Observe.That(Entry(Table + 4), Is.EqualTo(0xFFFF_FFFEu));
    }
}
