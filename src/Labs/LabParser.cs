using System.Globalization;
using Markdig.Extensions.Yaml;
using Markdig.Syntax;
using VirtualizationWorkbench.Labs.Markdown;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace VirtualizationWorkbench.Labs;

/// <summary>
/// Reads a lab.md (see <c>curriculum/authoring.md</c>): YAML front matter, an introduction, one step per
/// level-2 heading, and fenced blocks — <c>asm</c>, <c>js</c>, <c>hint</c> and <c>question</c> — inside the steps.
/// </summary>
public static class LabParser
{
    /// <summary>Parses a lab file.</summary>
    /// <exception cref="LabFormatException">The file breaks the format; the message says where and how.</exception>
    public static LabDocument Load(string path)
    {
        var length = new FileInfo(path).Length;
        if (length > MaximumLength)
        {
            throw new LabFormatException(path, 1, 1, $"the lab is {length / 1024:N0} KiB; a lab.md may hold at most {MaximumLength / 1024:N0} KiB (put large programs in starter/ files)");
        }
        return Parse(File.ReadAllText(path), path);
    }

    /// <summary>The largest lab.md read, in bytes: far above any real lab, and small enough that a hostile one
    /// cannot make reading every lab slow.</summary>
    public const int MaximumLength = 1024 * 1024;

    /// <summary>Parses lab text; <paramref name="path"/> names it in errors.</summary>
    public static LabDocument Parse(string text, string path)
    {
        text = text.ReplaceLineEndings("\n");
        var document = LabMarkdown.Parse(text, path);
        var front = document.Descendants<YamlFrontMatterBlock>().FirstOrDefault()
            ?? throw new LabFormatException(path, 1, 1, "a lab starts with front matter between --- lines (id, title, topic, minutes, lessons)");
        var meta = ReadYaml(path, front.Lines.ToString(), front.Line + 2, out var keyLines);

        var id = Required(meta, "id", path, front.Line + 1);
        CheckName(id, "the lab's id", path, keyLines.GetValueOrDefault("id", front.Line + 1));
        var title = Required(meta, "title", path, front.Line + 1);
        var minutesText = Required(meta, "minutes", path, front.Line + 1);
        if (!int.TryParse(minutesText, NumberStyles.None, CultureInfo.InvariantCulture, out var minutes) || minutes <= 0)
        {
            throw new LabFormatException(path, front.Line + 1, 1, $"minutes must be a positive whole number, not '{minutesText}'");
        }

        var steps = new List<StepBuilder>();
        var introductionEnd = text.Length;
        foreach (var block in document)
        {
            if (block is HeadingBlock { Level: 2 } heading)
            {
                if (steps.Count == 0) introductionEnd = heading.Span.Start;
                steps.Add(new StepBuilder(steps.Count + 1, Inline(text, heading), heading.Span.Start, heading.Line + 1));
                continue;
            }
            if (block is not LabFence fence || steps.Count == 0) continue;
            var step = steps[^1];
            var arguments = fence.Settings;
            var body = fence.Lines.ToString();
            var firstLine = fence.Line + 2;
            switch (fence.Kind)
            {
                case LabBlockKind.Assembly:
                    var name = arguments.GetValueOrDefault("name") ?? $"step{step.Number}";
                    CheckName(name, "an asm block's name", path, fence.Line + 1);
                    if (steps.SelectMany(s => s.Assembly).Any(a => a.Name == name))
                    {
                        throw new LabFormatException(path, fence.Line + 1, 1, $"a second assembly block named '{name}'; give each a different name=");
                    }
                    step.Assembly.Add(new AssemblyBlock(name, body, firstLine));
                    break;
                case LabBlockKind.Script:
                    step.Scripts.Add(new ScriptBlock(body, firstLine));
                    break;
                case LabBlockKind.Hint:
                    step.Hints.Add(body.Trim());
                    break;
                case LabBlockKind.Question:
                    var question = ReadQuestion(path, body, firstLine, arguments);
                    if (steps.SelectMany(s => s.Questions).Any(q => q.Id == question.Id))
                    {
                        throw new LabFormatException(path, fence.Line + 1, 1, $"a second question with id '{question.Id}'");
                    }
                    step.Questions.Add(question);
                    break;
            }
        }
        if (steps.Count == 0) throw new LabFormatException(path, front.Line + 1, 1, "a lab needs at least one step: a '## ' heading");
        for (var i = 0; i < steps.Count; i++)
        {
            var end = i + 1 < steps.Count ? steps[i + 1].Start : text.Length;
            steps[i].Markdown = text[steps[i].Start..end].TrimEnd() + "\n";
        }
        var introStart = front.Span.End + 1;
        var introduction = introStart < introductionEnd ? text[introStart..introductionEnd].Trim() + "\n" : "";
        return new LabDocument(id, title, meta.GetValueOrDefault("topic") ?? "", minutes,
            List(meta, "prerequisites"), List(meta, "lessons"), introduction,
            steps.Select(s => s.Build()).ToList(), path);
    }

