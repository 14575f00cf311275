using Terminal.Gui.Drawing;
using Terminal.Gui.Text;

namespace VirtualizationWorkbench.Workbench.Terminal.Shell;

/// <summary>
/// A row of a table drawn as <see cref="TextLines"/>: its columns, then a last column of free text that wraps onto
/// lines of its own, indented under itself, instead of running off a narrow window (80 columns).
/// </summary>
public static class WrappedRow
{
    /// <summary>The lines of one row: <paramref name="columns"/> (drawn as they are) followed by
    /// <paramref name="text"/> wrapped to what is left of <paramref name="width"/> (at least 20 columns).</summary>
    public static List<IReadOnlyList<Piece>> Lines(Piece columns, string text, VisualRole role, int width)
    {
        var room = Math.Max(20, width - columns.Text.Length);
        var wrapped = text.Length == 0 ? [""] : TextFormatter.WordWrapText(text, room);
        var indent = new string(' ', columns.Text.Length);
        var lines = new List<IReadOnlyList<Piece>>();
        for (var i = 0; i < wrapped.Count; i++)
        {
            lines.Add([i == 0 ? columns : columns with { Text = indent }, new Piece(wrapped[i], role)]);
        }
        return lines;
    }
}
