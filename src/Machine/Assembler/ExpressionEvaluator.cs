namespace VirtualizationWorkbench.Machine.Assembler;

/// <summary>
/// Evaluates constant expressions: numbers, symbols, <c>.</c> (the current address), parentheses, unary
/// <c>- ~</c>, and binary <c>* / % + - &lt;&lt; &gt;&gt; &amp; ^ |</c> with C precedence. Values are 64-bit signed
/// while computing; the use site checks the range. What cannot be computed is an error at its operator, never a
/// wrapped value or a crash: <c>+ - * /</c> and unary <c>-</c> whose result does not fit in 64 signed bits, division
/// or remainder by zero, and shift counts outside 0-63. Shifts themselves are bit operations: <c>&lt;&lt;</c> drops
/// the bits shifted out (so <c>1 &lt;&lt; 63</c> is the sign bit) and <c>&gt;&gt;</c> shifts zeros in.
/// </summary>
internal sealed class ExpressionEvaluator(IReadOnlyList<Token> tokens, Func<Token, long> resolve)
{
    private int position;

    /// <summary>Evaluates the whole token list.</summary>
    public static long Evaluate(IReadOnlyList<Token> tokens, Func<Token, long> resolve, int fallbackColumn)
    {
        if (tokens.Count == 0) throw new SourceError(fallbackColumn, "expected an expression");
        var evaluator = new ExpressionEvaluator(tokens, resolve);
        var value = evaluator.Or();
        if (evaluator.position < tokens.Count)
        {
            var t = tokens[evaluator.position];
            throw new SourceError(t.Column, $"unexpected '{t.Text}' in expression");
        }
        return value;
    }

    private long Or() => Binary(Xor, "|", (a, b) => a | b);
    private long Xor() => Binary(And, "^", (a, b) => a ^ b);
    private long And() => Binary(Shift, "&", (a, b) => a & b);

    private long Shift()
    {
        var value = Additive();
        while (Peek("<<") || Peek(">>"))
        {
            var op = tokens[position++];
            var count = Additive();
            // Masking the count (as the machine's shifts do) would make 1 << 64 silently 1.
            if (count is < 0 or > 63) throw new SourceError(op.Column, $"shift count {count} is out of range (0 to 63)");
            value = op.Text == "<<" ? value << (int)count : (long)((ulong)value >> (int)count);
        }
        return value;
    }

    private long Additive()
    {
        var value = Multiplicative();
        while (Peek("+") || Peek("-"))
        {
            var op = tokens[position++];
            var right = Multiplicative();
            value = Arithmetic(op, value, right);
        }
        return value;
    }

    private long Multiplicative()
    {
        var value = Unary();
        while (Peek("*") || Peek("/") || Peek("%"))
        {
            var op = tokens[position++];
            var right = Unary();
            if (op.Text == "/" && right == 0) throw new SourceError(op.Column, "division by zero in expression");
            if (op.Text == "%" && right == 0) throw new SourceError(op.Column, "remainder of a division by zero in expression");
            value = Arithmetic(op, value, right);
        }
        return value;
    }

    private long Unary()
    {
        if (Peek("-"))
        {
            var op = tokens[position++];
            var operand = Unary();
            if (operand == long.MinValue) throw new SourceError(op.Column, $"-{Operand(operand)} does not fit in 64 signed bits");
            return -operand;
        }
        if (Peek("~")) { position++; return ~Unary(); }
        if (Peek("+")) { position++; return Unary(); }
        return Primary();
    }

    // The operators that can overflow, with the overflow caught: an error at the operator, not a wrapped value.
    private static long Arithmetic(Token op, long a, long b)
    {
        try
        {
            return op.Text switch
            {
                "+" => checked(a + b),
                "-" => checked(a - b),
                "*" => checked(a * b),
                "/" => a / b,        // long.MinValue / -1 throws OverflowException, checked or not,
                _ => a % b,          // and so does long.MinValue % -1.
            };
        }
        catch (OverflowException)
        {
            throw new SourceError(op.Column, $"{Operand(a)} {op.Text} {Operand(b)} does not fit in 64 signed bits");
        }
    }

    private static string Operand(long value) => value < 0 ? $"({value})" : $"{value}";

    private long Primary()
    {
        if (position >= tokens.Count)
        {
            var last = tokens[^1];
            throw new SourceError(last.Column + last.Text.Length, "expression ends too early");
        }
        var t = tokens[position++];
        switch (t.Kind)
        {
            case TokenKind.Number:
                return t.Value;
            case TokenKind.Identifier:
                return resolve(t);
            case TokenKind.Punctuation when t.Text == "(":
                var value = Or();
                if (!Peek(")")) throw new SourceError(t.Column, "missing ')'");
                position++;
                return value;
            default:
                throw new SourceError(t.Column, $"unexpected '{t.Text}' in expression");
        }
    }

    private long Binary(Func<long> next, string op, Func<long, long, long> apply)
    {
        var value = next();
        while (Peek(op))
        {
            position++;
            value = apply(value, next());
        }
        return value;
    }

    private bool Peek(string punctuation) => position < tokens.Count && tokens[position].Is(punctuation);
}
