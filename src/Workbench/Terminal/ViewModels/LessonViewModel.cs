using VirtualizationWorkbench.Labs;
using VirtualizationWorkbench.Workbench.Terminal.Input;
using VirtualizationWorkbench.Workbench.Terminal.Lessons;
using VirtualizationWorkbench.Workbench.Terminal.Rendering;

namespace VirtualizationWorkbench.Workbench.Terminal.ViewModels;

/// <summary>
/// Reading one lesson: the Markdown laid out for the window's width, the scroll position, a search with its
/// matches, and the links on the page (selected with Tab, followed with Enter).
/// </summary>
public sealed class LessonViewModel
{
    private readonly string markdown;
    private readonly string curriculumFolder;
    private readonly string? labsFolder;
    private LaidOutDocument? laid;
    private List<int> matches = [];

    /// <summary>Opens <paramref name="lesson"/>.</summary>
    public LessonViewModel(Lesson lesson, string curriculumFolder, string? labsFolder)
    {
        Lesson = lesson;
        markdown = File.ReadAllText(lesson.Path);
        this.curriculumFolder = curriculumFolder;
        this.labsFolder = labsFolder;
    }

    /// <summary>The lesson.</summary>
    public Lesson Lesson { get; }

    /// <summary>The first line in view.</summary>
    public int Top { get; private set; }

    /// <summary>Lines in view, as of the last <see cref="Layout"/>.</summary>
    public int Height { get; private set; } = 20;

    /// <summary>The search text, or null when none is active.</summary>
    public string? Query { get; private set; }

    /// <summary>Lines that match the search, in order.</summary>
    public IReadOnlyList<int> Matches => matches;

    /// <summary>The match the view is on (index into <see cref="Matches"/>), or -1.</summary>
    public int CurrentMatch { get; private set; } = -1;

    /// <summary>The selected link (index into the laid-out links), or -1.</summary>
    public int SelectedLink { get; private set; } = -1;

    /// <summary>A line of news: a failed search, a link that cannot be opened.</summary>
    public string? Message { get; private set; }

    /// <summary>The lesson laid out for <paramref name="width"/> columns and <paramref name="height"/> rows; a new
    /// width lays it out again and keeps the reader at the same place in the text.</summary>
    public LaidOutDocument Layout(int width, int height)
    {
        Height = Math.Max(1, height);
        if (laid is null || laid.Width != Math.Max(20, width))
        {
            var fraction = laid is null || laid.Lines.Count == 0 ? 0 : (double)Top / laid.Lines.Count;
            try
            {
                laid = MarkdownLayout.Layout(markdown, width);
            }
            catch (LabFormatException e)
            {
                // A lesson too deeply nested to read is shown as its error, not a crash of the whole UI.
                laid = MarkdownLayout.Layout($"This lesson cannot be shown:\n\n    {e.Message}", width);
                Message = e.Message;
            }
            Top = (int)(fraction * laid.Lines.Count);
            if (Query is not null) FindMatches(Query);
        }
        Top = Math.Clamp(Top, 0, MaxTop);
        return laid;
    }

    private LaidOutDocument Laid => laid ?? Layout(80, Height);

    private int MaxTop => Math.Max(0, Laid.Lines.Count - Height);

    /// <summary>Percentage of the text above the bottom of the view.</summary>
    public int Percent => Laid.Lines.Count == 0 ? 100 : Math.Min(100, (Top + Height) * 100 / Laid.Lines.Count);

    /// <summary>Scrolls by a movement key; returns false for other keys.</summary>
    public bool Scroll(UiKey movement)
    {
        var to = movement switch
        {
            UiKey.Up => Top - 1,
            UiKey.Down => Top + 1,
            UiKey.PageUp => Top - Math.Max(1, Height - 2),
            UiKey.PageDown => Top + Math.Max(1, Height - 2),
            UiKey.Home => 0,
            UiKey.End => MaxTop,
            _ => (int?)null,
        };
        if (to is null) return false;
        Top = Math.Clamp(to.Value, 0, MaxTop);
        return true;
    }

    /// <summary>Searches for <paramref name="query"/> (ignoring case) and shows the first match at or below the
    /// top of the view.</summary>
    public void Search(string query)
    {
        Message = null;
        if (string.IsNullOrWhiteSpace(query))
        {
            Query = null;
            matches = [];
            CurrentMatch = -1;
            return;
        }
        Query = query;
        FindMatches(query);
        if (matches.Count == 0)
        {
            Message = $"'{query}' is not in this lesson";
            CurrentMatch = -1;
            return;
        }
        var next = matches.FindIndex(line => line >= Top);
        Go(next < 0 ? 0 : next);
    }

    /// <summary>Goes to the next (or previous) match, wrapping around.</summary>
    public void NextMatch(bool backwards = false)
    {
        if (matches.Count == 0)
        {
            Message = Query is null ? "search first with /" : $"'{Query}' is not in this lesson";
            return;
        }
        Go(((CurrentMatch < 0 ? 0 : CurrentMatch + (backwards ? -1 : 1)) + matches.Count) % matches.Count);
    }

    private void Go(int match)
    {
        CurrentMatch = match;
        Message = $"match {match + 1} of {matches.Count}";
        Reveal(matches[match]);
    }

    private void FindMatches(string query) =>
        matches = [.. Laid.Lines.Select((line, i) => (line, i)).Where(x => x.line.Plain.Contains(query, StringComparison.OrdinalIgnoreCase)).Select(x => x.i)];

    private void Reveal(int line)
    {
        if (line < Top || line >= Top + Height) Top = Math.Clamp(line - Height / 3, 0, MaxTop);
    }

    /// <summary>Selects the next (or previous) link and brings it into view.</summary>
    public void NextLink(bool backwards = false)
    {
        var count = Laid.Links.Count;
        if (count == 0)
        {
            Message = "this lesson has no links";
            return;
        }
        if (SelectedLink < 0)
        {
            // Start from the first link in view, so Tab picks something the reader can see.
            var inView = Math.Max(0, Laid.Links.ToList().FindIndex(l => l.Line >= Top));
            SelectedLink = backwards ? (inView - 1 + count) % count : inView;
        }
        else
        {
            SelectedLink = (SelectedLink + (backwards ? count - 1 : 1)) % count;
        }
        var link = Laid.Links[SelectedLink];
        Message = $"link: {link.Text} → {link.Url}";
        Reveal(link.Line);
    }

    /// <summary>Where the selected link leads (a heading of this page is jumped to at once); null if no link is
    /// selected.</summary>
    public LinkTarget? Follow()
    {
        if (SelectedLink < 0 || SelectedLink >= Laid.Links.Count)
        {
            Message = "select a link with Tab first";
            return null;
        }
        var target = LinkTarget.Resolve(Laid.Links[SelectedLink].Url, Lesson.Path, curriculumFolder, labsFolder);
        if (target.Kind == LinkKind.Anchor && target.Anchor is not null) JumpTo(target.Anchor);
        if (target.Kind == LinkKind.Outside) Message = $"not a lesson or a lab; open it outside the workbench: {target.Path}";
        return target;
    }

    /// <summary>Scrolls to the heading with id <paramref name="anchor"/>.</summary>
    public void JumpTo(string anchor)
    {
        var heading = Laid.Headings.FirstOrDefault(h => h.Id == anchor);
        if (heading is null)
        {
            Message = $"no heading #{anchor} in this lesson";
            return;
        }
        Top = Math.Clamp(heading.Line, 0, MaxTop);
    }
}
