using Terminal.Gui.Input;
using Terminal.Gui.ViewBase;
using Terminal.Gui.Views;
using VirtualizationWorkbench.Labs.Markdown;
using VirtualizationWorkbench.Workbench.Terminal.Lessons;
using VirtualizationWorkbench.Workbench.Terminal.Shell;
using VirtualizationWorkbench.Workbench.Terminal.ViewModels;

namespace VirtualizationWorkbench.Workbench.Terminal.Screens;

/// <summary>The lesson reader: the lesson's Markdown formatted (headings, emphasis, code, tables), scrolled with
/// the keys or the wheel; Tab picks a link and Enter (or a click) follows it to a heading, a lesson or a lab.</summary>
public sealed class LessonScreen : Screen
{
    private readonly TerminalContext context;
    private readonly LessonViewModel model;
    private readonly Markdown text = new() { Width = Dim.Fill(), Height = Dim.Fill(), CanFocus = true, MarkdownPipeline = LabMarkdown.Pipeline };

    /// <summary>Opens <paramref name="lesson"/>, at the heading <paramref name="anchor"/> if given.</summary>
    public LessonScreen(TerminalContext context, Lesson lesson, string? anchor = null)
    {
        this.context = context;
        model = new LessonViewModel(lesson, context.Catalog.CurriculumFolder, context.Catalog.LabsFolder);
        text.Text = model.Text;
        text.LinkClicked += (_, e) =>
        {
            e.Handled = true;
            Follow(e.Url);
        };
        Add(text);
        Bind("page down", () => text.ScrollVertical(Math.Max(1, text.Viewport.Height - 1)), Key.Space);
        Bind("page up", () => text.ScrollVertical(-Math.Max(1, text.Viewport.Height - 1)), Key.B);
        BindQuietly("top", () => text.Viewport = text.Viewport with { Y = 0 }, Key.G);
        if (anchor is not null) text.SubViewsLaidOut += (_, _) => ScrollOnce(anchor);
    }

    /// <summary>The view-model (for tests).</summary>
    public LessonViewModel Model => model;

    /// <inheritdoc/>
    public override string Heading => $"Lesson: {model.Lesson.Title}  (Tab: next link, Enter: follow)";

    private bool scrolled;

    private void ScrollOnce(string anchor)
    {
        if (scrolled) return;
        scrolled = true;
        text.ScrollToAnchor(anchor);
    }

    private void Follow(string url)
    {
        var target = model.Follow(url);
        switch (target?.Kind)
        {
            case null:
                var top = text.Viewport.Y;
                text.Text = model.Text;
                text.Viewport = text.Viewport with { Y = top };
                break;
            case LinkKind.Anchor:
                text.ScrollToAnchor(target.Anchor ?? "");
                break;
            case LinkKind.Lesson:
                Shell.Open(new LessonScreen(context, Lesson.Open(context.Catalog.CurriculumFolder, target.Path), target.Anchor));
                return;
            case LinkKind.Lab:
                if (context.Catalog.Labs.FirstOrDefault(l => l.Id == target.Path) is { } lab) Shell.Open(new LabScreen(context, lab, null));
                return;
        }
        Say(model.Message);
    }
}
