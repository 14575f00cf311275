using Terminal.Gui.Drawing;
using Terminal.Gui.ViewBase;
using VirtualizationWorkbench.Workbench.Terminal.Shell;
using VirtualizationWorkbench.Workbench.Terminal.ViewModels;

namespace VirtualizationWorkbench.Workbench.Terminal.Screens;

/// <summary>
/// Lab 02's view of one live partition mobility: what it cost, whether the guest came through, and its rounds drawn
/// as bar charts (pages sent, time), the last one the stop-and-copy.
/// </summary>
public sealed class MigrationScreen : Screen
{
    private readonly MigrationViewModel model;
    private readonly string origin;
    private readonly TextLines lines = new() { Width = Dim.Fill(), Height = Dim.Fill(), CanFocus = false };

    /// <summary>The rounds of <paramref name="model"/>'s migration, made by <paramref name="origin"/>.</summary>
    public MigrationScreen(MigrationViewModel model, string origin)
    {
        this.model = model;
        this.origin = origin;
        Add(lines);
        SubViewsLaidOut += (_, _) => Draw();
    }

    /// <summary>The view-model (for tests).</summary>
    public MigrationViewModel Model => model;

    /// <inheritdoc/>
    public override string Heading => $"Migration: {model.Title}, from {origin}";

    private void Draw()
    {
        var shown = new List<IReadOnlyList<Piece>>();
        shown.AddRange(model.Summary.Select(l => (IReadOnlyList<Piece>)[new Piece("  " + l)]));
        foreach (var chart in model.Charts)
        {
            shown.Add([]);
            var chartLines = chart.Lines(Math.Max(40, Viewport.Width));
            shown.Add([new Piece(chartLines[0], VisualRole.Highlight)]);
            shown.AddRange(chartLines.Skip(1).Select(l => (IReadOnlyList<Piece>)[new Piece(l)]));
        }
        lines.Lines = shown;
    }
}
