using System.Text;
using Markdig.Syntax;
using VirtualizationWorkbench.Labs.Markdown;

namespace VirtualizationWorkbench.Workbench.Terminal.ViewModels;

/// <summary>
/// Markdown as the student is shown it, cut from the source by the positions of <see cref="LabMarkdown"/>'s
/// syntax tree (no second reading of the text): lab blocks the student does not read as written left out, and
/// the answers of <c>&lt;details&gt;</c> sections hidden behind a link until asked for.
/// </summary>
public static class ShownMarkdown
{
    /// <summary>The link that shows (or hides) answer <c>N</c>: <c>#answer-N</c>.</summary>
    public const string AnswerLinkPrefix = "#answer-";

    /// <summary><paramref name="markdown"/> without the lab blocks that hold scripts, hints and questions
    /// (scripts hold the answers; hints and questions are shown apart, with the student's own numbers).</summary>
    public static string WithoutLabBlocks(string markdown)
    {
        var source = markdown.ReplaceLineEndings("\n");
        var cuts = LabMarkdown.Parse(source).Descendants<LabFence>().Where(f => !f.ShownAsWritten).Select(f => (f.Span.Start, f.Span.End)).ToList();
        return Cut(source, cuts.Select(c => (c.Start, c.End, "")));
    }

    /// <summary>
    /// <paramref name="markdown"/> with each top-level <c>&lt;details&gt;</c> section (numbered from 1) replaced by a
    /// link that shows it, unless its number is in <paramref name="revealed"/>: then its answer is shown, with a
    /// link that hides it again. Returns the text and how many sections there are.
    /// </summary>
    public static (string Text, int Answers) WithAnswersHidden(string markdown, IReadOnlySet<int> revealed)
    {
        var source = markdown.ReplaceLineEndings("\n");
        var blocks = LabMarkdown.Parse(source).ToList();
        var replacements = new List<(int Start, int End, string Text)>();
        for (var i = 0; i < blocks.Count; i++)
        {
            if (blocks[i] is not HtmlBlock open || !Html(source, open).TrimStart().StartsWith("<details", StringComparison.OrdinalIgnoreCase)) continue;
            var close = i;
            while (close < blocks.Count && !(blocks[close] is HtmlBlock h && Html(source, h).Contains("</details>", StringComparison.OrdinalIgnoreCase))) close++;
            if (close == blocks.Count) break;
            var number = replacements.Count + 1;
            var link = AnswerLinkPrefix + number.ToString(System.Globalization.CultureInfo.InvariantCulture);
            string text;
            if (revealed.Contains(number))
            {
                var inner = close > i ? source[(open.Span.End + 1)..blocks[close].Span.Start].Trim() : "";
                text = $"**Answer** ([hide it]({link}))\n\n{inner}";
            }
            else
            {
                text = $"[▸ Show the answer]({link})";
            }
            replacements.Add((open.Span.Start, blocks[close].Span.End, text));
            i = close;
        }
        return (Cut(source, replacements), replacements.Count);
    }

    private static string Html(string source, HtmlBlock block) => source[block.Span.Start..Math.Min(source.Length, block.Span.End + 1)];

    // Replaces the inclusive ranges (in order, not overlapping) of the source.
    private static string Cut(string source, IEnumerable<(int Start, int End, string Text)> ranges)
    {
        var result = new StringBuilder();
        var at = 0;
        foreach (var (start, end, text) in ranges.OrderBy(r => r.Start))
        {
            if (start < at) continue;
            result.Append(source, at, start - at).Append(text);
            at = Math.Min(source.Length, end + 1);
        }
        return result.Append(source, at, source.Length - at).ToString();
    }
}
