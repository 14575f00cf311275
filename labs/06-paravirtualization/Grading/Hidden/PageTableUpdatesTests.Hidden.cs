using NUnit.Framework;
using VirtualizationWorkbench.Grading;
using VirtualizationWorkbench.Machine.Memory;

namespace VirtualizationWorkbench.Labs.PageTables.Grading;

/// <summary>The hidden checks of <see cref="PageTableUpdatesTests"/>: graded, never shown in detail, and kept out of the student
/// kit and the installed tool (Grading/Hidden/ is the instructor's).</summary>
public sealed partial class PageTableUpdatesTests
{
    [Test]
    [Property("Points", 2)]
    [Property("Hint", "A long batch: count the applied updates exactly and stop at the first bad one.")]
    [Property("Visibility", "hidden")]
    public void A_Long_Batch_Stops_Exactly_At_The_First_Bad_Update()
    {
        var batch = Enumerable.Range(0, 100).Select(i => new PageTableUpdate(Table + (uint)i * 4, ((0x20u + (uint)i) << 12) | 3)).ToList();
        batch[73] = new(Table + 73 * 4, Table | 2 | 1);
        Observe.That(updates.Apply(batch), Is.EqualTo(73));
        Observe.That(Entry(Table + 72 * 4), Is.EqualTo(((0x20u + 72) << 12) | 3));
        Observe.That(Entry(Table + 74 * 4), Is.Zero);
        Observe.That(updates.Refusals, Is.EqualTo(1));
    }
}
