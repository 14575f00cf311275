using System.Buffers.Binary;
using VirtualizationWorkbench.Bytecode.Format;
using VirtualizationWorkbench.Machine.Assembler;

namespace VirtualizationWorkbench.Bytecode.Compiler;

/// <summary>
/// The compiler of the workbench language (<c>.wl</c>, the course's Java) to bytecode (<c>.vbc</c>, its
/// <c>.class</c>): integers and integer arrays, strings as arrays of characters, functions, <c>if</c> and
/// <c>while</c>. The grammar is in <c>curriculum/reference/bytecode.md</c>. One pass over the tokens after a scan
/// of the function headers (so a function may call one defined below it); types are checked as it goes, so what
/// it emits always passes the verifier.
/// </summary>
public sealed class WlCompiler
{
    private enum ValueType
    {
        Int,
        Array,
        Void,
    }

    private sealed record Signature(string Name, int Index, ValueType[] Parameters, string[] ParameterNames, SourceToken At);

    private sealed class CompileStop : Exception;

    private readonly string file;
    private readonly string[] lines;
    private readonly List<Diagnostic> diagnostics = [];
    private List<SourceToken> tokens = [];
    private int position;
    private readonly Dictionary<string, Signature> signatures = [];
    private FunctionBuilder body = null!;

    private WlCompiler(string source, string file)
    {
        this.file = file;
        lines = source.Split('\n');
    }

    /// <summary>Compiles <paramref name="source"/>, named <paramref name="file"/> in errors and the debugging
    /// information.</summary>
    /// <exception cref="CompileException">The source has errors.</exception>
    public static BytecodeModule Compile(string source, string file = "program.wl") => new WlCompiler(source, file).Run();

    /// <summary>Compiles a file.</summary>
    public static BytecodeModule CompileFile(string path) => Compile(File.ReadAllText(path), Path.GetFileName(path));

    private BytecodeModule Run()
    {
        tokens = Lexer.Tokenize(lines.Length > 0 ? string.Join('\n', lines) : "", (line, column, message, hint) => Error(line, column, message, hint));
        if (diagnostics.Count > 0) throw new CompileException(diagnostics);
        var functions = new List<BytecodeFunction>();
        try
        {
            ScanHeaders();
            position = 0;
            while (Peek.Kind != TokenKind.End) functions.Add(Function());
        }
        catch (CompileStop)
        {
        }
        if (diagnostics.Count > 0) throw new CompileException(diagnostics);
        if (!signatures.TryGetValue("main", out var main))
        {
            Error(1, 1, "the program has no function 'main'", "add: fn main() { ... }, where the program starts");
            throw new CompileException(diagnostics);
        }
        if (main.Parameters.Length != 0)
        {
            Error(main.At.Line, main.At.Column, "'main' takes no parameters", null);
            throw new CompileException(diagnostics);
        }
        return new BytecodeModule(functions, main.Index, file);
    }

    // Pass one: every function's name and parameter types, so calls can go forward.
    private void ScanHeaders()
    {
        while (Peek.Kind != TokenKind.End)
        {
            var fnToken = Expect("fn", "a function: fn name(parameters) { ... }");
            var name = ExpectIdentifier("the function's name");
            if (signatures.ContainsKey(name.Text) || IsBuiltin(name.Text)) Fail(name, $"'{name.Text}' is already a function", "give it another name");
            Expect("(", "'(' after the function's name");
            var types = new List<ValueType>();
            var names = new List<string>();
            if (!Accept(")"))
            {
                do
                {
                    var p = ExpectIdentifier("a parameter name");
                    if (names.Contains(p.Text)) Fail(p, $"parameter '{p.Text}' appears twice", null);
                    names.Add(p.Text);
                    if (Accept("["))
                    {
                        Expect("]", "']': an array parameter is written name[]");
                        types.Add(ValueType.Array);
                    }
                    else
                    {
                        types.Add(ValueType.Int);
                    }
                }
                while (Accept(","));
                Expect(")", "')' or ',' in the parameter list");
            }
            if (types.Count > 32) Fail(name, $"'{name.Text}' has {types.Count} parameters; at most 32", null);
            if (signatures.Count == BytecodeModule.MaxFunctions) Fail(fnToken, $"more than {BytecodeModule.MaxFunctions} functions", null);
            signatures[name.Text] = new Signature(name.Text, signatures.Count, [.. types], [.. names], name);
            // Skip the body by its braces.
            var open = Expect("{", "'{' to start the function's body");
            var depth = 1;
            while (depth > 0)
            {
                var t = Next();
                if (t.Kind == TokenKind.End) Fail(open, "this '{' is never closed", "add the missing '}'");
                if (t.Kind == TokenKind.Symbol && t.Text == "{") depth++;
                if (t.Kind == TokenKind.Symbol && t.Text == "}") depth--;
            }
        }
    }

