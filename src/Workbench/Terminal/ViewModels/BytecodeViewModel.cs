using System.Globalization;
using VirtualizationWorkbench.Bytecode.Format;
using VirtualizationWorkbench.Bytecode.Host;
using VirtualizationWorkbench.Bytecode.Running;

namespace VirtualizationWorkbench.Workbench.Terminal.ViewModels;

/// <summary>A line of the source as the stepping screen shows it: the current statement, a caller's call, or neither.</summary>
public sealed record SourceRow(int Number, string Text, SourceMark Mark);

/// <summary>How a source line is marked.</summary>
public enum SourceMark
{
    /// <summary>Nothing runs here now.</summary>
    None,
    /// <summary>The statement of the next instruction.</summary>
    Current,
    /// <summary>The call a caller's frame waits in.</summary>
    Caller,
}

/// <summary>A call frame as the stepping screen shows it: where it is, its locals by name and its operand stack.</summary>
/// <param name="Where">The function, offset and line: <c>sumsq at 0x0012, line 11</c>.</param>
/// <param name="Locals">Each local as <c>name = value</c>.</param>
/// <param name="Stack">The operand stack, bottom first.</param>
public sealed record FrameRow(string Where, IReadOnlyList<string> Locals, IReadOnlyList<string> Stack);

/// <summary>An instruction of the running function's code, as the listing shows it.</summary>
public sealed record CodeRow(string Text, bool IsCurrent);

/// <summary>
/// Lab 04's stepping view of the application VM: the host VM under a <see cref="SteppingSession"/>, its source
/// beside the operand stack and the call frames. Step one instruction, step over a call, step out of one, run (in
/// slices, one per tick, so it can be paused) and restart. Plain state, no terminal types.
/// </summary>
public sealed class BytecodeViewModel
{
    /// <summary>Instructions per tick while running: about a millisecond of the host VM, so the screen stays
    /// responsive and a pause comes at once.</summary>
    public const long Slice = 200_000;

    private readonly SteppingSession session;

    /// <summary>The program at its first instruction; it stops with the step-limit error after <paramref name="maxSteps"/>.</summary>
    public BytecodeViewModel(SteppedProgram program, long maxSteps = VmLimits.DefaultMaxSteps)
    {
        Program = program;
        session = new SteppingSession(program.Module, maxSteps);
    }

    /// <summary>The program shown.</summary>
    public SteppedProgram Program { get; }

    /// <summary>The session under the view (for tests and the frames' raw values).</summary>
    public SteppingSession Session => session;

    /// <summary>Whether it is running (ticks advance it) rather than paused.</summary>
    public bool Running { get; private set; }

    /// <summary>One line: where it is and how many steps it took, or how it ended.</summary>
    public string Status
    {
        get
        {
            var steps = session.Steps.ToString("N0", CultureInfo.InvariantCulture);
            if (session.Error is { } error) return $"stopped after {steps} steps: {error.Describe(session.Module)}";
            if (session.Finished) return $"finished: main returned {session.Outcome().Result} after {steps} steps";
            var where = Where(session.Function, session.Offset, session.Line);
            return $"{(Running ? "running" : "paused")} in {where}; {steps} steps";
        }
    }

    /// <summary>The source, its current line and callers' lines marked (empty when the program has no source).</summary>
    public IReadOnlyList<SourceRow> Source
    {
        get
        {
            var frames = session.Frames;
            var current = frames is [var top, ..] ? top.Line?.Line : (session.Error is null ? null : session.Line?.Line);
            var callers = frames.Skip(1).Select(f => f.Line?.Line).OfType<int>().ToHashSet();
            return [.. Program.Source.Select((text, i) => new SourceRow(i + 1, text,
                i + 1 == current ? SourceMark.Current : callers.Contains(i + 1) ? SourceMark.Caller : SourceMark.None))];
        }
    }

    /// <summary>The index in <see cref="Source"/> of the current line, or -1.</summary>
    public int CurrentSourceRow => Source.ToList().FindIndex(r => r.Mark == SourceMark.Current);

    /// <summary>The call frames, the running function first; each with its locals and operand stack.</summary>
    public IReadOnlyList<FrameRow> Frames => [.. session.Frames.Select(f =>
    {
        var function = session.Module.Functions[f.Function];
        return new FrameRow(Where(f.Function, f.Offset, f.Line),
            [.. f.Locals.Select((v, i) => $"{function.LocalName(i)} = {v}")],
            [.. f.Stack.Select(v => v.ToString())]);
    })];

    /// <summary>The running function's operand stack, top first (as a stack is drawn).</summary>
    public IReadOnlyList<string> Stack => [.. session.Stack.Reverse().Select(v => v.ToString())];

    /// <summary>The arrays the program made: <c>#1 int[20] = 1 2 3 …</c>, at most <paramref name="elements"/>
    /// elements each.</summary>
    public IReadOnlyList<string> Heap(int elements) => [.. Enumerable.Range(1, session.Arrays).Select(r =>
    {
        var array = session.Array(r);
        var shown = string.Join(' ', array.Take(elements).Select(e => e.ToString(CultureInfo.InvariantCulture)));
        return $"#{r} int[{array.Length}] = {shown}{(array.Length > elements ? " …" : "")}";
    })];

    /// <summary>Up to <paramref name="count"/> instructions of the running function around the next one.</summary>
    public IReadOnlyList<CodeRow> Code(int count)
    {
        var function = session.Module.Functions[session.Function];
        var rows = new List<(int Offset, string Text)>();
        for (var pc = 0; pc < function.Code.Length;)
        {
            rows.Add((pc, BytecodeListing.Instruction(session.Module, function, pc, out var size)));
            pc += size;
        }
        var at = Math.Max(0, rows.FindIndex(r => r.Offset == session.Offset));
        var first = Math.Clamp(at - count / 3, 0, Math.Max(0, rows.Count - count));
        var current = session.Finished && session.Error is null ? -1 : session.Offset;
        return [.. rows.Skip(first).Take(count).Select(r => new CodeRow(r.Text, r.Offset == current))];
    }

    /// <summary>The last <paramref name="count"/> lines the program printed.</summary>
    public IReadOnlyList<string> OutputTail(int count) =>
        [.. session.Output.Split('\n').SkipLast(1).TakeLast(count).Select(Machine.Assembler.Diagnostic.Printable)];

    /// <summary>Executes one instruction.</summary>
    public void Step() => Paused(session.Step);

    /// <summary>Executes one instruction, a call whole.</summary>
    public void StepOver() => Paused(session.StepOver);

    /// <summary>Runs until the running function returns.</summary>
    public void StepOut() => Paused(session.StepOut);

    /// <summary>Runs (a slice per <see cref="Advance"/>), or pauses if running.</summary>
    public void ToggleRun() => Running = !Running && !session.Finished;

    /// <summary>Runs to the end, an error or the step limit, at once.</summary>
    public void RunToEnd() => Paused(session.RunToEnd);

    /// <summary>Back to the first instruction, paused.</summary>
    public void Restart() => Paused(session.Restart);

    /// <summary>While running, executes one slice; returns whether anything changed.</summary>
    public bool Advance()
    {
        if (!Running) return false;
        session.Run(Slice);
        if (session.Finished) Running = false;
        return true;
    }

    private void Paused(Action action)
    {
        Running = false;
        action();
    }

    private string Where(int function, int offset, LineEntry? line) =>
        $"{session.Module.Functions[function].Name} at 0x{offset:x4}{(line is { } l ? $", line {l.Line}" : "")}";
}
