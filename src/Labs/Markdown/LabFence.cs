using Markdig.Parsers;
using Markdig.Syntax;

namespace VirtualizationWorkbench.Labs.Markdown;

/// <summary>A fenced block of a lab or lesson, typed by its info word. Every reader of labs and lessons (the lab
/// parser, <c>lab show</c>, the terminal UI) sees these instead of reading info strings itself.</summary>
public sealed class LabFence(BlockParser parser) : FencedCodeBlock(parser)
{
    /// <summary>What the block is.</summary>
    public LabBlockKind Kind => KindOf(Info);

    /// <summary>Whether a student reading the lab sees the block as it is written: code and assembly are shown;
    /// scripts, hints and questions are not (hints are asked for, questions are shown with the student's numbers).</summary>
    public bool ShownAsWritten => Kind is LabBlockKind.Code or LabBlockKind.Assembly;

    /// <summary>The <c>key=value</c> words after the info word (<c>```asm name=rings</c>).</summary>
    public IReadOnlyDictionary<string, string> Settings
    {
        get
        {
            var settings = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var part in (Arguments ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                var eq = part.IndexOf('=');
                if (eq > 0) settings[part[..eq]] = part[(eq + 1)..];
            }
            return settings;
        }
    }

    /// <summary>The kind an info word names; the one place that knows the words.</summary>
    public static LabBlockKind KindOf(string? info) => (info ?? "").Trim().ToLowerInvariant() switch
    {
        "asm" => LabBlockKind.Assembly,
        "js" or "javascript" or "script" => LabBlockKind.Script,
        "hint" => LabBlockKind.Hint,
        "question" => LabBlockKind.Question,
        _ => LabBlockKind.Code,
    };
}