    private BytecodeFunction Function()
    {
        Expect("fn", "a function");
        var name = ExpectIdentifier("the function's name");
        var signature = signatures[name.Text];
        while (!Accept(")")) Next();
        body = new FunctionBuilder(this, name);
        body.OpenScope();
        var mask = 0u;
        for (var i = 0; i < signature.Parameters.Length; i++)
        {
            body.Declare(signature.ParameterNames[i], signature.Parameters[i], name);
            if (signature.Parameters[i] == ValueType.Array) mask |= 1u << i;
        }
        Block();
        // A function that ends without 'return' returns 0.
        body.Emit(Opcode.Push, 0);
        body.Emit(Opcode.Ret);
        if (body.Code.Count > ushort.MaxValue) Fail(name, $"'{name.Text}' compiles to {body.Code.Count} bytes of code; at most {ushort.MaxValue}", "split it into smaller functions");
        return new BytecodeFunction(name.Text, signature.Parameters.Length, body.LocalCount, body.MaxDepth, mask, [.. body.Code], body.Lines)
        {
            LocalNames = body.LocalNames,
        };
    }

    private void Block()
    {
        Expect("{", "'{'");
        body.OpenScope();
        while (!Accept("}"))
        {
            if (Peek.Kind == TokenKind.End) Fail(Peek, "the file ends inside a block", "add the missing '}'");
            Statement();
        }
        body.CloseScope();
    }

