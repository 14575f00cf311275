using Terminal.Gui.Drawing;
using VirtualizationWorkbench.Workbench.Terminal.Shell;
using VirtualizationWorkbench.Workbench.Terminal.ViewModels;

namespace VirtualizationWorkbench.Workbench.Terminal.Screens;

/// <summary>A <see cref="BarChart"/> as the lines of a screen: a blank line, its title highlighted (wrapped), then its bars.</summary>
public static class DrawnChart
{
    /// <summary>Appends <paramref name="chart"/> to <paramref name="shown"/>, drawn to fit a screen
    /// <paramref name="width"/> columns wide (at least 40 columns).</summary>
    public static void AppendTo(List<IReadOnlyList<Piece>> shown, BarChart chart, int width)
    {
        shown.Add([]);
        // One column less: the last is the scroll bar's once the charts overflow the screen, and it would hide the
        // last digit of every value.
        var chartLines = chart.Lines(Math.Max(40, width - 1));
        // The title wraps rather than run under the scroll bar.
        foreach (var line in WrappedRow.Text(chartLines[0], Math.Max(40, width - 1))) shown.Add([new Piece(line, VisualRole.Highlight)]);
        shown.AddRange(chartLines.Skip(1).Select(l => (IReadOnlyList<Piece>)[new Piece(l)]));
    }
}
