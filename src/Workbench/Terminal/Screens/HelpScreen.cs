using Spectre.Console;
using Spectre.Console.Rendering;
using VirtualizationWorkbench.Workbench.Terminal.Input;
using VirtualizationWorkbench.Workbench.Terminal.Rendering;

namespace VirtualizationWorkbench.Workbench.Terminal.Screens;

/// <summary>The keys of the screen it was opened from, and the keys that work everywhere.</summary>
public sealed class HelpScreen(IScreen of) : IScreen
{
    private static readonly KeyHint[] Everywhere =
    [
        new("?", "this help"), new("q Esc", "back (quit on the home screen)"), new("Ctrl+C", "quit at once"),
        new("↑↓ ←→ PgUp PgDn Home End", "move"), new("j k h l g G Space Ctrl+F Ctrl+B", "the same, vi style"),
    ];

    /// <inheritdoc/>
    public string Title => $"Help: {of.Title}";

    /// <inheritdoc/>
    public IReadOnlyList<KeyHint> Keys { get; } = [new("q Esc ?", "close help")];

    /// <inheritdoc/>
    public string? Message => null;

    /// <inheritdoc/>
    public LineEditor? Prompt => null;

    /// <inheritdoc/>
    public bool Animating => false;

    /// <inheritdoc/>
    public IRenderable Render(int width, int height)
    {
        var lines = new List<StyledLine> { StyledLine.Of("On this screen", Palette.Heading2) };
        lines.AddRange(of.Keys.Select(Row));
        lines.Add(StyledLine.Empty);
        lines.Add(StyledLine.Of("Everywhere", Palette.Heading2));
        lines.AddRange(Everywhere.Select(Row));
        lines.Add(StyledLine.Empty);
        lines.Add(StyledLine.Of("Every screen has a plain command too: workbench lab list|show|check|answer|hint, workbench grade, workbench run, workbench app inspect, workbench sandbox list|reset.", Palette.Dim));
        return TextBlock.Of(lines.Take(height), width);

        static StyledLine Row(KeyHint hint) => new([new StyledSpan("  " + hint.Keys.PadRight(34), Palette.Keyword), new StyledSpan(hint.Action, Style.Plain)]);
    }

    /// <inheritdoc/>
    public Navigation Handle(KeyInput key) => key.IsBack || key.Is('?') ? Navigation.Back : Navigation.Stay;

    /// <inheritdoc/>
    public void Close() { }

    /// <inheritdoc/>
    public void Resume() { }
}
