using System.Buffers.Binary;
using System.Text;
using VirtualizationWorkbench.Machine.Cpu;
using VirtualizationWorkbench.Machine.Memory;

namespace VirtualizationWorkbench.Machine.Assembler;

/// <summary>Options for one assembly.</summary>
public sealed record AssemblerOptions
{
    /// <summary>Symbols defined before the first line (value 1), for conditional assembly:
    /// <c>.ifdef PARAVIRT</c>.</summary>
    public IReadOnlyCollection<string> Defines { get; init; } = [];

    /// <summary>Reads an included file by full path; null means "not found". Defaults to the file system.</summary>
    public Func<string, string?> ReadFile { get; init; } = path => File.Exists(path) ? File.ReadAllText(path) : null;
}

/// <summary>One line of a listing: address, bytes and source side by side.</summary>
/// <param name="File">Source file.</param>
/// <param name="Line">1-based line.</param>
/// <param name="Address">Address of the first byte, or null for lines that emit nothing.</param>
/// <param name="Bytes">What the line emitted.</param>
/// <param name="Source">The line as written.</param>
public sealed record ListingLine(string File, int Line, uint? Address, byte[] Bytes, string Source);

/// <summary>The outcome of an assembly: the program if there were no errors, every error otherwise, and the
/// listing.</summary>
public sealed class AssemblyResult
{
    internal AssemblyResult(ProgramImage? program, IReadOnlyList<Diagnostic> diagnostics, IReadOnlyList<ListingLine> listing)
    {
        Program = program;
        Diagnostics = diagnostics;
        Listing = listing;
    }

    /// <summary>The program, or null when there were errors.</summary>
    public ProgramImage? Program { get; }

    /// <summary>Every error found, in source order.</summary>
    public IReadOnlyList<Diagnostic> Diagnostics { get; }

    /// <summary>The listing (complete only when there were no errors).</summary>
    public IReadOnlyList<ListingLine> Listing { get; }

    /// <summary>Whether assembly succeeded.</summary>
    public bool Succeeded => Program is not null;

    /// <summary>The listing as text: <c>address  bytes  source</c>, one source line per row (long data wraps).</summary>
    public string FormatListing()
    {
        var text = new StringBuilder();
        foreach (var line in Listing)
        {
            var words = new List<string>();
            for (var i = 0; i < line.Bytes.Length; i += 4)
            {
                var chunk = line.Bytes.AsSpan(i, Math.Min(4, line.Bytes.Length - i));
                words.Add(chunk.Length == 4 ? BinaryPrimitives.ReadUInt32LittleEndian(chunk).ToString("x8") : Convert.ToHexStringLower(chunk));
            }
            var address = line.Address is { } a ? $"{a:x8}" : new string(' ', 8);
            var first = string.Join(' ', words.Take(2));
            text.Append(address).Append("  ").Append(first.PadRight(17)).Append("  ").AppendLine(line.Source);
            for (var i = 2; i < words.Count; i += 2)
            {
                text.Append(' ', 10).AppendLine(string.Join(' ', words.Skip(i).Take(2)));
            }
        }
        return text.ToString();
    }
}

/// <summary>
/// The VW32 assembler. Two passes: the first lays out addresses (following <c>.include</c> and conditional
/// assembly), the second encodes. Every error of the source is reported with file, line, column, the line
/// itself and a hint.
/// </summary>
/// <remarks>
/// Syntax, one statement per line: <c>label: mnemonic operands ; comment</c>. Directives: <c>.org</c>,
/// <c>.align</c>, <c>.word</c>, <c>.byte</c>, <c>.ascii</c>, <c>.asciz</c>, <c>.space</c>, <c>.equ NAME, value</c>
/// (or <c>NAME = value</c>), <c>.entry</c>, <c>.include "file"</c>, <c>.if</c>/<c>.ifdef</c>/<c>.ifndef</c>/
/// <c>.else</c>/<c>.endif</c>. The reference is <c>curriculum/reference/isa.md</c>.
/// </remarks>
public sealed class Assembler
{
    private const int MaxIncludeDepth = 16;

    // Bounds on the whole source, every included file counted each time it is included: a handful of lines that
    // include each other can otherwise ask for billions (3 includes, 16 deep, is 43 million copies). The largest
    // program of the course (the minikernel) is under a thousand lines.
    private const int MaxSourceLines = 200_000;
    private const int MaxSourceChars = 16 * 1024 * 1024;

    // The first errors in source order are the useful ones; past these, only a count.
    private const int MaxDiagnostics = 100;

    // The most bytes one .space or .align may reserve: every reserved byte is in the program image.
    private const int MaxReserved = 64 * 1024 * 1024;

    private static readonly string[] Directives =
        [".org", ".align", ".word", ".byte", ".ascii", ".asciz", ".space", ".equ", ".set", ".entry", ".include", ".if", ".ifdef", ".ifndef", ".else", ".endif", ".global"];

