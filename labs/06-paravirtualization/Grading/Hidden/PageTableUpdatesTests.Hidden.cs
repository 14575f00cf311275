using NUnit.Framework;
using VirtualizationWorkbench.Grading;

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
        var length = Inputs.Next(64, 200);
        var firstBad = Inputs.Next(length / 2, length - 1);
        var batch = Enumerable.Range(0, length).Select(i => new PageTableUpdate(Table + (uint)i * 4, ((0x20u + (uint)i) << 12) | 3)).ToList();
        batch[firstBad] = new(Table + (uint)firstBad * 4, Table | Writable | Present);
        Observe.That(updates.Apply(batch), Is.EqualTo(firstBad));
        Observe.That(Entry(Table + (uint)(firstBad - 1) * 4), Is.EqualTo(batch[firstBad - 1].Value));
        Observe.That(Entry(Table + (uint)firstBad * 4), Is.Zero);
        Observe.That(updates.Refusals, Is.EqualTo(1));
    }
}