    private void Statement()
    {
        var start = Peek;
        body.MarkLine(start);
        if (IsSymbol(start, "{"))
        {
            Block();
            return;
        }
        if (start.Kind != TokenKind.Identifier) Fail(start, $"expected a statement, found '{start.Text}'", "statements are var, if, while, return, assignments and calls");
        switch (start.Text)
        {
            case "var":
                {
                    Next();
                    var name = ExpectIdentifier("the variable's name");
                    Expect("=", "'=': a variable starts with a value (var x = 0;)");
                    var type = Expression();
                    if (type == ValueType.Void) Fail(name, $"'{name.Text}' would hold nothing: the right side returns no value", null);
                    var slot = body.Declare(name.Text, type, name);
                    body.Emit(type == ValueType.Array ? Opcode.AStore : Opcode.IStore, slot);
                    Expect(";", "';' after the statement");
                    return;
                }
            case "if":
                {
                    Next();
                    Condition();
                    var skip = body.EmitJump(Opcode.Jz);
                    Statement();
                    if (Peek.Kind == TokenKind.Identifier && Peek.Text == "else")
                    {
                        Next();
                        var end = body.EmitJump(Opcode.Jmp);
                        body.Patch(skip);
                        Statement();
                        body.Patch(end);
                    }
                    else
                    {
                        body.Patch(skip);
                    }
                    return;
                }
            case "while":
                {
                    Next();
                    var top = body.Code.Count;
                    Condition();
                    var exit = body.EmitJump(Opcode.Jz);
                    Statement();
                    body.EmitJumpTo(Opcode.Jmp, top);
                    body.Patch(exit);
                    return;
                }
            case "return":
                {
                    Next();
                    if (Accept(";"))
                    {
                        body.Emit(Opcode.Push, 0);
                    }
                    else
                    {
                        var at = Peek;
                        if (Expression() != ValueType.Int) Fail(at, "a function returns an integer", null);
                        Expect(";", "';' after the statement");
                    }
                    body.Emit(Opcode.Ret);
                    return;
                }
        }
        if (Keywords.Contains(start.Text)) Fail(start, $"'{start.Text}' cannot start a statement", null);
        var target = Next();
        if (Accept("="))
        {
            var local = body.Find(target.Text) ?? Fail<FunctionBuilder.Local>(target, $"unknown variable '{target.Text}'", $"declare it first: var {target.Text} = ...;");
            var at = Peek;
            var type = Expression();
            if (type != local.Type) Fail(at, $"'{target.Text}' holds {Describe(local.Type)}; the value is {Describe(type)}", null);
            body.Emit(type == ValueType.Array ? Opcode.AStore : Opcode.IStore, local.Slot);
            Expect(";", "';' after the statement");
            return;
        }
        if (IsSymbol(Peek, "["))
        {
            var local = body.Find(target.Text) ?? Fail<FunctionBuilder.Local>(target, $"unknown variable '{target.Text}'", null);
            if (local.Type != ValueType.Array) Fail(target, $"'{target.Text}' is an integer, not an array", null);
            body.Emit(Opcode.ALoad, local.Slot);
            Next();
            IntExpression("an array index");
            Expect("]", "']'");
            Expect("=", "'=': a statement starting a[i] stores into the array");
            IntExpression("an array element");
            body.Emit(Opcode.IAStore);
            Expect(";", "';' after the statement");
            return;
        }
        if (IsSymbol(Peek, "("))
        {
            if (Call(target) != ValueType.Void) body.Emit(Opcode.Pop);
            Expect(";", "';' after the statement");
            return;
        }
        Fail(Peek, $"expected '=', '[' or '(' after '{target.Text}', found '{Peek.Text}'", "a statement is an assignment (x = 1;), an element store (a[i] = 1;) or a call (f(x);)");
    }

    private void Condition()
    {
        Expect("(", "'(' around the condition");
        IntExpression("a condition");
        Expect(")", "')' after the condition");
    }

    private void IntExpression(string what)
    {
        var at = Peek;
        var type = Expression();
        if (type != ValueType.Int) Fail(at, $"{what} must be an integer, not {Describe(type)}", null);
    }

    private ValueType Expression() => Or();

    private ValueType Or()
    {
        var at = Peek;
        var type = And();
        while (IsSymbol(Peek, "||"))
        {
            var op = Next();
            RequireInt(type, at, op);
            // a || b: 1 as soon as one side is non-zero.
            var toTrue = body.EmitJump(Opcode.Jnz);
            IntOperand(op);
            var toTrue2 = body.EmitJump(Opcode.Jnz);
            body.Emit(Opcode.Push, 0);
            var end = body.EmitJump(Opcode.Jmp);
            body.AdjustDepth(-1);
            body.Patch(toTrue);
            body.Patch(toTrue2);
            body.Emit(Opcode.Push, 1);
            body.Patch(end);
            type = ValueType.Int;
        }
        return type;
    }

    private ValueType And()
    {
        var at = Peek;
        var type = Comparison();
        while (IsSymbol(Peek, "&&"))
        {
            var op = Next();
            RequireInt(type, at, op);
            var toFalse = body.EmitJump(Opcode.Jz);
            var right = Peek;
            RequireInt(Comparison(), right, op);
            var toFalse2 = body.EmitJump(Opcode.Jz);
            body.Emit(Opcode.Push, 1);
            var end = body.EmitJump(Opcode.Jmp);
            body.AdjustDepth(-1);
            body.Patch(toFalse);
            body.Patch(toFalse2);
            body.Emit(Opcode.Push, 0);
            body.Patch(end);
            type = ValueType.Int;
        }
        return type;
    }

    private void IntOperand(SourceToken op)
    {
        var at = Peek;
        RequireInt(And(), at, op);
    }