    private static readonly Dictionary<string, string> Aliases = new(StringComparer.OrdinalIgnoreCase)
    {
        ["jz"] = "je",
        ["jnz"] = "jne",
        ["la"] = "li",
    };

    private static readonly string[] Pseudo = ["subi", "inc", "dec", "jz", "jnz", "la"];

    private readonly AssemblerOptions options;
    // The first MaxDiagnostics errors in source order, in a heap whose top is the latest of them: a new error that
    // comes earlier (pass 2 reports lines pass 1 has passed) takes its place. Sequence keeps the reporting order of
    // errors at the same column.
    private readonly PriorityQueue<(ErrorKey Key, Diagnostic Diagnostic), ErrorKey> diagnostics = new(Comparer<ErrorKey>.Create((a, b) => b.CompareTo(a)));
    private int errorCount;
    private (ErrorKey Key, Diagnostic Diagnostic)? firstHidden;
    // The .include lines being assembled, outermost first, and the files they opened (the first is the source).
    private readonly List<(Location Where, int Column, string Included)> includeChain = [];
    private readonly List<string> openFiles = [];
    private long sourceLines, sourceChars;
    private readonly List<Statement> statements = [];
    private readonly List<(int Order, ListingLine Line)> listing = [];
    private readonly Dictionary<string, Symbol> symbols = new(StringComparer.Ordinal);
    private readonly Stack<(bool Active, bool SeenElse, bool ParentActive, Location Where)> conditions = new();
    private uint address = MemoryMap.ProgramBase;
    private int linesRead;
    private Location? entryDirective;
    private List<Token>? entryTokens;

    private Assembler(AssemblerOptions options)
    {
        this.options = options;
        foreach (var name in options.Defines)
        {
            symbols[name] = new Symbol(1, null, IsLabel: false);
        }
    }

    /// <summary>Assembles source text; <paramref name="fileName"/> names it in errors and anchors includes.</summary>
    public static AssemblyResult Assemble(string source, string fileName = "input.s", AssemblerOptions? options = null)
    {
        var assembler = new Assembler(options ?? new AssemblerOptions());
        return assembler.Run(source, fileName);
    }

    /// <summary>Assembles a file.</summary>
    public static AssemblyResult AssembleFile(string path, AssemblerOptions? options = null)
    {
        return Assemble(File.ReadAllText(path), path, options);
    }

    /// <summary>Assembles source text and returns the program, or throws <see cref="AssemblyException"/> with
    /// every error.</summary>
    public static ProgramImage AssembleText(string source, string fileName = "input.s", AssemblerOptions? options = null)
    {
        var result = Assemble(source, fileName, options);
        return result.Program ?? throw new AssemblyException(result.Diagnostics);
    }

    private AssemblyResult Run(string source, string fileName)
    {
        sourceLines = LineCount(source);
        sourceChars = source.Length;
        if (sourceLines > MaxSourceLines || sourceChars > MaxSourceChars)
        {
            // The line itself is not quoted: it may be most of those megabytes.
            Report(new Location(fileName, 1, "", 0), 1, $"the source is longer than {MaxSourceLines:N0} lines or {MaxSourceChars / (1024 * 1024)} MiB of text", "split it into several programs");
        }
        else
        {
            openFiles.Add(Path.GetFullPath(fileName));
            Layout(source, fileName);
        }
        foreach (var open in conditions)
        {
            Report(open.Where, 1, "this conditional block has no .endif", "close it with .endif");
        }
        var chunks = Encode();
        ProgramImage? program = null;
        if (errorCount == 0)
        {
            var segments = MergeSegments(chunks);
            if (errorCount == 0)
            {
                var table = symbols.Where(p => p.Value.Where is not null).ToDictionary(p => p.Key, p => (uint)p.Value.Value, StringComparer.Ordinal);
                program = new ProgramImage(EntryPoint(), segments, table);
            }
        }
        // Errors from both passes, in source order (files in the order they were first read), then where the
        // ones not shown begin.
        var ordered = diagnostics.UnorderedItems.Select(d => d.Element).OrderBy(d => d.Key).Select(d => d.Diagnostic).ToList();
        if (firstHidden is { Diagnostic: var hidden })
        {
            var notShown = errorCount - ordered.Count;
            ordered.Add(hidden with { Message = $"too many errors: {notShown:N0} more not shown, from here on", Hint = "correct the errors above and assemble again" });
        }
        return new AssemblyResult(program, ordered, listing.Select(p => p.Line).ToList());
    }

    // Lines as Layout counts them: the text split at every '\n'.
    private static int LineCount(string text) => text.AsSpan().Count('\n') + 1;

    // ---------------------------------------------------------------- pass 1: layout

