using System.Text.RegularExpressions;
using Spectre.Console;

namespace VirtualizationWorkbench.Workbench.Terminal.Rendering;

/// <summary>
/// Simple highlighting for the code the course shows: the workbench's assembly language (mnemonics, registers,
/// numbers, labels, directives, <c>;</c> comments) and JavaScript (keywords, strings, numbers, comments). Other
/// languages, and <c>text</c> diagrams, are kept verbatim in one style.
/// </summary>
public static partial class CodeHighlighter
{
    private static readonly HashSet<string> JsKeywords =
    [
        "var", "let", "const", "function", "return", "if", "else", "for", "while", "do", "new", "true", "false",
        "null", "undefined", "this", "typeof", "break", "continue", "switch", "case", "default", "throw", "try", "catch",
    ];

    /// <summary>Whether <paramref name="language"/> (a fence's info word) is highlighted.</summary>
    public static bool Knows(string language) => IsAssembly(language) || IsJavaScript(language);

    /// <summary>One line of code as styled spans.</summary>
    public static StyledLine Line(string language, string line)
    {
        if (IsAssembly(language)) return Assembly(line);
        if (IsJavaScript(language)) return JavaScript(line);
        return StyledLine.Of(line);
    }

    private static bool IsAssembly(string language) => language is "asm" or "s" or "assembly";

    private static bool IsJavaScript(string language) => language is "js" or "javascript";

    private static StyledLine Assembly(string line)
    {
        var spans = new List<StyledSpan>();
        var comment = line.IndexOf(';');
        var code = comment >= 0 ? line[..comment] : line;
        var firstWord = true;
        foreach (Match m in AsmToken().Matches(code))
        {
            var text = m.Value;
            Style style;
            if (m.Groups["space"].Success) style = Style.Plain;
            else if (m.Groups["label"].Success) style = Palette.Label;
            else if (m.Groups["directive"].Success) style = Palette.Label;
            else if (m.Groups["number"].Success) style = Palette.Number;
            else if (m.Groups["string"].Success) style = Palette.String;
            else if (m.Groups["word"].Success && IsRegister(text)) style = Palette.Register;
            else if (m.Groups["word"].Success && firstWord) style = Palette.Keyword;
            else style = Style.Plain;
            if (!m.Groups["space"].Success && !m.Groups["label"].Success) firstWord = false;
            spans.Add(new StyledSpan(text, style));
        }
        if (comment >= 0) spans.Add(new StyledSpan(line[comment..], Palette.Comment));
        return new StyledLine(spans);
    }

    private static bool IsRegister(string word) =>
        word is "sp" or "pc" or "ksp" or "flags" || RegisterName().IsMatch(word);

    private static StyledLine JavaScript(string line)
    {
        var spans = new List<StyledSpan>();
        foreach (Match m in JsToken().Matches(line))
        {
            var style = m.Groups["comment"].Success ? Palette.Comment
                : m.Groups["string"].Success ? Palette.String
                : m.Groups["number"].Success ? Palette.Number
                : m.Groups["word"].Success && JsKeywords.Contains(m.Value) ? Palette.Keyword
                : Style.Plain;
            spans.Add(new StyledSpan(m.Value, style));
        }
        return new StyledLine(spans);
    }

    [GeneratedRegex(@"(?<space>\s+)|(?<label>^\s*[A-Za-z_.][\w.]*:)|(?<directive>\.[A-Za-z]\w*)|(?<string>""(?:[^""\\]|\\.)*""?)|(?<number>\b(?:0x[0-9A-Fa-f_]+|0b[01_]+|\d[\d_]*)\b)|(?<word>[A-Za-z_]\w*)|(?<other>.)")]
    private static partial Regex AsmToken();

    [GeneratedRegex(@"^(r\d{1,2}|cr\d)$")]
    private static partial Regex RegisterName();

    [GeneratedRegex(@"(?<comment>//.*$)|(?<string>""(?:[^""\\]|\\.)*""?|'(?:[^'\\]|\\.)*'?)|(?<number>\b(?:0x[0-9A-Fa-f]+|\d+(?:\.\d+)?)\b)|(?<word>[A-Za-z_$][\w$]*)|(?<other>\s+|.)")]
    private static partial Regex JsToken();
}