    private ValueType Comparison()
    {
        var at = Peek;
        var type = Sum();
        while (Peek.Kind == TokenKind.Symbol && Peek.Text is "==" or "!=" or "<" or "<=" or ">" or ">=")
        {
            var op = Next();
            RequireInt(type, at, op);
            var right = Peek;
            RequireInt(Sum(), right, op);
            body.Emit(op.Text switch { "==" => Opcode.Eq, "!=" => Opcode.Ne, "<" => Opcode.Lt, "<=" => Opcode.Le, ">" => Opcode.Gt, _ => Opcode.Ge });
            type = ValueType.Int;
        }
        return type;
    }

    private ValueType Sum()
    {
        var at = Peek;
        var type = Product();
        while (Peek.Kind == TokenKind.Symbol && Peek.Text is "+" or "-")
        {
            var op = Next();
            RequireInt(type, at, op);
            var right = Peek;
            RequireInt(Product(), right, op);
            body.Emit(op.Text == "+" ? Opcode.Add : Opcode.Sub);
            type = ValueType.Int;
        }
        return type;
    }

    private ValueType Product()
    {
        var at = Peek;
        var type = Unary();
        while (Peek.Kind == TokenKind.Symbol && Peek.Text is "*" or "/" or "%")
        {
            var op = Next();
            RequireInt(type, at, op);
            var right = Peek;
            RequireInt(Unary(), right, op);
            body.Emit(op.Text == "*" ? Opcode.Mul : op.Text == "/" ? Opcode.Div : Opcode.Rem);
            type = ValueType.Int;
        }
        return type;
    }

    private ValueType Unary()
    {
        if (IsSymbol(Peek, "-") || IsSymbol(Peek, "!"))
        {
            var op = Next();
            var at = Peek;
            RequireInt(Unary(), at, op);
            if (op.Text == "-")
            {
                body.Emit(Opcode.Neg);
            }
            else
            {
                body.Emit(Opcode.Push, 0);
                body.Emit(Opcode.Eq);
            }
            return ValueType.Int;
        }
        var type = Primary();
        while (IsSymbol(Peek, "["))
        {
            var bracket = Next();
            if (type != ValueType.Array) Fail(bracket, $"only an array can be indexed, not {Describe(type)}", null);
            IntExpression("an array index");
            Expect("]", "']'");
            body.Emit(Opcode.IALoad);
            type = ValueType.Int;
        }
        return type;
    }

    private ValueType Primary()
    {
        var t = Next();
        switch (t.Kind)
        {
            case TokenKind.Number:
                body.Emit(Opcode.Push, unchecked((int)(uint)t.Number));
                return ValueType.Int;
            case TokenKind.String:
                // A string is a new array of its characters (UTF-16 code units, as Java's char).
                body.Emit(Opcode.Push, t.Text.Length);
                body.Emit(Opcode.NewArray);
                for (var i = 0; i < t.Text.Length; i++)
                {
                    body.Emit(Opcode.Dup);
                    body.Emit(Opcode.Push, i);
                    body.Emit(Opcode.Push, t.Text[i]);
                    body.Emit(Opcode.IAStore);
                }
                return ValueType.Array;
            case TokenKind.Identifier:
                if (IsSymbol(Peek, "(")) return Call(t);
                if (Keywords.Contains(t.Text)) Fail(t, $"'{t.Text}' cannot be used in an expression", null);
                var local = body.Find(t.Text) ?? Fail<FunctionBuilder.Local>(t, $"unknown variable '{t.Text}'", signatures.ContainsKey(t.Text) ? $"'{t.Text}' is a function: call it with {t.Text}(...)" : $"declare it first: var {t.Text} = ...;");
                body.Emit(local.Type == ValueType.Array ? Opcode.ALoad : Opcode.ILoad, local.Slot);
                return local.Type;
            case TokenKind.Symbol when t.Text == "(":
                var type = Expression();
                Expect(")", "')'");
                return type;
            default:
                return Fail<ValueType>(t, $"expected a value, found '{t.Text}'", null);
        }
    }

