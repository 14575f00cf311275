using Spectre.Console;
using Spectre.Console.Rendering;
using VirtualizationWorkbench.Workbench.Terminal.Input;
using VirtualizationWorkbench.Workbench.Terminal.Rendering;
using VirtualizationWorkbench.Workbench.Terminal.ViewModels;

namespace VirtualizationWorkbench.Workbench.Terminal.Screens;

/// <summary>The packager: a package's files and registry as trees, and its sandbox's changes.</summary>
public sealed class PackagerScreen(PackagerViewModel model) : IScreen
{
    /// <summary>The view-model (for tests).</summary>
    public PackagerViewModel Model => model;

    /// <inheritdoc/>
    public string Title => $"Package {model.Name}  ({model.PackagePath})";

    /// <inheritdoc/>
    public IReadOnlyList<KeyHint> Keys { get; } =
    [
        new("Tab", "files/registry/sandbox"), new("↑↓ jk", "move"), new("→ Enter", "open folder"), new("←", "close/parent"),
        new("R", "reset sandbox"), new("q Esc", "back"),
    ];

    /// <inheritdoc/>
    public string? Message => model.Message;

    /// <inheritdoc/>
    public LineEditor? Prompt => null;

    /// <inheritdoc/>
    public bool Animating => false;

    /// <inheritdoc/>
    public IRenderable Render(int width, int height)
    {
        var lines = new List<StyledLine>();
        var tabs = new List<StyledSpan>();
        foreach (var tab in Enum.GetValues<PackagerTab>())
        {
            tabs.Add(new StyledSpan($" {tab} ", tab == model.Tab ? Palette.Selected : Palette.Dim));
            tabs.Add(new StyledSpan(" ", Style.Plain));
        }
        lines.Add(new StyledLine(tabs));
        lines.Add(StyledLine.Of($"entry points: {string.Join(", ", model.EntryPoints)}   default isolation: {PackagerViewModel.Describe(model.Settings.DefaultIsolation)}", Palette.Dim));
        lines.Add(StyledLine.Empty);
        var listHeight = Math.Max(1, height - lines.Count);
        if (model.Tab == PackagerTab.Sandbox)
        {
            lines.Add(StyledLine.Of($"sandbox: {model.SandboxFolder}", Palette.Dim));
            listHeight--;
            model.Cursor.Resize(model.Changes.Count);
            if (model.Changes.Count == 0) lines.Add(StyledLine.Of("no changes: the application has not written anything yet (or the sandbox was reset)", Palette.Dim));
            var top = model.Cursor.Scroll(listHeight);
            for (var i = top; i < Math.Min(model.Changes.Count, top + listHeight); i++)
            {
                lines.Add(i == model.Cursor.Selected ? StyledLine.Of(model.Changes[i].PadRight(width), Palette.Selected) : StyledLine.Of(model.Changes[i]));
            }
        }
        else
        {
            var rows = model.Rows;
            model.Cursor.Resize(rows.Count);
            if (rows.Count == 0) lines.Add(StyledLine.Of(model.Tab == PackagerTab.Files ? "the package holds no files" : "the package carries no registry", Palette.Dim));
            var top = model.Cursor.Scroll(listHeight);
            for (var i = top; i < Math.Min(rows.Count, top + listHeight); i++)
            {
                var (node, depth) = rows[i];
                var icon = node.IsFolder ? (node.Expanded ? "▾ " : "▸ ") : "  ";
                var name = new string(' ', depth * 2) + icon + node.Name + (node.IsFolder && model.Tab == PackagerTab.Files ? "/" : "");
                var nameWidth = Math.Max(20, width * 3 / 5);
                var line = new StyledLine([new StyledSpan(name.PadRight(nameWidth), node.IsFolder ? Palette.Strong : Style.Plain), new StyledSpan(" " + node.Detail, node.IsFolder ? Palette.Label : Palette.Dim)]);
                if (i == model.Cursor.Selected) line = StyledLine.Of(line.Plain.PadRight(width), Palette.Selected);
                lines.Add(line);
            }
        }
        return TextBlock.Of(lines.Take(height), width);
    }

    /// <inheritdoc/>
    public Navigation Handle(KeyInput key)
    {
        if (model.ConfirmingReset)
        {
            model.ConfirmReset(key.Is('y'));
            return Navigation.Stay;
        }
        if (key.IsBack) return Navigation.Back;
        if (key.Key is UiKey.Tab or UiKey.BackTab) model.NextTab(key.Key == UiKey.BackTab);
        else if (key.Is('R')) model.RequestReset();
        else model.Move(key.Key == UiKey.Enter ? UiKey.Enter : key.Movement, 10);
        return Navigation.Stay;
    }

    /// <inheritdoc/>
    public void Close() { }

    /// <inheritdoc/>
    public void Resume() => model.RefreshSandbox();
}
