using System.Text;
using Markdig;
using Markdig.Extensions.Tables;
using Table = Markdig.Extensions.Tables.Table;
using TableRow = Markdig.Extensions.Tables.TableRow;
using Markdig.Extensions.Yaml;
using Markdig.Renderers.Html;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;
using Spectre.Console;

using VirtualizationWorkbench.Labs.Markdown;

namespace VirtualizationWorkbench.Workbench.Terminal.Rendering;

/// <summary>
/// Lays Markdown out as terminal lines for a given width, from Markdig's syntax tree: headings, emphasis, inline
/// code, links (collected so a reader can follow them), bullet and numbered lists, block quotes, pipe tables,
/// fenced code with <see cref="CodeHighlighter"/>, and <c>text</c> diagrams kept verbatim (never wrapped).
/// </summary>
public sealed class MarkdownLayout
{
    private readonly List<StyledLine> lines = [];
    private readonly List<DocumentLink> links = [];
    private readonly List<DocumentHeading> headings = [];
    private readonly bool labBlocksHidden;

    private MarkdownLayout(bool labBlocksHidden) => this.labBlocksHidden = labBlocksHidden;

    /// <summary>Lays out <paramref name="markdown"/> (read with <see cref="LabMarkdown.Pipeline"/>) for
    /// <paramref name="width"/> columns. With <paramref name="labBlocksHidden"/>, the lab blocks a student does not
    /// read as written (scripts hold the answers; hints and questions are shown apart) are left out.</summary>
    public static LaidOutDocument Layout(string markdown, int width, bool labBlocksHidden = false)
    {
        width = Math.Max(20, width);
        var layout = new MarkdownLayout(labBlocksHidden);
        var document = LabMarkdown.Parse(markdown);
        layout.lines.AddRange(layout.Blocks(document, width, tight: false));
        while (layout.lines.Count > 0 && layout.lines[^1].Plain.Length == 0) layout.lines.RemoveAt(layout.lines.Count - 1);
        return new LaidOutDocument(width, layout.lines, layout.links, layout.headings);
    }

    // Blocks are laid out into a local list first, and links and headings are given their final line numbers
    // when that list lands in the document: a block inside a list item or quote does not know its line yet.
    private List<StyledLine> Blocks(ContainerBlock container, int width, bool tight)
    {
        var result = new List<StyledLine>();
        foreach (var block in container)
        {
            var pendingLinks = links.Count;
            var pendingHeadings = headings.Count;
            var laid = Block(block, width);
            if (laid is null) continue;
            if (result.Count > 0 && !tight) result.Add(StyledLine.Empty);
            Shift(pendingLinks, pendingHeadings, result.Count);
            result.AddRange(laid);
        }
        return result;
    }

    private void Shift(int fromLink, int fromHeading, int by)
    {
        for (var i = fromLink; i < links.Count; i++) links[i] = links[i] with { Line = links[i].Line + by };
        for (var i = fromHeading; i < headings.Count; i++) headings[i] = headings[i] with { Line = headings[i].Line + by };
    }

    private List<StyledLine>? Block(Block block, int width)
    {
        switch (block)
        {
            case YamlFrontMatterBlock:
                return null;
            case HeadingBlock heading:
                {
                    var style = heading.Level switch { 1 => Palette.Heading1, 2 => Palette.Heading2, _ => Palette.Heading3 };
                    var tokens = Inlines(heading.Inline, style);
                    var text = string.Concat(tokens.Select(t => t.Text));
                    headings.Add(new DocumentHeading(0, heading.Level, text, heading.GetAttributes().Id ?? ""));
                    var laid = Wrap(tokens, width);
                    if (heading.Level == 1) laid.Add(StyledLine.Of(new string('═', Math.Min(width, text.Length)), Palette.Dim));
                    return laid;
                }
            case ParagraphBlock paragraph:
                return Wrap(Inlines(paragraph.Inline, Style.Plain), width);
            case LabFence fenced:
                {
                    if (labBlocksHidden && !fenced.ShownAsWritten) return null;
                    return Code((fenced.Info ?? "").Trim().ToLowerInvariant(), fenced.Lines.ToString(), width);
                }
            case CodeBlock code:
                return Code("", code.Lines.ToString(), width);
            case QuoteBlock quote:
                return Indented(quote, width, "│ ", "│ ", Palette.Dim, tight: false);
            case ListBlock list:
                return List(list, width);
            case Table table:
                return TableLines(table, width);
            case ThematicBreakBlock:
                return [StyledLine.Of(new string('─', width), Palette.Dim)];
            case HtmlBlock html:
                return [.. html.Lines.ToString().Split('\n').Select(l => StyledLine.Of(l, Palette.Dim).Cropped(width))];
            case ContainerBlock other:
                return Blocks(other, width, tight: false);
            default:
                return null;
        }
    }

