using System.Globalization;
using System.Text;

namespace VirtualizationWorkbench.Workbench.Terminal.ViewModels;

/// <summary>One bar: its series (the legend's name) and value.</summary>
public sealed record Bar(string Series, double Value);

/// <summary>A group of bars under one label: one row of an experiment's table.</summary>
public sealed record BarGroup(string Label, IReadOnlyList<Bar> Bars);

/// <summary>
/// An experiment's result drawn as horizontal bars, one group per row of its table, as text a screen shows line by
/// line. Bars are scaled to the widest value; a chart whose values span more than two orders of magnitude is drawn
/// on a logarithmic scale (and says so), so that one cycle and ten thousand both show.
/// </summary>
public sealed record BarChart(string Title, string Unit, IReadOnlyList<BarGroup> Groups)
{
    // Eighths of a character cell, so bars grow smoothly even in 40 columns.
    private static readonly string[] Eighths = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"];

    /// <summary>Whether the bars are drawn on a logarithmic scale (values spanning more than 100×).</summary>
    public bool Logarithmic
    {
        get
        {
            var values = Groups.SelectMany(g => g.Bars).Select(b => b.Value).Where(v => v > 0).ToList();
            return values.Count > 0 && values.Max() / values.Min() > 100;
        }
    }

    /// <summary>The chart as lines of at most <paramref name="width"/> characters: the title, then per group its label
    /// and a bar per series with its value.</summary>
    public IReadOnlyList<string> Lines(int width)
    {
        var lines = new List<string> { Title + (Logarithmic ? $" ({Unit}, logarithmic scale)" : $" ({Unit})") };
        var all = Groups.SelectMany(g => g.Bars).ToList();
        if (all.Count == 0) return [.. lines, "  (nothing to draw)"];
        var seriesWidth = all.Max(b => b.Series.Length);
        var values = all.Select(b => Format(b.Value)).ToList();
        var valueWidth = values.Max(v => v.Length);
        var room = Math.Max(4, width - 4 - seriesWidth - 1 - valueWidth - 1);
        var max = all.Max(b => Scale(b.Value));
        foreach (var group in Groups)
        {
            lines.Add("  " + group.Label);
            foreach (var bar in group.Bars)
            {
                var eighths = max <= 0 ? 0 : (int)Math.Round(Math.Max(0, Scale(bar.Value)) / max * room * 8);
                var text = new StringBuilder();
                text.Append(new string('█', eighths / 8)).Append(Eighths[eighths % 8]);
                if (bar.Value > 0 && eighths == 0) text.Append('▏');   // a value is never invisible
                lines.Add($"    {bar.Series.PadRight(seriesWidth)} {text.ToString().PadRight(room)} {Format(bar.Value).PadLeft(valueWidth)}");
            }
        }
        return lines;
    }

    private double Scale(double value) => Logarithmic ? Math.Log10(Math.Max(1, value)) + 1 : value;

    private static string Format(double value) =>
        value >= 100 || value == Math.Floor(value) ? value.ToString("N0", CultureInfo.InvariantCulture) : value.ToString("0.0#", CultureInfo.InvariantCulture);
}