    private void Layout(string source, string file)
    {
        var lines = source.Split('\n');
        for (var n = 0; n < lines.Length; n++)
        {
            var text = lines[n].TrimEnd('\r');
            var where = new Location(file, n + 1, text, linesRead++);
            try
            {
                LayoutLine(where, Lexer.Tokenize(text));
            }
            catch (SourceError e)
            {
                Report(where, e.Column, e.Message, e.Hint);
                listing.Add((where.Order, new ListingLine(file, n + 1, null, [], text)));
            }
        }
    }

    private bool Active => conditions.Count == 0 || conditions.Peek().Active;

    private void LayoutLine(Location where, List<Token> tokens)
    {
        if (tokens.Count > 0 && tokens[0].Kind == TokenKind.Identifier && IsConditional(tokens[0].Text))
        {
            Conditional(where, tokens);
            listing.Add((where.Order, new ListingLine(where.File, where.Line, null, [], where.Text)));
            return;
        }
        if (!Active)
        {
            listing.Add((where.Order, new ListingLine(where.File, where.Line, null, [], where.Text)));
            return;
        }

        // Labels: name ':' at the start of the line, possibly several.
        while (tokens.Count >= 2 && tokens[0].Kind == TokenKind.Identifier && tokens[1].Is(":"))
        {
            Define(where, tokens[0], address, isLabel: true);
            tokens.RemoveRange(0, 2);
        }
        if (tokens.Count == 0)
        {
            listing.Add((where.Order, new ListingLine(where.File, where.Line, address, [], where.Text)));
            return;
        }
        var head = tokens[0];
        if (head.Kind != TokenKind.Identifier)
        {
            throw new SourceError(head.Column, $"expected an instruction, a directive or a label, not '{head.Text}'");
        }
        if (tokens.Count >= 2 && tokens[1].Is("="))
        {
            Define(where, head, EvaluateNow(tokens.Skip(2).ToList(), head.Column), isLabel: false);
            listing.Add((where.Order, new ListingLine(where.File, where.Line, null, [], where.Text)));
            return;
        }
        var operands = SplitOperands(tokens, 1);
        var name = head.Text.ToLowerInvariant();
        if (name.StartsWith('.'))
        {
            Directive(where, head, name, operands);
            return;
        }
        var size = InstructionSize(head, name, operands);
        statements.Add(new Statement(where, address, head, name, operands, size, IsData: false));
        address += (uint)size;
    }

    private static bool IsConditional(string word) => word.ToLowerInvariant() is ".if" or ".ifdef" or ".ifndef" or ".else" or ".endif";

    private void Conditional(Location where, List<Token> tokens)
    {
        var head = tokens[0];
        var parentActive = Active;
        switch (head.Text.ToLowerInvariant())
        {
            case ".if":
                var value = parentActive ? EvaluateNow(tokens.Skip(1).ToList(), head.Column + head.Text.Length) != 0 : false;
                conditions.Push((parentActive && value, false, parentActive, where));
                break;
            case ".ifdef":
            case ".ifndef":
                if (tokens.Count != 2 || tokens[1].Kind != TokenKind.Identifier)
                {
                    throw new SourceError(head.Column, $"{head.Text} takes one symbol name", $"{head.Text} PARAVIRT");
                }
                var defined = symbols.ContainsKey(tokens[1].Text);
                var want = head.Text.Equals(".ifdef", StringComparison.OrdinalIgnoreCase);
                conditions.Push((parentActive && defined == want, false, parentActive, where));
                break;
            case ".else":
                if (conditions.Count == 0) throw new SourceError(head.Column, ".else without .if", null);
                var top = conditions.Pop();
                if (top.SeenElse) throw new SourceError(head.Column, "a second .else in the same block", null);
                conditions.Push((top.ParentActive && !top.Active, true, top.ParentActive, top.Where));
                break;
            default:
                if (conditions.Count == 0) throw new SourceError(head.Column, ".endif without .if", null);
                conditions.Pop();
                break;
        }
    }

