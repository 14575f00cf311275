using Spectre.Console;
using Spectre.Console.Rendering;
using VirtualizationWorkbench.Workbench.Terminal.Input;
using VirtualizationWorkbench.Workbench.Terminal.Lessons;
using VirtualizationWorkbench.Workbench.Terminal.Rendering;
using VirtualizationWorkbench.Workbench.Terminal.ViewModels;

namespace VirtualizationWorkbench.Workbench.Terminal.Screens;

/// <summary>The home screen: continue, labs with progress, lessons, tools.</summary>
public sealed class HomeScreen(TerminalContext context) : IScreen
{
    private readonly HomeViewModel model = new(context.Catalog, context.Store);
    private string? message;
    private HomeItemKind? asking;

    /// <summary>The view-model (for tests).</summary>
    public HomeViewModel Model => model;

    /// <inheritdoc/>
    public string Title => "Home";

    /// <inheritdoc/>
    public IReadOnlyList<KeyHint> Keys { get; } =
    [
        new("↑↓ jk", "move"), new("Enter", "open"), new("i", "inspect a program"), new("p", "open a package"), new("q", "quit"),
    ];

    /// <inheritdoc/>
    public string? Message => message ?? model.Message;

    /// <inheritdoc/>
    public LineEditor? Prompt { get; private set; }

    /// <inheritdoc/>
    public bool Animating => false;

    /// <inheritdoc/>
    public IRenderable Render(int width, int height)
    {
        var lines = new List<StyledLine>();
        var selectedLine = 0;
        string? section = null;
        var labelWidth = Math.Max(20, width - 34);
        for (var i = 0; i < model.Items.Count; i++)
        {
            var item = model.Items[i];
            if (item.Section != section)
            {
                if (section is not null) lines.Add(StyledLine.Empty);
                lines.Add(StyledLine.Of(item.Section, Palette.Heading2));
                section = item.Section;
            }
            var label = item.Label.Length > labelWidth ? item.Label[..(labelWidth - 1)] + "…" : item.Label.PadRight(labelWidth);
            var line = new StyledLine([new StyledSpan("  " + label + "  ", Style.Plain), new StyledSpan(item.Detail, Palette.Dim)]);
            if (i == model.Cursor.Selected)
            {
                selectedLine = lines.Count;
                line = StyledLine.Of(("▶ " + label + "  " + item.Detail).PadRight(width), Palette.Selected);
            }
            lines.Add(line);
        }
        var top = selectedLine < height - 1 ? 0 : selectedLine - height + 2;
        return TextBlock.Of(lines.Skip(top).Take(height), width);
    }

    /// <inheritdoc/>
    public Navigation Handle(KeyInput key)
    {
        message = null;
        if (Prompt is { } prompt)
        {
            prompt.Handle(key);
            if (!prompt.Done) return Navigation.Stay;
            Prompt = null;
            return prompt.Submitted ? OpenTool(asking!.Value, prompt.Text.Trim()) : Navigation.Stay;
        }
        if (key.IsBack) return Navigation.Back;
        if (key.Is('i')) return Ask(HomeItemKind.Inspector);
        if (key.Is('p')) return Ask(HomeItemKind.Packager);
        if (model.Cursor.Move(key.Movement, 10)) return Navigation.Stay;
        if (key.Key == UiKey.Enter && model.Selected is { } item) return Open(item);
        return Navigation.Stay;
    }

    /// <inheritdoc/>
    public void Close() { }

    /// <summary>Called when the screen is shown again: progress may have changed underneath.</summary>
    public void Resume() => model.Refresh();

    private Navigation Open(HomeItem item)
    {
        switch (item.Kind)
        {
            case HomeItemKind.Continue:
            case HomeItemKind.Lab:
                return Navigation.Open(new LabScreen(context, context.Catalog.Find(item.Id!), item.Step));
            case HomeItemKind.Lesson:
                return Navigation.Open(new LessonScreen(context, Lesson.Open(context.Catalog.CurriculumFolder, item.Id!)));
            default:
                return Ask(item.Kind);
        }
    }

    private Navigation Ask(HomeItemKind kind)
    {
        asking = kind;
        Prompt = new LineEditor(kind == HomeItemKind.Inspector ? "program to inspect (.s or .bin)" : "package to open (.vapp)");
        return Navigation.Stay;
    }

    private Navigation OpenTool(HomeItemKind kind, string path)
    {
        if (path.Length == 0)
        {
            message = "no file given: nothing opened";
            return Navigation.Stay;
        }
        try
        {
            return kind == HomeItemKind.Inspector
                ? Navigation.Open(new InspectorScreen(InspectedProgram.FromFile(path)))
                : Navigation.Open(new PackagerScreen(new PackagerViewModel(path)));
        }
        catch (UserError e)
        {
            message = "error: " + e.Message;
            return Navigation.Stay;
        }
    }
}
