using System.Globalization;
using System.Text;

namespace VirtualizationWorkbench.Sandbox.Registry;

/// <summary>Reads <c>.reg</c> files as Windows' regedit writes them: either header, UTF-16 LE with a byte-order
/// mark or single-byte text, <c>[KEY]</c> and <c>[-KEY]</c> blocks, <c>@=</c> and <c>"name"=</c> values of every
/// type (<c>"string"</c>, <c>dword:</c>, <c>hex:</c>, <c>hex(N):</c>, <c>-</c>), <c>;</c> comments, and hex data
/// continued over lines with a trailing backslash. Every error names the line and column.</summary>
public static class RegFileParser
{
    private const string Version5Header = "Windows Registry Editor Version 5.00";
    private const string Regedit4Header = "REGEDIT4";

    /// <summary>Parses the file at <paramref name="path"/>.</summary>
    /// <exception cref="RegFileFormatException">The file is not a valid <c>.reg</c> file.</exception>
    public static RegFileDocument ParseFile(string path) => Parse(File.ReadAllBytes(path), path);

    /// <summary>Parses the bytes of a <c>.reg</c> file; <paramref name="name"/> is used in error messages.</summary>
    public static RegFileDocument Parse(byte[] bytes, string name) => Parse(Decode(bytes), name);

    /// <summary>Parses the text of a <c>.reg</c> file.</summary>
    public static RegFileDocument Parse(string text, string name)
    {
        var lines = text.Split('\n').Select(line => line.TrimEnd('\r')).ToArray();
        var index = 0;
        while (index < lines.Length && lines[index].Trim().Length == 0)
        {
            index++;
        }
        if (index == lines.Length)
        {
            throw new RegFileFormatException(name, 1, 1, $"the file is empty; a .reg file starts with '{Version5Header}' or '{Regedit4Header}'.");
        }
        var header = lines[index].Trim();
        var version = header switch
        {
            Version5Header => RegFileVersion.Version5,
            Regedit4Header => RegFileVersion.Regedit4,
            _ => throw new RegFileFormatException(name, index + 1, 1,
                $"expected the header '{Version5Header}' or '{Regedit4Header}', found '{Shorten(header)}'. Is this a .reg file exported by regedit?"),
        };
        var stringEncoding = version == RegFileVersion.Version5 ? Encoding.Unicode : Encoding.UTF8;
        var document = new RegFileDocument();
        RegFileKey? current = null;
        for (index++; index < lines.Length; index++)
        {
            var line = lines[index];
            var start = line.Length - line.TrimStart().Length;
            var trimmed = line.Trim();
            if (trimmed.Length == 0 || trimmed[0] == ';')
            {
                continue;
            }
            var cursor = new Cursor(name, index + 1, line, start);
            if (trimmed[0] == '[')
            {
                current = ParseKeyLine(cursor);
                document.Keys.Add(current);
                continue;
            }
            if (current is null)
            {
                throw cursor.Error("a value appears before any [KEY] line; put it under the key it belongs to.");
            }
            if (current.Delete)
            {
                throw cursor.Error($"a value appears under the deletion [-{current.Path}]; a deleted key has no values.");
            }
            var valueName = cursor.Peek == '@' ? cursor.Take("@") : ParseQuoted(ref cursor, "value name");
            cursor.SkipSpaces();
            cursor.Expect('=', "'=' after the value name");
            cursor.SkipSpaces();
            current.Values.Add((valueName, ParseData(ref cursor, lines, ref index, stringEncoding)));
        }
        return document;
    }