    private void Directive(Location where, Token head, string name, List<List<Token>> operands)
    {
        var start = address;
        switch (name)
        {
            case ".org":
                Expect(head, operands, 1, ".org 0x1000");
                var target = EvaluateNow(operands[0], head.Column);
                if (target is < 0 or > uint.MaxValue) throw new SourceError(operands[0][0].Column, $"address {target} is outside the 32-bit address space");
                address = (uint)target;
                start = address;
                break;
            case ".align":
                Expect(head, operands, 1, ".align 4096");
                var alignment = EvaluateNow(operands[0], head.Column);
                if (alignment <= 0 || (alignment & (alignment - 1)) != 0) throw new SourceError(operands[0][0].Column, $"alignment {alignment} is not a power of two");
                var padding = (alignment - address % alignment) % alignment;
                if (padding > MaxReserved)
                {
                    throw new SourceError(operands[0][0].Column, $"aligning to {alignment} here would take {padding} bytes of padding (at most 64 MiB)", "use .org to place code or data far away");
                }
                statements.Add(new Statement(where, address, head, ".space", [], (int)padding, IsData: true));
                address += (uint)padding;
                return;
            case ".space":
                if (operands.Count is < 1 or > 2) throw new SourceError(head.Column, ".space takes a size and an optional fill byte", ".space 64, 0");
                var count = EvaluateNow(operands[0], head.Column);
                if (count is < 0 or > MaxReserved) throw new SourceError(operands[0][0].Column, $"size {count} is out of range (0 to 64 MiB)");
                statements.Add(new Statement(where, address, head, name, operands, (int)count, IsData: true));
                address += (uint)count;
                return;
            case ".word":
            case ".byte":
                if (operands.Count == 0) throw new SourceError(head.Column, $"{name} needs at least one value", $"{name} 1, 2, 3");
                var itemSize = name == ".word" ? 4 : 1;
                statements.Add(new Statement(where, address, head, name, operands, operands.Count * itemSize, IsData: true));
                address += (uint)(operands.Count * itemSize);
                return;
            case ".ascii":
            case ".asciz":
                if (operands.Count != 1 || operands[0].Count != 1 || operands[0][0].Kind != TokenKind.String)
                {
                    throw new SourceError(head.Column, $"{name} takes one string", $"{name} \"hello\\n\"");
                }
                var bytes = Encoding.UTF8.GetByteCount(operands[0][0].Text) + (name == ".asciz" ? 1 : 0);
                statements.Add(new Statement(where, address, head, name, operands, bytes, IsData: true));
                address += (uint)bytes;
                return;
            case ".equ":
            case ".set":
                if (operands.Count != 2 || operands[0].Count != 1 || operands[0][0].Kind != TokenKind.Identifier)
                {
                    throw new SourceError(head.Column, $"{name} takes a name and a value", $"{name} STACK_TOP, 0x80000");
                }
                Define(where, operands[0][0], EvaluateNow(operands[1], head.Column), isLabel: false);
                break;
            case ".entry":
                Expect(head, operands, 1, ".entry start");
                entryDirective = where;
                entryTokens = operands[0];
                break;
            case ".global":
                break;
            case ".include":
                if (operands.Count != 1 || operands[0].Count != 1 || operands[0][0].Kind != TokenKind.String)
                {
                    throw new SourceError(head.Column, ".include takes a file name in quotes", ".include \"console.s\"");
                }
                listing.Add((where.Order, new ListingLine(where.File, where.Line, null, [], where.Text)));
                Include(where, operands[0][0]);
                return;
            default:
                var suggestion = Suggestions.Closest(name, Directives);
                throw new SourceError(head.Column, $"unknown directive '{head.Text}'" + (suggestion is null ? "" : $" (did you mean '{suggestion}'?)"),
                    suggestion is null ? "directives are " + string.Join(' ', Directives) : null);
        }
        listing.Add((where.Order, new ListingLine(where.File, where.Line, name == ".org" ? start : null, [], where.Text)));
    }

