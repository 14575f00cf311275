namespace VirtualizationWorkbench.Bytecode.Compiler;

/// <summary>Cuts a <c>.wl</c> source into tokens: identifiers and keywords, decimal/hex/char numbers, strings,
/// one- and two-character symbols; <c>//</c> comments and whitespace are skipped.</summary>
internal static class Lexer
{
    private static readonly string[] TwoCharacterSymbols = ["==", "!=", "<=", ">=", "&&", "||"];

    public static List<SourceToken> Tokenize(string source, Action<int, int, string, string?> error)
    {
        var tokens = new List<SourceToken>();
        int line = 1, column = 1, i = 0;
        while (i < source.Length)
        {
            var c = source[i];
            if (c == '\n')
            {
                Advance(1);
                line++;
                column = 1;
                continue;
            }
            if (char.IsWhiteSpace(c))
            {
                Advance(1);
                continue;
            }
            if (c == '/' && i + 1 < source.Length && source[i + 1] == '/')
            {
                while (i < source.Length && source[i] != '\n') Advance(1);
                continue;
            }
            var startColumn = column;
            if (char.IsAsciiLetter(c) || c == '_')
            {
                var start = i;
                while (i < source.Length && (char.IsAsciiLetterOrDigit(source[i]) || source[i] == '_')) Advance(1);
                tokens.Add(new SourceToken(TokenKind.Identifier, source[start..i], 0, line, startColumn));
                continue;
            }
            if (char.IsAsciiDigit(c))
            {
                var start = i;
                while (i < source.Length && (char.IsAsciiLetterOrDigit(source[i]) || source[i] == '_')) Advance(1);
                var text = source[start..i];
                var parsed = text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
                    ? long.TryParse(text[2..], System.Globalization.NumberStyles.HexNumber, null, out var hex) ? hex : -1
                    : long.TryParse(text, out var dec) ? dec : -1;
                if (parsed is < 0 or > uint.MaxValue)
                {
                    error(line, startColumn, $"'{text}' is not a number the language has (32-bit integers, decimal or 0x hexadecimal)", null);
                    parsed = 0;
                }
                tokens.Add(new SourceToken(TokenKind.Number, text, parsed, line, startColumn));
                continue;
            }
            if (c is '"' or '\'')
            {
                var quote = c;
                var text = new System.Text.StringBuilder();
                Advance(1);
                var closed = false;
                while (i < source.Length && source[i] != '\n')
                {
                    var ch = source[i];
                    if (ch == quote)
                    {
                        Advance(1);
                        closed = true;
                        break;
                    }
                    if (ch == '\\' && i + 1 < source.Length)
                    {
                        var escaped = source[i + 1] switch { 'n' => '\n', 't' => '\t', '0' => '\0', '\\' => '\\', '\'' => '\'', '"' => '"', _ => '\uFFFF' };
                        if (escaped == '\uFFFF') error(line, column, $"unknown escape '\\{source[i + 1]}'", "the escapes are \\n \\t \\0 \\\\ \\' \\\"");
                        text.Append(escaped);
                        Advance(2);
                        continue;
                    }
                    text.Append(ch);
                    Advance(1);
                }
                if (!closed) error(line, startColumn, $"unterminated {(quote == '"' ? "string" : "character")}", $"close it with {quote} on the same line");
                if (quote == '\'')
                {
                    if (closed && text.Length != 1) error(line, startColumn, "a character literal holds exactly one character", "use \"...\" for a string");
                    tokens.Add(new SourceToken(TokenKind.Number, text.ToString(), text.Length > 0 ? text[0] : 0, line, startColumn));
                }
                else
                {
                    tokens.Add(new SourceToken(TokenKind.String, text.ToString(), 0, line, startColumn));
                }
                continue;
            }
            if (i + 1 < source.Length && TwoCharacterSymbols.Contains(source.Substring(i, 2)))
            {
                tokens.Add(new SourceToken(TokenKind.Symbol, source.Substring(i, 2), 0, line, startColumn));
                Advance(2);
                continue;
            }
            if ("(){}[];,=+-*/%<>!".Contains(c))
            {
                tokens.Add(new SourceToken(TokenKind.Symbol, c.ToString(), 0, line, startColumn));
                Advance(1);
                continue;
            }
            error(line, startColumn, $"unexpected character '{c}'", null);
            Advance(1);
        }
        tokens.Add(new SourceToken(TokenKind.End, "end of file", 0, line, column));
        return tokens;

        void Advance(int n)
        {
            i += n;
            column += n;
        }
    }
}
