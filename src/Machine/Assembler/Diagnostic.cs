using System.Text;

namespace VirtualizationWorkbench.Machine.Assembler;

/// <summary>An assembler error: where, what, the line itself and a hint.</summary>
/// <remarks>
/// Errors quote the source, and a source can hold bytes that act on the terminal showing them (ESC sequences that
/// retitle or clear it, BEL, bidirectional-text controls that reorder what is read). <see cref="File"/>,
/// <see cref="Message"/> and <see cref="Hint"/> are therefore kept printable, each such character written as an
/// escape (<c>\x1b</c>, <c>\u202e</c>); <see cref="SourceLine"/> is kept as written, since <see cref="Column"/>
/// counts its characters, and <see cref="ToString"/> escapes it the same way when it quotes it.
/// </remarks>
/// <param name="File">The source file.</param>
/// <param name="Line">1-based line.</param>
/// <param name="Column">1-based column of the offending text.</param>
/// <param name="Message">What is wrong.</param>
/// <param name="SourceLine">The line as written.</param>
/// <param name="Hint">What to do, or null.</param>
public sealed record Diagnostic(string File, int Line, int Column, string Message, string SourceLine, string? Hint)
{
    /// <summary>The source file, printable.</summary>
    public string File { get; init => field = Printable(value); } = Printable(File);

    /// <summary>What is wrong, printable.</summary>
    public string Message { get; init => field = Printable(value); } = Printable(Message);

    /// <summary>What to do, or null; printable.</summary>
    public string? Hint { get; init => field = value is null ? null : Printable(value); } = Hint is null ? null : Printable(Hint);

    /// <summary>The one-line form: <c>kernel.s:12:5: error: unknown instruction 'mvo' (did you mean 'mov'?)</c>.</summary>
    public string Headline => $"{File}:{Line}:{Column}: error: {Message}";

    /// <summary>The headline, the quoted line with a caret under the column, and the hint.</summary>
    public override string ToString()
    {
        var line = SourceLine.Replace('\t', ' ');
        // The caret goes under the column as shown: an escape before it widens the line.
        var before = Column - 1 <= line.Length ? Printable(line[..Math.Max(0, Column - 1)]).Length : Printable(line).Length + Column - 1 - line.Length;
        var text = new StringBuilder(Headline).AppendLine();
        text.Append("    ").AppendLine(Printable(line));
        text.Append("    ").Append(' ', before).Append('^');
        if (Hint is not null) text.AppendLine().Append("    hint: ").Append(Hint);
        return text.ToString();
    }

    /// <summary>
    /// The teaching workbench's one escaping function for text from a file or a guest that it shows on a terminal
    /// (the assembler's diagnostics, the lab engine's errors and check messages): each control character (C0, DEL,
    /// C1) and each bidirectional-text control becomes <c>\xNN</c> or <c>\uNNNN</c>, so the text cannot move the
    /// cursor, retitle or clear the terminal; everything else, backslashes included, is left as it is (the escapes are
    /// for reading, not for parsing back).
    /// </summary>
    public static string Printable(string text)
    {
        if (!text.AsSpan().ContainsAny(Unprintable)) return text;
        var printable = new StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            if (!Unprintable.Contains(c)) printable.Append(c);
            else if (c <= '\u00FF') printable.Append($"\\x{(int)c:x2}");
            else printable.Append($"\\u{(int)c:x4}");
        }
        return printable.ToString();
    }

    private static readonly System.Buffers.SearchValues<char> Unprintable = System.Buffers.SearchValues.Create(
        string.Concat(Enumerable.Range(0, 0x20).Append(0x7F).Concat(Enumerable.Range(0x80, 0x20)).Select(c => (char)c))
        + "\u061C\u200E\u200F\u202A\u202B\u202C\u202D\u202E\u2066\u2067\u2068\u2069");
}

/// <summary>Thrown by <see cref="Assembler.AssembleText"/> and friends when a source has errors: every
/// error of the source, not just the first.</summary>
public sealed class AssemblyException(IReadOnlyList<Diagnostic> diagnostics)
    : Exception(string.Join(Environment.NewLine, diagnostics.Select(d => d.ToString())))
{
    /// <summary>All errors, in source order.</summary>
    public IReadOnlyList<Diagnostic> Diagnostics { get; } = diagnostics;
}
