using System.Buffers;
using System.Text;

namespace VirtualizationWorkbench.Sandbox.Registry;

/// <summary>A <c>.reg</c> file that cannot be read: the message names the file, line and column, what was wrong
/// and what to do.</summary>
/// <remarks>The message quotes the file's own text, which may hold bytes that act on the terminal showing it (ESC
/// sequences that retitle or clear it, BEL, bidirectional-text controls that reorder what is read): in the message
/// each is written as an escape such as <c>\x1b</c>. <see cref="File"/> keeps the name as it was given.</remarks>
public sealed class RegFileFormatException(string file, int line, int column, string problem)
    : FormatException($"{Printable(file)}:{line}:{column}: {Printable(problem)}")
{
    /// <summary>The file (or the name given for the text).</summary>
    public string File { get; } = file;

    /// <summary>The 1-based line.</summary>
    public int Line { get; } = line;

    /// <summary>The 1-based column.</summary>
    public int Column { get; } = column;

    /// <summary>
    /// The sandbox's one escaping function for text quoted in an error: each control character (C0, DEL, C1) and
    /// each bidirectional-text control becomes <c>\xNN</c> or <c>\uNNNN</c>; everything else, backslashes included,
    /// is left as it is (the escapes are for reading, not for parsing back).
    /// </summary>
    internal static string Printable(string text)
    {
        if (!text.AsSpan().ContainsAny(Unprintable))
        {
            return text;
        }
        var printable = new StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            if (!Unprintable.Contains(c))
            {
                printable.Append(c);
            }
            else if (c <= '\u00FF')
            {
                printable.Append($"\\x{(int)c:x2}");
            }
            else
            {
                printable.Append($"\\u{(int)c:x4}");
            }
        }
        return printable.ToString();
    }

    private static readonly SearchValues<char> Unprintable = SearchValues.Create(
        string.Concat(Enumerable.Range(0, 0x20).Append(0x7F).Concat(Enumerable.Range(0x80, 0x20)).Select(c => (char)c))
        + "\u061C\u200E\u200F\u202A\u202B\u202C\u202D\u202E\u2066\u2067\u2068\u2069");
}