    private static string Inline(string text, HeadingBlock heading) =>
        text[heading.Span.Start..(heading.Span.End + 1)].TrimStart('#').Trim();

    /// <summary>Names become file and folder names (the work folder <c>work/ID</c>, <c>NAME.s</c> in it), so a name
    /// that could climb out of its folder, or hide, is refused where the lab is read.</summary>
    private static void CheckName(string name, string what, string path, int line)
    {
        var ok = name.Length is > 0 and <= 64 && name[0] != '.' && name != ".." && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.') && !name.Contains("..", StringComparison.Ordinal);
        if (!ok)
        {
            throw new LabFormatException(path, line, 1, $"{what} '{Printable(name)}' is not a plain name: use 1 to 64 letters, digits, '-', '_' or '.', not starting with '.' (it names files and folders)");
        }
    }

    /// <summary>Text from a lab, a script or a guest quoted in a message, escaped so that it cannot drive the student's
    /// terminal; line breaks stay, as messages (the assembler's among them) span lines.</summary>
    internal static string Printable(string text) =>
        text.Contains('\n') ? string.Join('\n', text.Split('\n').Select(Machine.Assembler.Diagnostic.Printable)) : Machine.Assembler.Diagnostic.Printable(text);

    private static LabQuestion ReadQuestion(string path, string body, int firstLine, IReadOnlyDictionary<string, string> arguments)
    {
        var yaml = ReadYamlNode(path, body, firstLine);
        string? Get(string key) => yaml.Children.TryGetValue(new YamlScalarNode(key), out var v) && v is YamlScalarNode s ? s.Value : null;
        var id = arguments.GetValueOrDefault("id") ?? Get("id")
            ?? throw new LabFormatException(path, firstLine - 1, 1, "a question needs an id (```question id=traps)");
        CheckName(id, "a question's id", path, firstLine - 1);
        var kindText = Get("kind") ?? "numeric";
        if (!Enum.TryParse<QuestionKind>(kindText, ignoreCase: true, out var kind))
        {
            throw new LabFormatException(path, firstLine, 1, $"question '{id}': kind must be numeric, choice or text, not '{kindText}'");
        }
        var prompt = Get("prompt") ?? throw new LabFormatException(path, firstLine, 1, $"question '{id}' needs a prompt:");
        var choices = yaml.Children.TryGetValue(new YamlScalarNode("choices"), out var c) && c is YamlSequenceNode seq
            ? seq.Children.OfType<YamlScalarNode>().Select(n => n.Value ?? "").ToList()
            : [];
        if (c is YamlSequenceNode listed && listed.Children.FirstOrDefault(n => n is not YamlScalarNode) is { } odd)
        {
            // "- the sandbox: its own write" is a key and a value to YAML, not a line of text, and used to vanish
            // from the list with no word of why.
            throw new LabFormatException(path, firstLine + (int)odd.Start.Line - 1, (int)odd.Start.Column,
                $"question '{id}': choice {listed.Children.IndexOf(odd) + 1} is not plain text (a colon followed by a space makes it a key and a value); put the choice in quotes, or use another mark than ': '");
        }
        if (kind == QuestionKind.Choice && choices.Count < 2)
        {
            throw new LabFormatException(path, firstLine, 1, $"question '{id}' is a choice: list at least two choices:");
        }
        var toleranceText = Get("tolerance") ?? "0";
        if (!double.TryParse(toleranceText, NumberStyles.Float, CultureInfo.InvariantCulture, out var tolerance) || tolerance < 0)
        {
            throw new LabFormatException(path, firstLine, 1, $"question '{id}': tolerance must be a number ≥ 0");
        }
        var parameters = new Dictionary<string, (long, long)>(StringComparer.Ordinal);
        if (yaml.Children.TryGetValue(new YamlScalarNode("params"), out var p))
        {
            if (p is not YamlMappingNode map) throw new LabFormatException(path, firstLine, 1, $"question '{id}': params maps names to [min, max]");
            foreach (var (key, value) in map.Children)
            {
                if (key is not YamlScalarNode { Value: { Length: > 0 } parameter }
                    || value is not YamlSequenceNode { Children.Count: 2 } range
                    || range.Children[0] is not YamlScalarNode { Value: var low } || !long.TryParse(low, CultureInfo.InvariantCulture, out var min)
                    || range.Children[1] is not YamlScalarNode { Value: var high } || !long.TryParse(high, CultureInfo.InvariantCulture, out var max)
                    || max < min || max - min > int.MaxValue)
                {
                    throw new LabFormatException(path, firstLine + (int)key.Start.Line - 1, (int)key.Start.Column, $"question '{id}': parameter {Printable(key.ToString())} needs a range of two whole numbers [min, max], min ≤ max");
                }
                parameters[parameter] = (min, max);
            }
        }
        return new LabQuestion(id, kind, prompt.Trim(), choices, Get("answer"), tolerance, parameters, firstLine - 1);
    }