    private ValueType Call(SourceToken name)
    {
        Expect("(", "'('");
        var arguments = new List<(ValueType Type, SourceToken At)>();
        if (!Accept(")"))
        {
            do
            {
                var at = Peek;
                arguments.Add((Expression(), at));
            }
            while (Accept(","));
            Expect(")", "')' or ',' in the argument list");
        }
        if (IsBuiltin(name.Text))
        {
            var (parameter, opcode, result) = name.Text switch
            {
                "print" => (ValueType.Int, Opcode.Print, ValueType.Void),
                "putc" => (ValueType.Int, Opcode.PutChar, ValueType.Void),
                "len" => (ValueType.Array, Opcode.ArrayLength, ValueType.Int),
                _ => (ValueType.Int, Opcode.NewArray, ValueType.Array),
            };
            if (arguments.Count != 1) Fail(name, $"'{name.Text}' takes one argument, not {arguments.Count}", null);
            if (arguments[0].Type != parameter) Fail(arguments[0].At, $"'{name.Text}' takes {Describe(parameter)}, not {Describe(arguments[0].Type)}", null);
            body.Emit(opcode);
            return result;
        }
        if (!signatures.TryGetValue(name.Text, out var callee))
        {
            return Fail<ValueType>(name, $"unknown function '{name.Text}'", Machine.Assembler.Suggestions.Closest(name.Text, [.. signatures.Keys, .. Builtins]) is { } close ? $"did you mean '{close}'?" : null);
        }
        if (arguments.Count != callee.Parameters.Length) Fail(name, $"'{name.Text}' takes {callee.Parameters.Length} argument{(callee.Parameters.Length == 1 ? "" : "s")}, not {arguments.Count}", null);
        for (var i = 0; i < arguments.Count; i++)
        {
            if (arguments[i].Type != callee.Parameters[i]) Fail(arguments[i].At, $"argument {i + 1} of '{name.Text}' must be {Describe(callee.Parameters[i])}, not {Describe(arguments[i].Type)}", null);
        }
        body.Emit(Opcode.Call, callee.Index, callee.Parameters.Length);
        return ValueType.Int;
    }

    private static readonly string[] Builtins = ["print", "putc", "len", "array"];
    private static readonly string[] Keywords = ["fn", "var", "if", "else", "while", "return"];

    private static bool IsBuiltin(string name) => Builtins.Contains(name);

    private void RequireInt(ValueType type, SourceToken at, SourceToken op)
    {
        if (type != ValueType.Int) Fail(at, $"'{op.Text}' works on integers, not {Describe(type)}", null);
    }

    private static string Describe(ValueType type) => type switch
    {
        ValueType.Int => "an integer",
        ValueType.Array => "an array",
        _ => "nothing (a call that returns no value)",
    };

    private SourceToken Peek => tokens[position];

    private SourceToken Next() => tokens[position < tokens.Count - 1 ? position++ : position];

    private static bool IsSymbol(SourceToken t, string text) => t.Kind == TokenKind.Symbol && t.Text == text;

    private bool Accept(string symbol)
    {
        if ((Peek.Kind == TokenKind.Symbol || Peek.Kind == TokenKind.Identifier) && Peek.Text == symbol)
        {
            position++;
            return true;
        }
        return false;
    }

    private SourceToken Expect(string symbol, string what)
    {
        var t = Peek;
        if (!Accept(symbol)) Fail(t, $"expected {what}, found '{t.Text}'", null);
        return t;
    }

    private SourceToken ExpectIdentifier(string what)
    {
        var t = Next();
        if (t.Kind != TokenKind.Identifier || Keywords.Contains(t.Text)) Fail(t, $"expected {what}, found '{t.Text}'", null);
        return t;
    }

    private void Error(int line, int column, string message, string? hint) =>
        diagnostics.Add(new Diagnostic(file, line, column, message, line - 1 < lines.Length ? lines[line - 1].TrimEnd('\r') : "", hint));