    private List<StyledLine> Code(string language, string text, int width)
    {
        // Code and diagrams keep their columns: lines are cut, never wrapped, so a diagram stays a diagram.
        var result = new List<StyledLine>();
        var label = language.Length > 0 ? $" {language} " : "";
        result.Add(StyledLine.Of("┌" + label + new string('─', Math.Max(0, Math.Min(width, 40) - 1 - label.Length)), Palette.Dim));
        foreach (var line in text.Split('\n'))
        {
            result.Add(CodeHighlighter.Line(language, line.Replace("\t", "    ", StringComparison.Ordinal)).Prefixed("│ ", Palette.Dim).Cropped(width));
        }
        result.Add(StyledLine.Of("└" + new string('─', Math.Max(0, Math.Min(width, 40) - 1)), Palette.Dim));
        return result;
    }

    private List<StyledLine> List(ListBlock list, int width)
    {
        var result = new List<StyledLine>();
        var number = int.TryParse(list.OrderedStart, out var start) ? start : 1;
        foreach (var item in list.OfType<ListItemBlock>())
        {
            var bullet = list.IsOrdered ? $"{number++}. " : "• ";
            result.AddRange(Indented(item, width, bullet, new string(' ', bullet.Length), Style.Plain, tight: list.IsLoose is false, offset: result.Count));
            if (list.IsLoose) result.Add(StyledLine.Empty);
        }
        if (list.IsLoose && result.Count > 0) result.RemoveAt(result.Count - 1);
        return result;
    }

    private List<StyledLine> Indented(ContainerBlock container, int width, string first, string rest, Style prefixStyle, bool tight, int offset = 0)
    {
        var fromLink = links.Count;
        var fromHeading = headings.Count;
        var inner = Blocks(container, width - first.Length, tight);
        var result = new List<StyledLine>();
        for (var i = 0; i < inner.Count; i++) result.Add(inner[i].Prefixed(i == 0 ? first : rest, prefixStyle));
        if (inner.Count == 0) result.Add(StyledLine.Of(first, prefixStyle));
        Shift(fromLink, fromHeading, offset);
        return result;
    }

    private List<StyledLine> TableLines(Table table, int width)
    {
        var rows = table.OfType<TableRow>().Select(r => r.OfType<TableCell>().Select(c => CellTokens(c)).ToList()).ToList();
        var columns = rows.Max(r => r.Count);
        var natural = new int[columns];
        foreach (var row in rows)
        {
            for (var c = 0; c < row.Count; c++) natural[c] = Math.Max(natural[c], Math.Max(1, row[c].Sum(t => t.Text.Length)));
        }
        // Shrink the widest column until the table fits; cells then wrap inside their column.
        var available = width - (3 * columns + 1);
        var widths = natural.ToArray();
        while (widths.Sum() > available && widths.Max() > 6) widths[Array.IndexOf(widths, widths.Max())]--;
        var result = new List<StyledLine> { Border('┌', '┬', '┐') };
        for (var r = 0; r < rows.Count; r++)
        {
            var cells = Enumerable.Range(0, columns).Select(c => c < rows[r].Count ? Wrap(rows[r][c], widths[c]) : []).ToList();
            var height = Math.Max(1, cells.Max(c => c.Count));
            for (var line = 0; line < height; line++)
            {
                var spans = new List<StyledSpan> { new("│ ", Palette.Dim) };
                for (var c = 0; c < columns; c++)
                {
                    var cell = line < cells[c].Count ? cells[c][line] : StyledLine.Empty;
                    var style = table.OfType<TableRow>().ElementAt(r).IsHeader ? Palette.Strong : Style.Plain;
                    spans.AddRange(cell.Spans.Select(s => s with { Style = s.Style.Combine(style) }));
                    spans.Add(new StyledSpan(new string(' ', Math.Max(0, widths[c] - cell.Plain.Length)), Style.Plain));
                    spans.Add(new StyledSpan(c == columns - 1 ? " │" : " │ ", Palette.Dim));
                }
                result.Add(new StyledLine(spans).Cropped(width));
            }
            if (r == 0 && table.OfType<TableRow>().First().IsHeader) result.Add(Border('├', '┼', '┤'));
        }
        result.Add(Border('└', '┴', '┘'));
        return result;

        StyledLine Border(char left, char middle, char right) =>
            StyledLine.Of(left + string.Join(middle, widths.Select(w => new string('─', w + 2))) + right, Palette.Dim).Cropped(width);
    }

