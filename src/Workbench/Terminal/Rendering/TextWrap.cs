using Spectre.Console;

namespace VirtualizationWorkbench.Workbench.Terminal.Rendering;

/// <summary>Word-wraps plain text (messages, prompts, check results) into styled lines.</summary>
public static class TextWrap
{
    /// <summary><paramref name="text"/> wrapped at <paramref name="width"/> columns; continuation lines are
    /// indented by <paramref name="indent"/> spaces. Words longer than a line are cut.</summary>
    public static IReadOnlyList<StyledLine> Lines(string text, int width, Style style, int indent = 0)
    {
        width = Math.Max(8, width);
        var lines = new List<StyledLine>();
        foreach (var paragraph in text.ReplaceLineEndings("\n").Split('\n'))
        {
            var current = "";
            foreach (var word in paragraph.Split(' '))
            {
                var w = word;
                while (true)
                {
                    var candidate = current.Length == 0 ? w : current + " " + w;
                    if (candidate.Length <= width)
                    {
                        current = candidate;
                        break;
                    }
                    if (current.Trim().Length > 0)
                    {
                        lines.Add(StyledLine.Of(current, style));
                        current = new string(' ', indent);
                        continue;
                    }
                    lines.Add(StyledLine.Of(current + w[..(width - current.Length)], style));
                    w = w[(width - current.Length)..];
                    current = new string(' ', indent);
                }
            }
            lines.Add(StyledLine.Of(current, style));
        }
        return lines;
    }
}
