using VirtualizationWorkbench.Labs;
using VirtualizationWorkbench.Workbench.Terminal.Lessons;

namespace VirtualizationWorkbench.Workbench.Terminal.ViewModels;

/// <summary>
/// Reading one lesson: its Markdown as shown (answers of review questions hidden until asked for) and where its
/// links lead. Laying the text out, scrolling and choosing a link are the lesson view's; following one is here.
/// </summary>
public sealed class LessonViewModel
{
    private readonly string markdown;
    private readonly string curriculumFolder;
    private readonly string? labsFolder;
    private readonly HashSet<int> revealed = [];

    /// <summary>Opens <paramref name="lesson"/>.</summary>
    public LessonViewModel(Lesson lesson, string curriculumFolder, string? labsFolder)
    {
        Lesson = lesson;
        markdown = File.ReadAllText(lesson.Path);
        this.curriculumFolder = curriculumFolder;
        this.labsFolder = labsFolder;
        Show();
    }

    /// <summary>The lesson.</summary>
    public Lesson Lesson { get; }

    /// <summary>The Markdown to show.</summary>
    public string Text { get; private set; } = "";

    /// <summary>How many answers the page holds (hidden or shown).</summary>
    public int Answers { get; private set; }

    /// <summary>The answers shown.</summary>
    public IReadOnlySet<int> Revealed => revealed;

    /// <summary>A line of news: a link that leads outside the workbench, an answer shown.</summary>
    public string? Message { get; private set; }

    /// <summary>
    /// What following <paramref name="url"/> does: an answer link shows or hides that answer (and returns null,
    /// the page changed in place); any other link is resolved to a heading, a lesson, a lab or a place outside.
    /// </summary>
    public LinkTarget? Follow(string url)
    {
        if (url.StartsWith(ShownMarkdown.AnswerLinkPrefix, StringComparison.Ordinal)
            && int.TryParse(url.AsSpan(ShownMarkdown.AnswerLinkPrefix.Length), System.Globalization.CultureInfo.InvariantCulture, out var answer))
        {
            if (!revealed.Remove(answer)) revealed.Add(answer);
            Message = revealed.Contains(answer) ? $"answer {answer} of {Answers} shown" : $"answer {answer} hidden again";
            Show();
            return null;
        }
        var target = LinkTarget.Resolve(url, Lesson.Path, curriculumFolder, labsFolder);
        Message = target.Kind == LinkKind.Outside ? $"not a lesson or a lab; open it outside the workbench: {target.Path}" : null;
        return target;
    }

    private void Show()
    {
        try
        {
            (Text, Answers) = ShownMarkdown.WithAnswersHidden(markdown, revealed);
        }
        catch (LabFormatException e)
        {
            // A lesson too deeply nested to read is shown as its error, not a crash of the whole UI.
            Text = $"This lesson cannot be shown:\n\n    {e.Message}";
            Message = e.Message;
        }
    }
}