    private List<Token> CellTokens(TableCell cell) =>
        cell.OfType<ParagraphBlock>().SelectMany(p => Inlines(p.Inline, Style.Plain)).ToList();

    // A word or a space of inline text, with its style and the link it belongs to (-1 for none).
    private readonly record struct Token(string Text, Style Style, int Link, bool Break = false);

    private List<Token> Inlines(ContainerInline? container, Style style)
    {
        var tokens = new List<Token>();
        if (container is not null) Inline(container, style, -1, tokens);
        return tokens;
    }

    private void Inline(Inline inline, Style style, int link, List<Token> tokens)
    {
        switch (inline)
        {
            case LiteralInline literal:
                Words(literal.Content.ToString(), style, link, tokens);
                break;
            case CodeInline code:
                tokens.Add(new Token(code.Content, style.Combine(Palette.InlineCode), link));
                break;
            case LineBreakInline lineBreak:
                tokens.Add(lineBreak.IsHard ? new Token("", style, link, Break: true) : new Token(" ", style, link));
                break;
            case HtmlEntityInline entity:
                Words(entity.Transcoded.ToString(), style, link, tokens);
                break;
            case HtmlInline html:
                tokens.Add(new Token(html.Tag, Palette.Dim, link));
                break;
            case AutolinkInline auto:
                links.Add(new DocumentLink(0, auto.Url, auto.Url));
                tokens.Add(new Token(auto.Url, style.Combine(Palette.Link), links.Count - 1));
                break;
            case LinkInline { IsImage: true } image:
                tokens.Add(new Token($"[image: {image.Url}]", Palette.Dim, link));
                break;
            case LinkInline linkInline:
                {
                    var text = new StringBuilder();
                    links.Add(new DocumentLink(0, "", linkInline.Url ?? ""));
                    var index = links.Count - 1;
                    var first = tokens.Count;
                    foreach (var child in linkInline) Inline(child, style.Combine(Palette.Link), index, tokens);
                    for (var i = first; i < tokens.Count; i++) text.Append(tokens[i].Text);
                    links[index] = links[index] with { Text = text.ToString() };
                    break;
                }
            case EmphasisInline emphasis:
                {
                    var emphasised = style.Combine(emphasis.DelimiterCount >= 2 ? Palette.Strong : Palette.Emphasis);
                    foreach (var child in emphasis) Inline(child, emphasised, link, tokens);
                    break;
                }
            case ContainerInline container:
                foreach (var child in container) Inline(child, style, link, tokens);
                break;
        }
    }

    private static void Words(string text, Style style, int link, List<Token> tokens)
    {
        var start = 0;
        for (var i = 0; i <= text.Length; i++)
        {
            if (i == text.Length || text[i] == ' ' || text[i] == '\n')
            {
                if (i > start) tokens.Add(new Token(text[start..i], style, link));
                if (i < text.Length) tokens.Add(new Token(" ", style, link));
                start = i + 1;
            }
        }
    }

    // Greedy word wrap. The line a link first lands on is recorded against the link (relative to this block).
    private List<StyledLine> Wrap(List<Token> tokens, int width)
    {
        var result = new List<StyledLine>();
        var current = new List<StyledSpan>();
        var used = 0;
        var seen = new HashSet<int>();
        foreach (var token in tokens)
        {
            if (token.Break)
            {
                Flush();
                continue;
            }
            if (token.Text == " ")
            {
                if (used > 0 && used < width) { current.Add(new StyledSpan(" ", token.Style)); used++; }
                continue;
            }
            var text = token.Text;
            while (text.Length > 0)
            {
                if (used + text.Length > width && used > 0)
                {
                    Flush();
                }
                var take = Math.Min(text.Length, width - used);
                Mark(token.Link);
                current.Add(new StyledSpan(text[..take], token.Style));
                used += take;
                text = text[take..];
                if (text.Length > 0) Flush();
            }
        }
        if (current.Count > 0 || result.Count == 0) Flush();
        return result;

        void Mark(int linkIndex)
        {
            if (linkIndex >= 0 && seen.Add(linkIndex)) links[linkIndex] = links[linkIndex] with { Line = result.Count };
        }

        void Flush()
        {
            while (current.Count > 0 && current[^1].Text == " ") current.RemoveAt(current.Count - 1);
            result.Add(new StyledLine([.. current]));
            current = [];
            used = 0;
        }
    }
}
