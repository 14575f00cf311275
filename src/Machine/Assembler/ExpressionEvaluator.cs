namespace VirtualizationWorkbench.Machine.Assembler;

/// <summary>
/// Evaluates constant expressions: numbers, symbols, <c>.</c> (the current address), parentheses, unary
/// <c>- ~</c>, and binary <c>* / % + - &lt;&lt; &gt;&gt; &amp; ^ |</c> with C precedence. Values are 64-bit while
/// computing; the use site checks the range.
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
            var left = tokens[position++].Text == "<<";
            var count = Additive();
            value = left ? value << (int)(count & 63) : (long)((ulong)value >> (int)(count & 63));
        }
        return value;
    }

    private long Additive()
    {
        var value = Multiplicative();
        while (Peek("+") || Peek("-"))
        {
            var plus = tokens[position++].Text == "+";
            var right = Multiplicative();
            value = plus ? value + right : value - right;
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
            if (op.Text != "*" && right == 0) throw new SourceError(op.Column, "division by zero in expression");
            value = op.Text switch { "*" => value * right, "/" => value / right, _ => value % right };
        }
        return value;
    }

    private long Unary()
    {
        if (Peek("-")) { position++; return -Unary(); }
        if (Peek("~")) { position++; return ~Unary(); }
        if (Peek("+")) { position++; return Unary(); }
        return Primary();
    }

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
