using Terminal.Gui.Drawing;
using Terminal.Gui.Input;
using Terminal.Gui.ViewBase;
using Terminal.Gui.Views;
using VirtualizationWorkbench.Workbench.Terminal.Shell;
using VirtualizationWorkbench.Workbench.Terminal.ViewModels;

namespace VirtualizationWorkbench.Workbench.Terminal.Screens;

/// <summary>
/// Lab 04's view of the application VM: the program's source on the left, the current statement marked, and on the
/// right the running function's operand stack, the call frames with their locals and stacks, the bytecode around
/// the next instruction, the heap's arrays and the output. Step, step over, step out, run/pause and restart; the
/// host VM underneath is <see cref="BytecodeViewModel"/>'s.
/// </summary>
public sealed class BytecodeScreen : Screen
{
    private readonly FrameView sourceFrame = new() { X = 0, Y = 0, Width = Dim.Percent(50), Height = Dim.Fill() };
    private readonly FrameView stateFrame = new() { Title = "The VM", Y = 0, Width = Dim.Fill(), Height = Dim.Fill() };
    private readonly TextLines source = new() { Width = Dim.Fill(), Height = Dim.Fill(), CanFocus = false };
    private readonly TextLines state = new() { Width = Dim.Fill(), Height = Dim.Fill(), CanFocus = false };
    private readonly string origin;

    /// <summary>The stepping view of <paramref name="model"/>; <paramref name="origin"/> says where the program came
    /// from ("step 1's checks", or "" for a file opened directly).</summary>
    public BytecodeScreen(BytecodeViewModel model, string origin = "")
    {
        Model = model;
        this.origin = origin;
        stateFrame.X = Pos.Right(sourceFrame);
        sourceFrame.Add(source);
        stateFrame.Add(state);
        Add(sourceFrame, stateFrame);
        Bind("step", () => Act(model.Step), Key.S, Key.F11);
        Bind("step over", () => Act(model.StepOver), Key.O, Key.F10);
        Bind("step out", () => Act(model.StepOut), Key.U, Key.F11.WithShift);
        Bind("run/pause", () => Act(model.ToggleRun), Key.R, Key.F5);
        BindQuietly("run to the end", () => Act(model.RunToEnd), Key.E);
        Bind("restart", () => Act(model.Restart), Key.R.WithShift);
        SubViewsLaidOut += (_, _) => Draw();
    }

    /// <summary>The stepping view of a <c>.wl</c> source or <c>.vbc</c> module (<see cref="SteppedProgram.FromFile"/>).</summary>
    public static BytecodeScreen ForFile(string path) => new(new BytecodeViewModel(SteppedProgram.FromFile(path)));

    /// <summary>The view-model (for tests).</summary>
    public BytecodeViewModel Model { get; }

    /// <summary>The text as last drawn: the source, then the VM's panel (for tests).</summary>
    public IEnumerable<string> DrawnText => source.PlainLines.Concat(state.PlainLines);

    /// <inheritdoc/>
    public override string Heading => $"Application VM: {Model.Program.Name}{(origin.Length > 0 ? $", from {origin}" : "")}";

    /// <inheritdoc/>
    public override void Tick()
    {
        if (Model.Advance()) Draw();
    }

    private void Act(Action action)
    {
        action();
        Draw();
        Say(Model.Status);
    }

    /// <summary>Draws the source and the VM as they are now.</summary>
    public void Draw()
    {
        var rows = Model.Source;
        sourceFrame.Title = rows.Count == 0 ? $"{Model.Program.Name} (no source: the bytecode is on the right)" : Model.Program.Name;
        source.Lines = [.. rows.Select(r => (IReadOnlyList<Piece>)[
            new Piece(r.Mark switch { SourceMark.Current => "→", SourceMark.Caller => "↳", _ => " " } + $"{r.Number,4} ", VisualRole.Disabled),
            new Piece(r.Text, r.Mark switch { SourceMark.Current => VisualRole.Focus, SourceMark.Caller => VisualRole.Highlight, _ => VisualRole.Normal })])];
        if (Model.CurrentSourceRow is >= 0 and var current) source.Reveal(current);

        var shown = new List<IReadOnlyList<Piece>>();
        shown.Add([new Piece(Model.Status, VisualRole.Highlight)]);
        shown.Add([]);
        shown.Add(Section("Operand stack (top first)"));
        var stack = Model.Stack;
        if (stack.Count == 0) shown.Add([new Piece("  (empty)", VisualRole.Disabled)]);
        foreach (var value in stack) shown.Add([new Piece("  " + value)]);
        shown.Add([]);
        shown.Add(Section("Frames (the running function first)"));
        var frames = Model.Frames;
        if (frames.Count == 0) shown.Add([new Piece("  (none: the program ended)", VisualRole.Disabled)]);
        for (var i = 0; i < frames.Count; i++)
        {
            var frame = frames[i];
            shown.Add([new Piece($"  {frame.Where}", i == 0 ? VisualRole.Focus : VisualRole.Normal)]);
            shown.Add([new Piece("    locals ", VisualRole.Disabled), new Piece(frame.Locals.Count == 0 ? "(none)" : string.Join("  ", frame.Locals))]);
            if (i > 0) shown.Add([new Piece("    stack  ", VisualRole.Disabled), new Piece(frame.Stack.Count == 0 ? "(empty)" : string.Join(" ", frame.Stack))]);
        }
        shown.Add([]);
        shown.Add(Section("Bytecode"));
        foreach (var line in Model.Code(9)) shown.Add([new Piece($"{(line.IsCurrent ? "→" : " ")} {line.Text}", line.IsCurrent ? VisualRole.Focus : VisualRole.Normal)]);
        var heap = Model.Heap(12);
        if (heap.Count > 0)
        {
            shown.Add([]);
            shown.Add(Section("Heap"));
            foreach (var array in heap.Take(6)) shown.Add([new Piece("  " + array)]);
            if (heap.Count > 6) shown.Add([new Piece($"  … and {heap.Count - 6} more arrays", VisualRole.Disabled)]);
        }
        shown.Add([]);
        shown.Add(Section("Output"));
        foreach (var line in Model.OutputTail(6)) shown.Add([new Piece("  " + line)]);
        state.Lines = shown;
    }

    private static IReadOnlyList<Piece> Section(string text) => [new Piece(text, VisualRole.Highlight)];
}
