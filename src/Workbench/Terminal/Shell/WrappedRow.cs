using Terminal.Gui.Drawing;
using Terminal.Gui.Text;

namespace VirtualizationWorkbench.Workbench.Terminal.Shell;

/// <summary>
/// Text wrapped at words to a width instead of running off a narrow window (80 columns): free text
/// (<see cref="Text"/>), or a row of a table drawn as <see cref="TextLines"/> whose last column of free text wraps
/// onto lines of its own, indented under itself (<see cref="Lines"/>).
/// </summary>
public static class WrappedRow
{
    /// <summary>The lines of one row: <paramref name="columns"/> (drawn as they are) followed by
    /// <paramref name="text"/> wrapped to what is left of <paramref name="width"/> (at least 20 columns).</summary>
    public static List<IReadOnlyList<Piece>> Lines(Piece columns, string text, VisualRole role, int width)
    {
        var wrapped = Text(text, Math.Max(20, width - columns.Text.Length));
        var indent = new string(' ', columns.Text.Length);
        var lines = new List<IReadOnlyList<Piece>>();
        for (var i = 0; i < wrapped.Count; i++)
        {
            lines.Add([i == 0 ? columns : columns with { Text = indent }, new Piece(wrapped[i], role)]);
        }
        return lines;
    }

    /// <summary><paramref name="text"/> wrapped to <paramref name="width"/> columns, its line breaks taken as spaces;
    /// at most <paramref name="most"/> lines (the rest is cut), and at least one, empty for empty text.</summary>
    public static List<string> Text(string text, int width, int most = int.MaxValue)
    {
        var lines = text.Length == 0 ? [] : TextFormatter.WordWrapText(text.Replace('\n', ' '), Math.Max(1, width));
        if (lines.Count == 0) return [""];
        return lines.Count <= most ? lines : lines[..most];
    }
}