    /// <summary>Text from the bytes of a <c>.reg</c> file: by its byte-order mark, else UTF-8 when the bytes are
    /// valid UTF-8, else Windows-1252-compatible Latin-1 (what an old REGEDIT4 file holds).</summary>
    private static string Decode(byte[] bytes)
    {
        if (bytes.Length >= 2 && bytes[0] == 0xFF && bytes[1] == 0xFE)
        {
            return Encoding.Unicode.GetString(bytes, 2, bytes.Length - 2);
        }
        if (bytes.Length >= 2 && bytes[0] == 0xFE && bytes[1] == 0xFF)
        {
            return Encoding.BigEndianUnicode.GetString(bytes, 2, bytes.Length - 2);
        }
        if (bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF)
        {
            return Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3);
        }
        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return Encoding.Latin1.GetString(bytes);
        }
    }

    private static RegFileKey ParseKeyLine(Cursor cursor)
    {
        cursor.Expect('[', "'['");
        var delete = cursor.Peek == '-';
        if (delete)
        {
            cursor.Advance();
        }
        var pathStart = cursor.Position;
        var close = cursor.Line.LastIndexOf(']');
        if (close < pathStart)
        {
            throw cursor.At(cursor.Line.TrimEnd().Length).Error("the key line has no closing ']'; write it as [HKEY_CURRENT_USER\\Software\\Name].");
        }
        if (cursor.Line[(close + 1)..].Trim().Length > 0)
        {
            throw cursor.At(close + 1).Error("unexpected text after ']'.");
        }
        var path = cursor.Line[pathStart..close];
        try
        {
            return new RegFileKey(RegistryKeyPath.Normalize(path), delete, []);
        }
        catch (ArgumentException e)
        {
            throw cursor.At(pathStart).Error(e.Message);
        }
    }

    private static string ParseQuoted(ref Cursor cursor, string what)
    {
        cursor.Expect('"', $"a {what} in double quotes (or @ for the default value)");
        var text = new StringBuilder();
        while (true)
        {
            if (cursor.AtEnd)
            {
                throw cursor.Error($"the {what} has no closing '\"'.");
            }
            var c = cursor.Advance();
            if (c == '"')
            {
                return text.ToString();
            }
            if (c == '\\')
            {
                if (cursor.AtEnd)
                {
                    throw cursor.Error($"the {what} ends in a lone '\\'; write a backslash as '\\\\'.");
                }
                var escaped = cursor.Advance();
                text.Append(escaped switch
                {
                    '\\' or '"' => escaped,
                    // regedit writes a REG_SZ holding a line break as "\n"; read it back the same way.
                    'n' => '\n',
                    'r' => '\r',
                    '0' => '\0',
                    _ => throw cursor.At(cursor.Position - 2).Error($"unknown escape '\\{escaped}'; only \\\\ and \\\" are allowed."),
                });
                continue;
            }
            text.Append(c);
        }
    }

    private static RegistryValue? ParseData(ref Cursor cursor, string[] lines, ref int index, Encoding stringEncoding)
    {
        if (cursor.Peek == '-')
        {
            cursor.Advance();
            cursor.ExpectEnd();
            return null;
        }
        if (cursor.Peek == '"')
        {
            var text = ParseQuoted(ref cursor, "string");
            cursor.ExpectEnd();
            return RegistryValue.String(text);
        }
        if (cursor.TryTake("dword:"))
        {
            var digitsStart = cursor.Position;
            var digits = cursor.Rest.Trim();
            if (digits.Length is 0 or > 8 || !uint.TryParse(digits, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var number))
            {
                throw cursor.At(digitsStart).Error($"'dword:{digits}' is not a dword; write 1 to 8 hex digits, e.g. dword:0000002a.");
            }
            return RegistryValue.DWord(number);
        }
        var type = RegistryValueType.Binary;
        if (cursor.TryTake("hex("))
        {
            var typeStart = cursor.Position;
            var close = cursor.Line.IndexOf(')', cursor.Position);
            if (close < 0 || !int.TryParse(cursor.Line[cursor.Position..close], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var typeNumber))
            {
                throw cursor.At(typeStart).Error("expected a hex type number and ')' as in hex(2): or hex(7):.");
            }
            type = (RegistryValueType)typeNumber;
            cursor = cursor.At(close + 1);
            cursor.Expect(':', "':' after hex(N)");
        }
        else if (!cursor.TryTake("hex:"))
        {
            throw cursor.Error("expected value data: \"string\", dword:XXXXXXXX, hex:…, hex(N):… or - (delete).");
        }
        return RegistryValue.FromBytes(type, ParseHexBytes(ref cursor, lines, ref index), stringEncoding);
    }

    private static byte[] ParseHexBytes(ref Cursor cursor, string[] lines, ref int index)
    {
        var bytes = new List<byte>();
        while (true)
        {
            cursor.SkipSpaces();
            if (cursor.AtEnd)
            {
                return [.. bytes];
            }
            if (cursor.Peek == '\\' && cursor.Rest.Trim() == "\\")
            {
                // Continued on the next line, which regedit indents by two spaces. Text.Split leaves an empty last
                // line after the final line break, so at the end of the file the next line is blank, not missing.
                if (index + 1 >= lines.Length || lines[index + 1].Trim().Length == 0)
                {
                    throw lines.Skip(index + 1).All(line => line.Trim().Length == 0)
                        ? cursor.Error("the hex data continues ('\\') past the end of the file; remove the trailing '\\' or add the missing bytes.")
                        : cursor.Error($"the hex data continues ('\\') onto line {index + 2}, which is empty; remove the trailing '\\' or put the next bytes there.");
                }
                index++;
                var next = lines[index];
                cursor = new Cursor(cursor.File, index + 1, next, 0);
                continue;
            }
            var start = cursor.Position;
            var end = start;
            while (end < cursor.Line.Length && Uri.IsHexDigit(cursor.Line[end]))
            {
                end++;
            }
            if (end - start is 0 or > 2)
            {
                throw cursor.At(start).Error($"expected a hex byte such as 0a, found '{Shorten(cursor.Rest)}'.");
            }
            bytes.Add(byte.Parse(cursor.Line.AsSpan(start, end - start), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture));
            cursor = cursor.At(end);
            cursor.SkipSpaces();
            if (cursor.AtEnd)
            {
                return [.. bytes];
            }
            cursor.Expect(',', "',' between hex bytes");
        }
    }

    private static string Shorten(string text) => text.Length > 40 ? text[..40] + "…" : text;

    /// <summary>A position in one line, for parsing and for error messages (columns are 1-based).</summary>
    private struct Cursor(string file, int lineNumber, string line, int position)
    {
        public readonly string File = file;
        public readonly int LineNumber = lineNumber;
        public readonly string Line = line;
        public int Position = position;

        public readonly bool AtEnd => Position >= Line.Length;

        public readonly char Peek => AtEnd ? '\0' : Line[Position];

        public readonly string Rest => AtEnd ? "" : Line[Position..];

        public char Advance() => Line[Position++];

        public readonly Cursor At(int position) => new(File, LineNumber, Line, position);

        public readonly RegFileFormatException Error(string problem) => new(File, LineNumber, Position + 1, problem);

        public void SkipSpaces()
        {
            while (!AtEnd && char.IsWhiteSpace(Line[Position]))
            {
                Position++;
            }
        }

        public string Take(string text)
        {
            Position += text.Length;
            return "";
        }

        public bool TryTake(string text)
        {
            if (string.Compare(Line, Position, text, 0, text.Length, StringComparison.OrdinalIgnoreCase) != 0)
            {
                return false;
            }
            Position += text.Length;
            return true;
        }

        public void Expect(char c, string what)
        {
            if (Peek != c)
            {
                throw Error($"expected {what}, found {(AtEnd ? "the end of the line" : $"'{Peek}'")}.");
            }
            Position++;
        }

        public readonly void ExpectEnd()
        {
            if (Rest.Trim().Length > 0)
            {
                throw Error($"unexpected text '{Shorten(Rest.Trim())}' after the value.");
            }
        }
    }
}
