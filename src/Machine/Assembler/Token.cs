using System.Globalization;

namespace VirtualizationWorkbench.Machine.Assembler;

/// <summary>Kinds of token in an assembly line.</summary>
internal enum TokenKind { Identifier, Number, String, Punctuation }

/// <summary>One token with its 1-based column.</summary>
internal readonly record struct Token(TokenKind Kind, string Text, long Value, int Column)
{
    public bool Is(string punctuation) => Kind == TokenKind.Punctuation && Text == punctuation;
}

/// <summary>A mistake at a column of the current line, with an optional hint.</summary>
internal sealed class SourceError(int column, string message, string? hint = null) : Exception(message)
{
    public int Column { get; } = column;
    public string? Hint { get; } = hint;
}

/// <summary>Splits one line into tokens; <c>;</c> and <c>//</c> start comments.</summary>
internal static class Lexer
{
    private static readonly string[] TwoCharacter = ["<<", ">>"];

    public static List<Token> Tokenize(string line)
    {
        var tokens = new List<Token>();
        var i = 0;
        while (i < line.Length)
        {
            var ch = line[i];
            if (char.IsWhiteSpace(ch)) { i++; continue; }
            if (ch == ';' || (ch == '/' && i + 1 < line.Length && line[i + 1] == '/')) break;
            var start = i;
            if (char.IsLetter(ch) || ch is '_' or '.' or '$')
            {
                i++;
                while (i < line.Length && (char.IsLetterOrDigit(line[i]) || line[i] is '_' or '.' or '$')) i++;
                tokens.Add(new Token(TokenKind.Identifier, line[start..i], 0, start + 1));
            }
            else if (char.IsDigit(ch))
            {
                while (i < line.Length && (char.IsLetterOrDigit(line[i]) || line[i] == '_')) i++;
                tokens.Add(new Token(TokenKind.Number, line[start..i], ParseNumber(line[start..i], start + 1), start + 1));
            }
            else if (ch == '\'')
            {
                var (value, end) = ReadQuoted(line, i, '\'');
                if (value.Length != 1) throw new SourceError(start + 1, "a character constant holds exactly one character", "write 'a' or '\\n'");
                tokens.Add(new Token(TokenKind.Number, line[start..end], value[0], start + 1));
                i = end;
            }
            else if (ch == '"')
            {
                var (value, end) = ReadQuoted(line, i, '"');
                tokens.Add(new Token(TokenKind.String, value, 0, start + 1));
                i = end;
            }
            else
            {
                var two = i + 1 < line.Length ? line.Substring(i, 2) : "";
                if (TwoCharacter.Contains(two))
                {
                    tokens.Add(new Token(TokenKind.Punctuation, two, 0, start + 1));
                    i += 2;
                }
                else if ("[]+-*/%(),:=&|^~".Contains(ch))
                {
                    tokens.Add(new Token(TokenKind.Punctuation, ch.ToString(), 0, start + 1));
                    i++;
                }
                else
                {
                    throw new SourceError(start + 1, $"unexpected character '{ch}'", "comments start with ';'");
                }
            }
        }
        return tokens;
    }

    private static long ParseNumber(string text, int column)
    {
        var digits = text.Replace("_", "");
        try
        {
            if (digits.StartsWith("0x", StringComparison.OrdinalIgnoreCase)) return long.Parse(digits[2..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
            if (digits.StartsWith("0b", StringComparison.OrdinalIgnoreCase)) return Convert.ToInt64(digits[2..], 2);
            return long.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is FormatException or OverflowException or ArgumentException)
        {
            throw new SourceError(column, $"'{text}' is not a number", "numbers are decimal (42), hexadecimal (0x2a) or binary (0b101010)");
        }
    }

    private static (string Value, int End) ReadQuoted(string line, int start, char quote)
    {
        var value = new System.Text.StringBuilder();
        var i = start + 1;
        while (i < line.Length && line[i] != quote)
        {
            if (line[i] == '\\' && i + 1 < line.Length)
            {
                i++;
                value.Append(line[i] switch
                {
                    'n' => '\n',
                    't' => '\t',
                    'r' => '\r',
                    '0' => '\0',
                    '\\' => '\\',
                    '\'' => '\'',
                    '"' => '"',
                    _ => throw new SourceError(i, $"unknown escape '\\{line[i]}'", "escapes are \\n \\t \\r \\0 \\\\ \\' \\\""),
                });
            }
            else
            {
                value.Append(line[i]);
            }
            i++;
        }
        if (i >= line.Length) throw new SourceError(start + 1, $"missing closing {quote}", null);
        return (value.ToString(), i + 1);
    }
}