    private void Fail(SourceToken at, string message, string? hint) => Fail<int>(at, message, hint);

    private T Fail<T>(SourceToken at, string message, string? hint)
    {
        Error(at.Line, at.Column, message, hint);
        throw new CompileStop();
    }

    /// <summary>The code of the function being compiled, its locals in nested scopes, and its stack depth.</summary>
    private sealed class FunctionBuilder(WlCompiler compiler, SourceToken name)
    {
        public readonly record struct Local(int Slot, ValueType Type);

        private readonly List<Dictionary<string, Local>> scopes = [];
        private int depth;

        public List<byte> Code { get; } = [];
        public List<LineEntry> Lines { get; } = [];
        public int LocalCount => LocalNames.Count;
        /// <summary>Each local's variable name, by slot: a slot is never reused, even when its scope closes.</summary>
        public List<string> LocalNames { get; } = [];
        public int MaxDepth { get; private set; }

        public void OpenScope() => scopes.Add([]);

        public void CloseScope() => scopes.RemoveAt(scopes.Count - 1);

        public int Declare(string variable, ValueType type, SourceToken at)
        {
            if (scopes[^1].ContainsKey(variable)) compiler.Fail(at, $"'{variable}' is already declared here", "assign it instead: drop the 'var'");
            if (LocalCount == 255) compiler.Fail(at, $"'{name.Text}' has more than 255 variables", null);
            scopes[^1][variable] = new Local(LocalCount, type);
            LocalNames.Add(variable);
            return LocalCount - 1;
        }

        public Local? Find(string variable)
        {
            for (var i = scopes.Count - 1; i >= 0; i--)
            {
                if (scopes[i].TryGetValue(variable, out var local)) return local;
            }
            return null;
        }

        public void MarkLine(SourceToken at)
        {
            if (Lines.Count > 0 && Lines[^1].Offset == Code.Count) Lines[^1] = new LineEntry(Code.Count, at.Line, at.Column);
            else Lines.Add(new LineEntry(Code.Count, at.Line, at.Column));
        }

        public void AdjustDepth(int delta) => depth += delta;

        public void Emit(Opcode op, int operand = 0, int callParameters = 0)
        {
            Code.Add((byte)op);
            switch (Instructions.OperandSize(op))
            {
                case 1: Code.Add((byte)operand); break;
                case 2: Code.Add((byte)operand); Code.Add((byte)(operand >> 8)); break;
                case 4:
                    Span<byte> bytes = stackalloc byte[4];
                    BinaryPrimitives.WriteInt32LittleEndian(bytes, operand);
                    Code.AddRange(bytes);
                    break;
            }
            depth += op switch
            {
                Opcode.Push or Opcode.Dup or Opcode.ILoad or Opcode.ALoad => 1,
                Opcode.Pop or Opcode.IStore or Opcode.AStore or Opcode.Jz or Opcode.Jnz or Opcode.Ret or Opcode.Print or Opcode.PutChar => -1,
                Opcode.Add or Opcode.Sub or Opcode.Mul or Opcode.Div or Opcode.Rem or Opcode.Eq or Opcode.Ne
                    or Opcode.Lt or Opcode.Le or Opcode.Gt or Opcode.Ge or Opcode.IALoad => -1,
                Opcode.IAStore => -3,
                Opcode.Call => 1 - callParameters,
                _ => 0,
            };
            if (op == Opcode.Ret) depth = 0;
            if (depth > MaxDepth) MaxDepth = depth;
        }

        /// <summary>Emits a forward jump; returns where its operand is, for <see cref="Patch"/>.</summary>
        public int EmitJump(Opcode op)
        {
            Emit(op);
            return Code.Count - 2;
        }

        public void EmitJumpTo(Opcode op, int target) => Emit(op, target);

        public void Patch(int operandAt)
        {
            Code[operandAt] = (byte)Code.Count;
            Code[operandAt + 1] = (byte)(Code.Count >> 8);
        }
    }
}