    private static Dictionary<string, string> ReadYaml(string path, string yaml, int firstLine, out Dictionary<string, int> keyLines)
    {
        var node = ReadYamlNode(path, yaml, firstLine);
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        keyLines = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (key, value) in node.Children)
        {
            if (key is not YamlScalarNode { Value: { } name })
            {
                throw new LabFormatException(path, firstLine + (int)key.Start.Line - 1, (int)key.Start.Column, "front matter keys are plain words (id, title, topic, minutes, lessons)");
            }
            keyLines[name] = firstLine + (int)key.Start.Line - 1;
            result[name] = value switch
            {
                YamlScalarNode s => s.Value ?? "",
                YamlSequenceNode list => string.Join('\n', list.Children.OfType<YamlScalarNode>().Select(n => n.Value)),
                _ => "",
            };
        }
        return result;
    }

    private static YamlMappingNode ReadYamlNode(string path, string yaml, int firstLine)
    {
        if (FlowDepth(yaml) > LabMarkdown.MaximumNestingDepth)
        {
            // YamlDotNet parses nested flow collections recursively; refuse before it can exhaust the stack.
            throw new LabFormatException(path, firstLine, 1, $"this YAML nests deeper than {LabMarkdown.MaximumNestingDepth} levels of [ ] or {{ }}");
        }
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(yaml.Trim('-', '\n')));
            if (stream.Documents.Count == 0) return new YamlMappingNode();
            return stream.Documents[0].RootNode as YamlMappingNode
                ?? throw new LabFormatException(path, firstLine, 1, "expected 'key: value' lines");
        }
        catch (YamlException e)
        {
            throw new LabFormatException(path, firstLine + (int)e.Start.Line - 1, (int)e.Start.Column, e.InnerException?.Message ?? e.Message);
        }
        catch (InvalidOperationException e)
        {
            // YamlDotNet reports some malformed flow collections this way, without a position.
            throw new LabFormatException(path, firstLine, 1, $"this YAML does not parse ({e.Message}); check brackets and quotes");
        }
    }

    private static int FlowDepth(string yaml)
    {
        int depth = 0, deepest = 0;
        foreach (var c in yaml)
        {
            if (c is '[' or '{') deepest = Math.Max(deepest, ++depth);
            else if (c is ']' or '}') depth = Math.Max(0, depth - 1);
        }
        return deepest;
    }

    private static string Required(Dictionary<string, string> meta, string key, string path, int line) =>
        meta.TryGetValue(key, out var value) && !string.IsNullOrWhiteSpace(value)
            ? value
            : throw new LabFormatException(path, line, 1, $"the front matter needs '{key}:'");

    private static List<string> List(Dictionary<string, string> meta, string key) =>
        meta.TryGetValue(key, out var value) ? [.. value.Split('\n', StringSplitOptions.RemoveEmptyEntries)] : [];

    private sealed class StepBuilder(int number, string title, int start, int line)
    {
        public int Number { get; } = number;
        public int Start { get; } = start;
        public string Markdown { get; set; } = "";
        public List<AssemblyBlock> Assembly { get; } = [];
        public List<ScriptBlock> Scripts { get; } = [];
        public List<string> Hints { get; } = [];
        public List<LabQuestion> Questions { get; } = [];

        public LabStep Build() => new(Number, title, Markdown, Assembly, Scripts, Hints, Questions, line);
    }
}
