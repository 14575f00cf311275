using Spectre.Console;
using Spectre.Console.Rendering;
using VirtualizationWorkbench.Workbench.Terminal.Input;
using VirtualizationWorkbench.Workbench.Terminal.Lessons;
using VirtualizationWorkbench.Workbench.Terminal.Rendering;
using VirtualizationWorkbench.Workbench.Terminal.ViewModels;

namespace VirtualizationWorkbench.Workbench.Terminal.Screens;

/// <summary>The lesson reader: rendered Markdown, scrolling, search, and links to lessons and labs.</summary>
public sealed class LessonScreen(TerminalContext context, Lesson lesson, string? anchor = null) : IScreen
{
    private readonly LessonViewModel model = new(lesson, context.Catalog.CurriculumFolder, context.Catalog.LabsFolder);
    private string? pendingAnchor = anchor;

    /// <summary>The view-model (for tests).</summary>
    public LessonViewModel Model => model;

    /// <inheritdoc/>
    public string Title => $"Lesson: {lesson.Title}  ({model.Percent}%)";

    /// <inheritdoc/>
    public IReadOnlyList<KeyHint> Keys { get; } =
    [
        new("↑↓ jk", "scroll"), new("PgUp/PgDn Space", "page"), new("g G", "top/end"), new("/", "search"), new("n N", "next/previous match"),
        new("Tab", "next link"), new("Enter", "follow link"), new("q Esc", "back"),
    ];

    /// <inheritdoc/>
    public string? Message => model.Message;

    /// <inheritdoc/>
    public LineEditor? Prompt { get; private set; }

    /// <inheritdoc/>
    public bool Animating => false;

    /// <inheritdoc/>
    public IRenderable Render(int width, int height)
    {
        var text = model.Layout(Math.Min(width - 2, 100), height);
        if (pendingAnchor is { } a)
        {
            model.JumpTo(a);
            pendingAnchor = null;
        }
        var selectedLink = model.SelectedLink >= 0 && model.SelectedLink < text.Links.Count ? text.Links[model.SelectedLink] : null;
        var lines = new List<StyledLine>();
        for (var i = model.Top; i < Math.Min(text.Lines.Count, model.Top + height); i++)
        {
            var line = text.Lines[i];
            if (model.Query is { } q) line = line.Highlight(q, _ => Palette.Match);
            if (selectedLink is not null && selectedLink.Line == i) line = line.Highlight(selectedLink.Text, s => s.Combine(Palette.Selected));
            lines.Add(line.Prefixed(" "));
        }
        return TextBlock.Of(lines, width);
    }

    /// <inheritdoc/>
    public Navigation Handle(KeyInput key)
    {
        if (Prompt is { } prompt)
        {
            prompt.Handle(key);
            if (prompt.Done)
            {
                Prompt = null;
                if (prompt.Submitted) model.Search(prompt.Text);
            }
            return Navigation.Stay;
        }
        if (key.IsBack) return Navigation.Back;
        if (key.Is('/'))
        {
            Prompt = new LineEditor("search");
            return Navigation.Stay;
        }
        if (key.Is('n') || key.Is('N'))
        {
            model.NextMatch(backwards: key.Is('N'));
            return Navigation.Stay;
        }
        if (key.Key is UiKey.Tab or UiKey.BackTab)
        {
            model.NextLink(backwards: key.Key == UiKey.BackTab);
            return Navigation.Stay;
        }
        if (key.Key == UiKey.Enter) return Follow();
        model.Scroll(key.Movement);
        return Navigation.Stay;
    }

    private Navigation Follow()
    {
        var target = model.Follow();
        switch (target?.Kind)
        {
            case LinkKind.Lesson:
                return Navigation.Open(new LessonScreen(context, Lesson.Open(context.Catalog.CurriculumFolder, target.Path), target.Anchor));
            case LinkKind.Lab:
                var lab = context.Catalog.Labs.FirstOrDefault(l => l.Id == target.Path);
                return lab is null ? Navigation.Stay : Navigation.Open(new LabScreen(context, lab, null));
            default:
                return Navigation.Stay;
        }
    }

    /// <inheritdoc/>
    public void Close() { }

    /// <inheritdoc/>
    public void Resume() { }
}
