using System.Text;
using Spectre.Console;

namespace VirtualizationWorkbench.Workbench.Terminal.Rendering;

/// <summary>A run of text in one style.</summary>
public readonly record struct StyledSpan(string Text, Style Style);

/// <summary>
/// One line of screen text, already laid out for a width: spans of styled text. Screens scroll and search whole
/// lines, so layout (wrapping, indenting) happens once per width, not per frame.
/// </summary>
public sealed class StyledLine(IReadOnlyList<StyledSpan> spans)
{
    /// <summary>An empty line.</summary>
    public static StyledLine Empty { get; } = new([]);

    /// <summary>The spans, left to right.</summary>
    public IReadOnlyList<StyledSpan> Spans { get; } = spans;

    /// <summary>The text without styles (what search and tests look at).</summary>
    public string Plain => string.Concat(Spans.Select(s => s.Text));

    /// <summary>A line of one style.</summary>
    public static StyledLine Of(string text, Style? style = null) => new([new StyledSpan(text, style ?? Style.Plain)]);

    /// <summary>This line with <paramref name="prefix"/> in front.</summary>
    public StyledLine Prefixed(string prefix, Style? style = null) =>
        new([new StyledSpan(prefix, style ?? Style.Plain), .. Spans]);

    /// <summary>This line with every span restyled by <paramref name="restyle"/> (e.g. to show a selection).</summary>
    public StyledLine Restyled(Func<Style, Style> restyle) => new([.. Spans.Select(s => s with { Style = restyle(s.Style) })]);

    /// <summary>The line cut to at most <paramref name="width"/> columns, ending in … when cut.</summary>
    public StyledLine Cropped(int width)
    {
        if (Plain.Length <= width) return this;
        var kept = new List<StyledSpan>();
        var left = Math.Max(0, width - 1);
        foreach (var span in Spans)
        {
            if (left <= 0) break;
            var text = span.Text.Length <= left ? span.Text : span.Text[..left];
            kept.Add(span with { Text = text });
            left -= text.Length;
        }
        if (width > 0) kept.Add(new StyledSpan("…", Style.Plain));
        return new StyledLine(kept);
    }

    /// <summary>This line with every occurrence of <paramref name="text"/> (ignoring case) restyled by
    /// <paramref name="restyle"/>: search matches, the selected link.</summary>
    public StyledLine Highlight(string text, Func<Style, Style> restyle)
    {
        if (text.Length == 0) return this;
        var plain = Plain;
        var marked = new bool[plain.Length];
        for (var at = plain.IndexOf(text, StringComparison.OrdinalIgnoreCase); at >= 0; at = plain.IndexOf(text, at + text.Length, StringComparison.OrdinalIgnoreCase))
        {
            Array.Fill(marked, true, at, text.Length);
        }
        if (!marked.Contains(true)) return this;
        var spans = new List<StyledSpan>();
        var position = 0;
        foreach (var span in Spans)
        {
            var start = 0;
            for (var i = 1; i <= span.Text.Length; i++)
            {
                if (i == span.Text.Length || marked[position + i] != marked[position + start])
                {
                    var piece = span.Text[start..i];
                    spans.Add(new StyledSpan(piece, marked[position + start] ? restyle(span.Style) : span.Style));
                    start = i;
                }
            }
            position += span.Text.Length;
        }
        return new StyledLine(spans);
    }

    /// <summary>Spectre markup for the line (text escaped).</summary>
    public string ToMarkup()
    {
        var markup = new StringBuilder();
        foreach (var span in Spans)
        {
            if (span.Text.Length == 0) continue;
            var text = Markup.Escape(span.Text);
            var style = span.Style.ToMarkup();
            markup.Append(style.Length == 0 ? text : $"[{style}]{text}[/]");
        }
        return markup.ToString();
    }

    /// <inheritdoc/>
    public override string ToString() => Plain;
}
