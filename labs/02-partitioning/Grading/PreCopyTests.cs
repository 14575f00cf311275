using NUnit.Framework;
using VirtualizationWorkbench.Grading;

namespace VirtualizationWorkbench.Labs.PreCopy.Grading;

/// <summary>Grades <see cref="PreCopy"/>: the stop rule, and the round loop on guests whose rounds follow from the
/// rules alone.</summary>
[TestFixture]
public sealed partial class PreCopyTests
{
    // Rule values, page counts and speeds come from the grading run's seed (Inputs), so every check observes values a
    // submission cannot know in advance.
    private static PreCopyRule Never() => new(int.MaxValue, -1, -1);

    [Test]
    [Property("Points", 2)]
    [Property("Hint", "Stop once the rounds done reach MaxRounds (Xen stops after 5).")]
    [Property("Visibility", "visible")]
    public void Stops_After_The_Rounds_Limit()
    {
        var max = Inputs.Next(2, 30);
        var rule = Never() with { MaxRounds = max };
        var remaining = Inputs.Next(100, 1000);
        Observe.That(new[] { PreCopy.ShouldStop(rule, max - 1, remaining, 10), PreCopy.ShouldStop(rule, max, remaining, 10), PreCopy.ShouldStop(rule, max + 1, remaining, 10) },
            Is.EqualTo(new[] { false, true, true }));
    }

    [Test]
    [Property("Points", 2)]
    [Property("Hint", "Stop when at most RemainingPages pages are dirty (Xen: fewer than 50).")]
    [Property("Visibility", "visible")]
    public void Stops_When_Few_Pages_Remain()
    {
        var threshold = Inputs.Next(1, 200);
        var rule = Never() with { RemainingPages = threshold };
        Observe.That(new[] { PreCopy.ShouldStop(rule, 1, threshold + 1, 10), PreCopy.ShouldStop(rule, 1, threshold, 10), PreCopy.ShouldStop(rule, 1, 0, 10) },
            Is.EqualTo(new[] { false, true, true }));
    }

    [Test]
    [Property("Points", 2)]
    [Property("Hint", "QEMU's rule: the dirty pages take remaining × ticksPerPage ticks to send; stop when that is at most the downtime limit.")]
    [Property("Visibility", "visible")]
    public void Stops_When_The_Rest_Fits_In_The_Downtime_Target()
    {
        var ticksPerPage = Inputs.Next(2, 50);
        var pages = Inputs.Next(10, 500);
        var rule = Never() with { DowntimeTicks = pages * ticksPerPage };
        Observe.That(new[] { PreCopy.ShouldStop(rule, 1, pages + 1, ticksPerPage), PreCopy.ShouldStop(rule, 1, pages, ticksPerPage), PreCopy.ShouldStop(rule with { DowntimeTicks = pages * ticksPerPage - 1 }, 1, pages, ticksPerPage) },
            Is.EqualTo(new[] { false, true, false }));
    }

    [Test]
    [Property("Points", 2)]
    [Property("Hint", "Round 1 sends every page, whatever the guest does.")]
    [Property("Visibility", "visible")]
    public void Round_One_Sends_Every_Page()
    {
        var pages = Inputs.Next(16, 600);
        var guest = new DirtyingGuest(pages, Inputs.Next(1, 16), Inputs.Next(1, 40), Inputs.Next(0, 5));
        var rounds = PreCopy.Rounds(guest, Inputs.Next(2, 40), new PreCopyRule(Inputs.Next(1, 6), 0, 0));
        Observe.That(rounds[0], Is.EqualTo(pages));
    }

    [Test]
    [Property("Points", 2)]
    [Property("Hint", "A guest that writes nothing while it is copied leaves nothing dirty: one round, then an empty stop-and-copy.")]
    [Property("Visibility", "visible")]
    public void An_Idle_Guest_Moves_In_One_Round()
    {
        var pages = Inputs.Next(16, 600);
        var ticksPerPage = Inputs.Next(2, 40);
        // Its first write comes after the whole memory has been sent.
        var guest = new DirtyingGuest(pages, 4, pages * ticksPerPage + 1, 0);
        Observe.That(PreCopy.Rounds(guest, ticksPerPage, new PreCopyRule(5, 0, 0)), Is.EqualTo(new[] { pages, 0 }));
    }

    [Test]
    [Property("Points", 3)]
    [Property("Hint", "A hot set rewritten faster than a round sends it is dirty again after every round: each later round sends all of it, and the rounds limit ends the loop.")]
    [Property("Visibility", "visible")]
    public void A_Hot_Set_Comes_Back_Every_Round()
    {
        var hot = Inputs.Next(4, 64);
        var pages = hot + Inputs.Next(16, 400);
        var max = Inputs.Next(2, 8);
        // One write per tick and at least `hot` ticks per page: every hot page is written after it is sent.
        var rounds = PreCopy.Rounds(new DirtyingGuest(pages, hot, 1, 0), hot + Inputs.Next(0, 8), new PreCopyRule(max, 0, 0));
        Observe.That(rounds, Is.EqualTo(new[] { pages }.Concat(Enumerable.Repeat(hot, max)).ToArray()));
    }
}
