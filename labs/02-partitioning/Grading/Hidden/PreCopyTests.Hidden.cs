using NUnit.Framework;
using VirtualizationWorkbench.Grading;

namespace VirtualizationWorkbench.Labs.PreCopy.Grading;

/// <summary>The hidden checks of <see cref="PreCopyTests"/>: graded, never shown in detail, and kept out of the
/// student kit and the installed tool (Grading/Hidden/ is the instructor's).</summary>
public sealed partial class PreCopyTests
{
    // The rules of the exercise's comment, written out again for the checks that need whole round lists.
    private static int[] Expected(DirtyingGuest guest, long ticksPerPage, PreCopyRule rule)
    {
        var dirty = new bool[guest.Pages];
        var rounds = new List<int>();
        var send = Enumerable.Range(0, guest.Pages).ToArray();
        var tick = 0L;
        while (true)
        {
            foreach (var page in send)
            {
                dirty[page] = false;
                foreach (var written in guest.PagesWrittenBetween(tick, tick + ticksPerPage)) dirty[written] = true;
                tick += ticksPerPage;
            }
            rounds.Add(send.Length);
            send = [.. Enumerable.Range(0, guest.Pages).Where(p => dirty[p])];
            if (rounds.Count >= rule.MaxRounds || send.Length <= rule.RemainingPages || send.Length * ticksPerPage <= rule.DowntimeTicks)
            {
                rounds.Add(send.Length);
                return [.. rounds];
            }
        }
    }

    [Test]
    [Property("Points", 3)]
    [Property("Hint", "A page written before it was sent in a round went over with that write: it is dirty only if written after its copy.")]
    [Property("Visibility", "hidden")]
    public void A_Page_Written_Before_Its_Copy_Is_Not_Sent_Again()
    {
        // Writes sweep the cold pages just ahead of the link and wrap: many are written before their copy.
        var pages = Inputs.Next(64, 400);
        var guest = new DirtyingGuest(pages, 1, Inputs.Next(3, 9), 1);
        var ticksPerPage = Inputs.Next(10, 20);
        var rule = new PreCopyRule(Inputs.Next(2, 6), 0, 0);
        Observe.That(PreCopy.Rounds(guest, ticksPerPage, rule), Is.EqualTo(Expected(guest, ticksPerPage, rule)));
    }

    [Test]
    [Property("Points", 3)]
    [Property("Hint", "Follow the rules of the class comment exactly: the order pages are sent in, when a page is clean, when the rule is asked.")]
    [Property("Visibility", "hidden")]
    public void A_Moderate_Writer_Converges_Under_Qemus_Rule()
    {
        var pages = Inputs.Next(128, 512);
        var guest = new DirtyingGuest(pages, Inputs.Next(4, 24), Inputs.Next(20, 60), Inputs.Next(2, 6));
        var ticksPerPage = Inputs.Next(4, 12);
        var rule = new PreCopyRule(30, -1, Inputs.Next(20, 40) * ticksPerPage);
        Observe.That(PreCopy.Rounds(guest, ticksPerPage, rule), Is.EqualTo(Expected(guest, ticksPerPage, rule)));
    }
}