    private void Include(Location where, Token file)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(where.File)) ?? ".";
        var path = Path.GetFullPath(Path.Combine(directory, file.Text));
        var name = Path.GetRelativePath(Environment.CurrentDirectory, path);
        // Each error names the chain of includes that led here, so the student sees which line to change.
        string Chain() => string.Join(", ", includeChain.Append((Where: where, file.Column, Included: name)).Select(i => $"{i.Where.File}:{i.Where.Line}:{i.Column} includes {i.Included}"));
        if (openFiles.Contains(path))
        {
            throw new SourceError(file.Column, $"include cycle: {name} is already being assembled ({Chain()})", "a file cannot include itself, directly or through other files");
        }
        if (includeChain.Count >= MaxIncludeDepth)
        {
            throw new SourceError(file.Column, $"includes nest more than {MaxIncludeDepth} deep ({Chain()})", "include the innermost files from further out");
        }
        var text = options.ReadFile(path)
            ?? throw new SourceError(file.Column, $"cannot find included file '{file.Text}' (looked for {path})", "include paths are relative to the including file");
        const string Counted = "the limit counts a file again each time it is included; is a file included many times over?";
        var lines = LineCount(text);
        if (sourceLines + lines > MaxSourceLines)
        {
            throw new SourceError(file.Column, $"including {name} would take the source past {MaxSourceLines:N0} lines", Counted);
        }
        if (sourceChars + text.Length > MaxSourceChars)
        {
            throw new SourceError(file.Column, $"including {name} would take the source past {MaxSourceChars / (1024 * 1024)} MiB of text", Counted);
        }
        sourceLines += lines;
        sourceChars += text.Length;
        includeChain.Add((where, file.Column, name));
        openFiles.Add(path);
        try
        {
            Layout(text, name);
        }
        finally
        {
            includeChain.RemoveAt(includeChain.Count - 1);
            openFiles.RemoveAt(openFiles.Count - 1);
        }
    }

    private int InstructionSize(Token head, string name, List<List<Token>> operands)
    {
        if (Aliases.TryGetValue(name, out var alias)) name = alias;
        if (name == "mov" && operands.Count == 2 && !IsRegisterOperand(operands[1])) return 8;
        if (name is "subi" or "inc" or "dec") return 4;
        var info = InstructionSet.Find(name);
        if (info is null)
        {
            var suggestion = Suggestions.Closest(name, InstructionSet.Mnemonics.Concat(Pseudo).Concat(Directives.Select(d => d.TrimStart('.'))));
            var isDirective = suggestion is not null && Directives.Contains("." + suggestion);
            throw new SourceError(head.Column, $"unknown instruction '{head.Text}'" +
                (suggestion is null ? "" : isDirective ? $" (did you mean '.{suggestion}'?)" : $" (did you mean '{suggestion}'?)"),
                suggestion is null ? "see curriculum/reference/isa.md for the instruction set" : null);
        }
        return info.Length;
    }

    private static bool IsRegisterOperand(List<Token> operand) =>
        operand.Count == 1 && operand[0].Kind == TokenKind.Identifier && (Registers.General(operand[0].Text) >= 0 || Registers.Control(operand[0].Text) >= 0);

    private void Define(Location where, Token name, long value, bool isLabel)
    {
        if (Registers.General(name.Text) >= 0 || Registers.Control(name.Text) >= 0)
        {
            throw new SourceError(name.Column, $"'{name.Text}' is a register name and cannot be a label or constant");
        }
        if (InstructionSet.Find(name.Text) is not null)
        {
            throw new SourceError(name.Column, $"'{name.Text}' is an instruction name and cannot be a label or constant");
        }
        if (symbols.TryGetValue(name.Text, out var existing))
        {
            var at = existing.Where is { } w ? $" at {w.File}:{w.Line}" : " on the command line";
            throw new SourceError(name.Column, $"'{name.Text}' is already defined{at}", "every label and constant needs its own name");
        }
        symbols[name.Text] = new Symbol(value, where, isLabel);
    }

    private long EvaluateNow(List<Token> tokens, int column) => ExpressionEvaluator.Evaluate(tokens, t =>
    {
        if (t.Text is "." or "$") return address;
        if (symbols.TryGetValue(t.Text, out var s)) return s.Value;
        throw new SourceError(t.Column, $"'{t.Text}' must be defined before this line", "define constants above their first use");
    }, column);

    // ---------------------------------------------------------------- pass 2: encoding

    private List<(uint Address, byte[] Bytes, Location Where)> Encode()
    {
        var chunks = new List<(uint, byte[], Location)>();
        var byLine = new Dictionary<(string, int), byte[]>();
        foreach (var statement in statements)
        {
            byte[] bytes;
            try
            {
                bytes = statement.IsData ? EncodeData(statement) : EncodeInstruction(statement);
            }
            catch (SourceError e)
            {
                Report(statement.Where, e.Column, e.Message, e.Hint);
                bytes = new byte[statement.Size];
            }
            chunks.Add((statement.Address, bytes, statement.Where));
            listing.Add((statement.Where.Order, new ListingLine(statement.Where.File, statement.Where.Line, statement.Address, bytes, statement.Where.Text)));
        }
        SortListing();
        return chunks;
    }

    private void SortListing()
    {
        // Pass 2 appended the emitting lines after everything else; reading order puts them back in place,
        // with included files inline. The sort is stable, so a line's entries keep their order.
        var sorted = listing.OrderBy(p => p.Order).ToList();
        listing.Clear();
        listing.AddRange(sorted);
    }

    private byte[] EncodeData(Statement s)
    {
        var bytes = new byte[s.Size];
        switch (s.Mnemonic)
        {
            case ".word":
                for (var i = 0; i < s.Operands.Count; i++)
                {
                    var v = Range(Evaluate(s, s.Operands[i]), int.MinValue, uint.MaxValue, s.Operands[i][0].Column, "a 32-bit word");
                    BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(i * 4), (uint)v);
                }
                break;
            case ".byte":
                for (var i = 0; i < s.Operands.Count; i++)
                {
                    bytes[i] = (byte)Range(Evaluate(s, s.Operands[i]), -128, 255, s.Operands[i][0].Column, "a byte");
                }
                break;
            case ".ascii":
            case ".asciz":
                Encoding.UTF8.GetBytes(s.Operands[0][0].Text).CopyTo(bytes, 0);
                break;
            case ".space":
                if (s.Operands.Count == 2)
                {
                    Array.Fill(bytes, (byte)Range(Evaluate(s, s.Operands[1]), -128, 255, s.Operands[1][0].Column, "a fill byte"));
                }
                break;
        }
        return bytes;
    }

    private byte[] EncodeInstruction(Statement s)
    {
        var name = Aliases.GetValueOrDefault(s.Mnemonic, s.Mnemonic);
        var ops = s.Operands;
        uint word;
        uint? extra = null;
        switch (name)
        {
            case "subi":
                Expect(s.Head, ops, 3, "subi rd, rs, imm");
                word = Word(Opcode.Addi, Reg(ops[0]), Reg(ops[1]), Signed16(-Evaluate(s, ops[2]), ops[2]));
                break;
            case "inc":
            case "dec":
                Expect(s.Head, ops, 1, $"{name} rd");
                var r = Reg(ops[0]);
                word = Word(Opcode.Addi, r, r, name == "inc" ? 1u : 0xFFFFu);
                break;
            case "mov":
                Expect(s.Head, ops, 2, "mov rd, rs | mov crN, rs | mov rd, crN | mov rd, imm32");
                if (Registers.Control(Single(ops[0])) >= 0)
                {
                    word = Word(Opcode.Mtcr, ControlReg(ops[0]), Reg(ops[1]), 0);
                }
                else if (ops[1].Count == 1 && Registers.Control(Single(ops[1])) >= 0)
                {
                    word = Word(Opcode.Mfcr, Reg(ops[0]), ControlReg(ops[1]), 0);
                }
                else if (IsRegisterOperand(ops[1]))
                {
                    word = Word(Opcode.Mov, Reg(ops[0]), Reg(ops[1]), 0);
                }
                else
                {
                    word = Word(Opcode.Li, Reg(ops[0]), 0, 0);
                    extra = (uint)Range(Evaluate(s, ops[1]), int.MinValue, uint.MaxValue, ops[1][0].Column, "32 bits");
                }
                break;
            default:
                var info = InstructionSet.Find(name)!;
                (word, extra) = EncodeForm(s, info, ops);
                break;
        }
        var bytes = new byte[s.Size];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, word);
        if (extra is { } e) BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(4), e);
        return bytes;
    }

    private (uint Word, uint? Extra) EncodeForm(Statement s, InstructionInfo info, List<List<Token>> ops)
    {
        var op = info.Opcode;
        var m = info.Mnemonic;
        switch (info.Form)
        {
            case OperandForm.None:
                Expect(s.Head, ops, 0, m);
                return (Word(op, 0, 0, 0), null);
            case OperandForm.Source:
                Expect(s.Head, ops, 1, $"{m} rs");
                return (Word(op, 0, Reg(ops[0]), 0), null);
            case OperandForm.Destination:
                Expect(s.Head, ops, 1, $"{m} rd");
                return (Word(op, Reg(ops[0]), 0, 0), null);
            case OperandForm.TwoRegisters:
                Expect(s.Head, ops, 2, $"{m} rd, rs");
                return (Word(op, Reg(ops[0]), Reg(ops[1]), 0), null);
            case OperandForm.ThreeRegisters:
                Expect(s.Head, ops, 3, $"{m} rd, rs, rt");
                return (Word(op, Reg(ops[0]), Reg(ops[1]), (uint)Reg(ops[2])), null);
            case OperandForm.RegistersImmediate:
                Expect(s.Head, ops, 3, $"{m} rd, rs, imm");
                var imm = Evaluate(s, ops[2]);
                var field = op is Opcode.Addi or Opcode.Muli ? Signed16(imm, ops[2])
                    : op is Opcode.Shli or Opcode.Shri or Opcode.Sari ? (uint)Range(imm, 0, 31, ops[2][0].Column, "a shift count (0-31)")
                    : (uint)Range(imm, 0, 0xFFFF, ops[2][0].Column, "16 unsigned bits (0-65535)");
                return (Word(op, Reg(ops[0]), Reg(ops[1]), field), null);
            case OperandForm.RegisterImmediate:
                Expect(s.Head, ops, 2, $"{m} rd, imm");
                return (Word(op, Reg(ops[0]), 0, Signed16(Evaluate(s, ops[1]), ops[1])), null);
            case OperandForm.RegisterImmediate32:
                Expect(s.Head, ops, 2, $"{m} rd, imm32");
                return (Word(op, Reg(ops[0]), 0, 0), (uint)Range(Evaluate(s, ops[1]), int.MinValue, uint.MaxValue, ops[1][0].Column, "32 bits"));
            case OperandForm.Load:
                Expect(s.Head, ops, 2, $"{m} rd, [rs + offset]");
                var (baseReg, disp) = MemoryOperand(s, ops[1]);
                return (Word(op, Reg(ops[0]), baseReg, disp), null);
            case OperandForm.Store:
                Expect(s.Head, ops, 2, $"{m} [rs + offset], rd");
                var (storeBase, storeDisp) = MemoryOperand(s, ops[0]);
                return (Word(op, Reg(ops[1]), storeBase, storeDisp), null);
            case OperandForm.Branch:
                Expect(s.Head, ops, 1, $"{m} label");
                var target = Evaluate(s, ops[0]);
                var delta = target - (s.Address + 4);
                if ((delta & 3) != 0) throw new SourceError(ops[0][0].Column, $"branch target 0x{target:x} is not a multiple of 4 bytes from the next instruction", "instructions are 4-byte aligned; is the label on data?");
                var words = delta / 4;
                if (words is < short.MinValue or > short.MaxValue) throw new SourceError(ops[0][0].Column, $"branch target 0x{target:x} is {delta} bytes away, beyond ±128 KiB", "load the address with li and use jmpr / callr");
                return (Word(op, 0, 0, (uint)(words & 0xFFFF)), null);
            case OperandForm.Vector:
                Expect(s.Head, ops, 1, $"{m} 0x80");
                return (Word(op, 0, 0, (uint)Range(Evaluate(s, ops[0]), 0, 255, ops[0][0].Column, "a vector (0-255)")), null);
            case OperandForm.PortIn:
                Expect(s.Head, ops, 2, $"{m} rd, port");
                return (Word(op, Reg(ops[0]), 0, (uint)Range(Evaluate(s, ops[1]), 0, 0xFFFF, ops[1][0].Column, "a port number (0-65535)")), null);
            case OperandForm.PortOut:
                Expect(s.Head, ops, 2, $"{m} port, rs");
                return (Word(op, 0, Reg(ops[1]), (uint)Range(Evaluate(s, ops[0]), 0, 0xFFFF, ops[0][0].Column, "a port number (0-65535)")), null);
            default:
                throw new InvalidOperationException($"form {info.Form} is encoded through 'mov'");
        }
    }

    private (int Base, uint Displacement) MemoryOperand(Statement s, List<Token> operand)
    {
        if (operand.Count < 3 || !operand[0].Is("[") || !operand[^1].Is("]"))
        {
            throw new SourceError(operand[0].Column, "expected a memory operand in brackets", "write [r2], [r2 + 8] or [sp - 4]");
        }
        var inner = operand.Skip(1).Take(operand.Count - 2).ToList();
        if (inner[0].Kind != TokenKind.Identifier || Registers.General(inner[0].Text) < 0)
        {
            throw new SourceError(inner[0].Column, "a memory operand starts with a base register", "load the address into a register first: li r1, table then ld r2, [r1]");
        }
        var baseReg = Registers.General(inner[0].Text);
        if (inner.Count == 1) return (baseReg, 0);
        if (!inner[1].Is("+") && !inner[1].Is("-"))
        {
            throw new SourceError(inner[1].Column, $"expected '+' or '-' after the base register, not '{inner[1].Text}'", "write [r2 + 8]");
        }
        var offset = Evaluate(s, inner.Skip(1).ToList());
        return (baseReg, Signed16(offset, inner.Skip(1).ToList(), "an offset"));
    }

    private long Evaluate(Statement s, List<Token> tokens) => ExpressionEvaluator.Evaluate(tokens, t =>
    {
        if (t.Text is "." or "$") return s.Address;
        if (symbols.TryGetValue(t.Text, out var symbol)) return symbol.Value;
        if (Registers.General(t.Text) >= 0 || Registers.Control(t.Text) >= 0)
        {
            throw new SourceError(t.Column, $"register '{t.Text}' where a value was expected", "check the operand order against the instruction's form");
        }
        var suggestion = Suggestions.Closest(t.Text, symbols.Keys);
        throw new SourceError(t.Column, $"undefined symbol '{t.Text}'" + (suggestion is null ? "" : $" (did you mean '{suggestion}'?)"),
            suggestion is null ? "define it as a label (name:) or a constant (.equ name, value)" : null);
    }, s.Head.Column);

    private static int Reg(List<Token> operand)
    {
        var name = Single(operand);
        var n = Registers.General(name);
        if (n >= 0) return n;
        var column = operand.Count > 0 ? operand[0].Column : 1;
        if (Registers.Control(name) >= 0) throw new SourceError(column, $"control register '{name}' is only allowed in mov", "mov r1, cr3 or mov cr3, r1");
        var suggestion = Registers.LooksLikeRegister(name) ? null : Suggestions.Closest(name, Registers.GeneralNames);
        throw new SourceError(column, $"expected a register, not '{string.Join(' ', operand.Select(t => t.Text))}'" + (suggestion is null ? "" : $" (did you mean '{suggestion}'?)"),
            "registers are r0-r15, sp (r15) and fp (r14)");
    }

    private static int ControlReg(List<Token> operand)
    {
        var n = Registers.Control(Single(operand));
        if (n >= 0) return n;
        throw new SourceError(operand[0].Column, $"'{Single(operand)}' is not a control register", "control registers are cr0, cr2, cr3, cr4 (ksp) and cr8");
    }

    private static string Single(List<Token> operand) => operand.Count == 1 && operand[0].Kind == TokenKind.Identifier ? operand[0].Text : string.Join("", operand.Select(t => t.Text));

    private static uint Signed16(long value, List<Token> operand, string what = "an immediate")
    {
        if (value is < short.MinValue or > short.MaxValue)
        {
            throw new SourceError(operand[0].Column, $"{what} of {value} does not fit in 16 signed bits (-32768 to 32767)", "load larger values with li into a register");
        }
        return (uint)value & 0xFFFF;
    }

    private static long Range(long value, long min, long max, int column, string what)
    {
        if (value < min || value > max) throw new SourceError(column, $"{value} does not fit in {what}", null);
        return value;
    }

    private static uint Word(Opcode op, int rd, int rs, uint imm16) => InstructionWord.Encode(op, rd, rs, imm16).Value;

    private static void Expect(Token head, List<List<Token>> operands, int count, string usage)
    {
        if (operands.Count != count)
        {
            throw new SourceError(head.Column, $"'{head.Text}' takes {count} operand{(count == 1 ? "" : "s")}, not {operands.Count}", $"usage: {usage}");
        }
    }

    private static List<List<Token>> SplitOperands(List<Token> tokens, int start)
    {
        var operands = new List<List<Token>>();
        if (start >= tokens.Count) return operands;
        var current = new List<Token>();
        var nesting = 0;
        for (var i = start; i < tokens.Count; i++)
        {
            var t = tokens[i];
            if (t.Is("[") || t.Is("(")) nesting++;
            if (t.Is("]") || t.Is(")")) nesting--;
            if (t.Is(",") && nesting == 0)
            {
                if (current.Count == 0) throw new SourceError(t.Column, "empty operand before ','");
                operands.Add(current);
                current = [];
                continue;
            }
            current.Add(t);
        }
        if (current.Count == 0) throw new SourceError(tokens[^1].Column, "missing operand after ','");
        operands.Add(current);
        return operands;
    }

    // ---------------------------------------------------------------- output

    private List<Segment> MergeSegments(List<(uint Address, byte[] Bytes, Location Where)> chunks)
    {
        var segments = new List<Segment>();
        var ordered = chunks.Where(c => c.Bytes.Length > 0).OrderBy(c => c.Address).ToList();
        var i = 0;
        while (i < ordered.Count)
        {
            var start = ordered[i].Address;
            var data = new List<byte>(ordered[i].Bytes);
            var end = (ulong)start + (ulong)ordered[i].Bytes.Length;
            i++;
            while (i < ordered.Count && ordered[i].Address <= end)
            {
                if (ordered[i].Address < end)
                {
                    Report(ordered[i].Where, 1, $"this line's bytes at 0x{ordered[i].Address:x8} overlap earlier code or data", "check the .org directives");
                }
                data.AddRange(ordered[i].Bytes);
                end = (ulong)ordered[i].Address + (ulong)ordered[i].Bytes.Length;
                i++;
            }
            if (end > uint.MaxValue + 1UL) Report(ordered[^1].Where, 1, "code or data runs past the end of the 32-bit address space", null);
            segments.Add(new Segment(start, [.. data]));
        }
        return segments;
    }

    private uint EntryPoint()
    {
        if (entryTokens is not null && entryDirective is { } where)
        {
            try
            {
                return (uint)ExpressionEvaluator.Evaluate(entryTokens, t => symbols.TryGetValue(t.Text, out var s)
                    ? s.Value
                    : throw new SourceError(t.Column, $"undefined symbol '{t.Text}' in .entry", null), 1);
            }
            catch (SourceError e)
            {
                Report(where, e.Column, e.Message, e.Hint);
                return 0;
            }
        }
        foreach (var name in new[] { "start", "_start" })
        {
            if (symbols.TryGetValue(name, out var s) && s.IsLabel) return (uint)s.Value;
        }
        return statements.FirstOrDefault(s => !s.IsData)?.Address ?? statements.FirstOrDefault()?.Address ?? MemoryMap.ProgramBase;
    }

    private void Report(Location where, int column, string message, string? hint)
    {
        var entry = (Key: new ErrorKey(where.Order, column, errorCount++), Diagnostic: new Diagnostic(where.File, where.Line, column, message, where.Text, hint));
        if (diagnostics.Count < MaxDiagnostics)
        {
            diagnostics.Enqueue(entry, entry.Key);
            return;
        }
        // Full: the latest of the kept errors and the new one, whichever comes later in the source, is hidden.
        var hidden = diagnostics.EnqueueDequeue(entry, entry.Key);
        if (firstHidden is not { } first || hidden.Key.CompareTo(first.Key) < 0) firstHidden = hidden;
    }

    private readonly record struct ErrorKey(int Order, int Column, int Sequence) : IComparable<ErrorKey>
    {
        public int CompareTo(ErrorKey other) => (Order, Column, Sequence).CompareTo((other.Order, other.Column, other.Sequence));
    }

    private sealed record Location(string File, int Line, string Text, int Order);

    private sealed record Symbol(long Value, Location? Where, bool IsLabel);

    private sealed record Statement(Location Where, uint Address, Token Head, string Mnemonic, List<List<Token>> Operands, int Size, bool IsData);
}
