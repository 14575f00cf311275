using System.Globalization;
using Terminal.Gui.Drawing;
using Terminal.Gui.Input;
using Terminal.Gui.ViewBase;
using Terminal.Gui.Views;
using VirtualizationWorkbench.Workbench.Terminal.Shell;
using VirtualizationWorkbench.Workbench.Terminal.ViewModels;

namespace VirtualizationWorkbench.Workbench.Terminal.Screens;

/// <summary>Which panel the inspector's lower half shows.</summary>
public enum InspectorPanel
{
    /// <summary>Memory in hex and ASCII.</summary>
    Memory,
    /// <summary>Page tables and the TLB.</summary>
    PageTables,
    /// <summary>Counters: cycles, traps by kind, exits by reason.</summary>
    Counters,
    /// <summary>The event trace.</summary>
    Trace,
    /// <summary>The guest console.</summary>
    Console,
}

/// <summary>
/// The machine inspector: registers with the ring shown large (changed registers highlighted), disassembly with
/// the pc and breakpoints, and below them memory, page tables, counters, the trace and the guest console. A running
/// machine is drawn 15 times a second from the view its core publishes; drawing never stops the core.
/// </summary>
public sealed class InspectorScreen : Screen
{
    private readonly FrameView registersFrame = new() { Title = "Registers", X = 0, Y = 0, Width = 34, Height = 15 };
    private readonly FrameView codeFrame = new() { Title = "Disassembly", X = 34, Y = 0, Width = Dim.Fill(), Height = 15 };
    private readonly FrameView panelFrame = new() { X = 0, Y = 15, Width = Dim.Fill(), Height = Dim.Fill() };
    private readonly FrameView consoleFrame = new() { Title = "Guest console", Y = 15, Width = Dim.Fill(), Height = Dim.Fill(), Visible = false };
    private readonly TextLines registers = new() { Width = Dim.Fill(), Height = Dim.Fill(), CanFocus = false };
    private readonly TextLines code = new() { Width = Dim.Fill(), Height = Dim.Fill(), CanFocus = false };
    private readonly TextLines panel = new() { Width = Dim.Fill(), Height = Dim.Fill(), CanFocus = false };
    private readonly TextLines console = new() { Width = Dim.Fill(), Height = Dim.Fill(), CanFocus = false };
    private InspectorViewModel model;
    private IReadOnlyList<uint>? previousRegisters;
    private MachineView? shown;
    private bool hex = true;
    private bool open = true;
    private bool animating;

    /// <summary>The inspector a request asks for: the bare machine with the debugger, or the program under a
    /// monitor (<see cref="MonitorScreen"/>).</summary>
    public static Screen For(InspectorRequest request) =>
        request.Monitor is { } monitor ? new MonitorScreen(request.Program, monitor) : new InspectorScreen(request.Program);

    /// <summary>The inspector on <paramref name="program"/>, paused at its entry point.</summary>
    public InspectorScreen(InspectedProgram program)
    {
        model = new InspectorViewModel(program);
        registersFrame.Add(registers);
        codeFrame.Add(code);
        panelFrame.Add(panel);
        consoleFrame.Add(console);
        Add(registersFrame, codeFrame, panelFrame, consoleFrame);
        code.LineClicked += line =>
        {
            if (shown is { } view && line < view.Disassembly.Count) model.CursorTo(view.Disassembly[line].Address);
            Draw(force: true);
        };
        Bind("step", () => Act(model.Step), Key.S, Key.F11);
        BindQuietly("step over", () => Act(model.StepOver), Key.O, Key.F10);
        Bind("run/pause", () => Act(model.ToggleRun), Key.R, Key.F5);
        Bind("step back", () => Act(model.StepBack), Key.B);
        Bind("back to the previous breakpoint", () => Act(model.ReverseContinue), Key.B.WithShift);
        Bind("breakpoint", () => Act(model.ToggleBreakpoint), Key.Space, Key.F9);
        Bind("next panel", NextPanel, Key.Tab);
        BindQuietly("hex/decimal", () => Act(() => hex = !hex), Key.X);
        BindQuietly("run to cursor", () => Act(model.RunToCursor), Key.Enter);
        BindQuietly("cursor up", () => Act(() => model.MoveCursor(-1)), Key.CursorUp, Key.K);
        BindQuietly("cursor down", () => Act(() => model.MoveCursor(1)), Key.CursorDown, Key.J);
        BindQuietly("cursor a page up", () => Act(() => model.MoveCursor(-Math.Max(1, model.DisassemblyRows - 1))), Key.PageUp);
        BindQuietly("cursor a page down", () => Act(() => model.MoveCursor(Math.Max(1, model.DisassemblyRows - 1))), Key.PageDown);
        BindQuietly("cursor to pc", () => Act(model.FollowPc), new Key('.'));
        BindQuietly("memory at an address", () => Shell.Ask("memory address (0x1000, 4096, sp, r3, a label)", "", a => Act(() => model.ShowMemoryAt(a))), Key.M);
        BindQuietly("panel up (memory: 16 bytes)", () => ScrollPanel(-1), new Key('['));
        BindQuietly("panel down (memory: 16 bytes)", () => ScrollPanel(1), new Key(']'));
        BindQuietly("restart (reads the file again)", Restart, Key.R.WithShift);
        SubViewsLaidOut += (_, _) => Draw(force: true);
    }

    /// <summary>The view-model (for tests and the benchmark).</summary>
    public InspectorViewModel Model => model;

    /// <summary>The lower panel shown.</summary>
    public InspectorPanel Panel { get; private set; }

    /// <summary>The panels' text as last drawn: registers, disassembly, the lower panel (for the benchmark).</summary>
    public IEnumerable<string> DrawnText => registers.PlainLines.Concat(code.PlainLines).Concat(panel.PlainLines);

    /// <inheritdoc/>
    public override string Heading => $"Machine inspector: {model.Program.Name}";

    /// <inheritdoc/>
    public override void Tick()
    {
        if (!open || !animating) return;
        // The frame after the run ends shows where it stopped (a breakpoint, a halt) and why.
        if (!model.Running) animating = false;
        Draw(force: !animating);
    }

    /// <inheritdoc/>
    public override void Close()
    {
        open = false;
        model.Dispose();
    }

    private void Act(Action action)
    {
        action();
        animating = model.Running;
        Draw(force: true);
        Say(model.Message);
    }

    private void NextPanel()
    {
        Panel = (InspectorPanel)(((int)Panel + 1) % Enum.GetValues<InspectorPanel>().Length);
        Draw(force: true);
    }

    private void ScrollPanel(int by)
    {
        if (Panel == InspectorPanel.Memory) model.ScrollMemory(by);
        else panel.Viewport = panel.Viewport with { Y = Math.Max(0, panel.Viewport.Y + by) };
        Draw(force: true);
    }

    private void Restart()
    {
        try
        {
            var program = model.Program.Reload();
            model.Dispose();
            model = new InspectorViewModel(program);
            previousRegisters = null;
            Draw(force: true);
            Say(program.File is null ? "restarted" : $"restarted: {program.File} read and assembled again");
        }
        catch (Exception e) when (UserError.Describe(e) is { } problem)
        {
            Say("error: " + problem);
        }
    }

    private (int Height, int Width, InspectorPanel Panel) laidOut;

    /// <summary>Draws the machine as it is now (or as the running core last published it).</summary>
    public void Draw(bool force)
    {
        var height = Viewport.Height;
        var width = Viewport.Width;
        if (height <= 0 || width <= 0) return;
        var topHeight = Math.Min(15, Math.Max(6, height - 6));
        var wide = width >= 110 && Panel != InspectorPanel.Console;
        // Laid out again only when the size or the panel changed: every new Dim or Pos makes Terminal.Gui lay the
        // whole screen out again, which a running machine's 15 frames a second would pay for nothing.
        if (laidOut != (height, width, Panel))
        {
            laidOut = (height, width, Panel);
            registersFrame.Height = topHeight;
            codeFrame.Height = topHeight;
            panelFrame.Y = topHeight;
            consoleFrame.Y = topHeight;
            panelFrame.Width = wide ? Dim.Percent(50) : Dim.Fill();
            consoleFrame.Visible = wide;
            consoleFrame.X = Pos.Right(panelFrame);
        }
        var rows = Math.Max(1, height - topHeight - 2);
        int Shown(InspectorPanel p) => p == Panel || (p == InspectorPanel.Console && wide) ? rows : 0;
        model.SetRows(topHeight - 2, Shown(InspectorPanel.Memory), Shown(InspectorPanel.PageTables), Shown(InspectorPanel.Trace), Shown(InspectorPanel.Console));
        var view = model.View();
        if (!force && ReferenceEquals(view, shown)) return;
        if (shown is not null && !ReferenceEquals(view, shown) && !view.Running) previousRegisters = shown.Registers;
        shown = view;
        // The state is what the student watches: where the frame is too narrow for both, it keeps the state.
        var codeTitle = $"Disassembly — {view.State}".Length + 4 <= codeFrame.Frame.Width ? $"Disassembly — {view.State}" : view.State;
        if (codeFrame.Title != codeTitle) codeFrame.Title = codeTitle;
        registers.Lines = Registers(view);
        code.Lines = Disassembly(view);
        if (panelFrame.Title != PanelTitle(Panel)) panelFrame.Title = PanelTitle(Panel);
        panel.Lines = PanelLines(view, Panel);
        if (wide) console.SetText(view.Console);
        if (!model.Running && model.Message is { } news) Say(news);
    }

    private string Word(uint value) => hex ? value.ToString("x8", CultureInfo.InvariantCulture) : value.ToString(CultureInfo.InvariantCulture).PadLeft(10);

    private List<IReadOnlyList<Piece>> Registers(MachineView view)
    {
        var who = view.Ring switch { 0 => "kernel", 3 => "user", _ => "deprivileged" };
        var lines = new List<IReadOnlyList<Piece>>
        {
            new[] { new Piece($" RING {view.Ring} · {who} ".PadRight(30), VisualRole.Focus) },
            new[] { new Piece("pc ", VisualRole.Disabled), new Piece(Word(view.Pc), VisualRole.Highlight), new Piece($"  [{view.FlagNames}]") },
        };
        for (var i = 0; i < 8; i++)
        {
            var right = i + 8 == 15 ? "sp " : $"r{i + 8,-2}";
            lines.Add([new Piece($"r{i,-2} ", VisualRole.Disabled), Register(view, i), new Piece($"   {right} ", VisualRole.Disabled), Register(view, i + 8)]);
        }
        for (var i = 0; i + 1 < view.Control.Count; i += 2)
        {
            var (a, av) = view.Control[i];
            var (b, bv) = view.Control[i + 1];
            lines.Add([new Piece($"{a,-5}", VisualRole.Disabled), new Piece(Word(av)), new Piece($"  {b,-5}", VisualRole.Disabled), new Piece(Word(bv))]);
        }
        return lines;
    }

    // A register that changed since the machine last stopped stands out.
    private Piece Register(MachineView view, int i) =>
        new(Word(view.Registers[i]), previousRegisters is { } before && before[i] != view.Registers[i] ? VisualRole.Highlight : VisualRole.Normal);

    private static List<IReadOnlyList<Piece>> Disassembly(MachineView view) =>
    [
        .. view.Disassembly.Select(line => (IReadOnlyList<Piece>)
        [
            new Piece((line.IsBreakpoint ? "●" : " ") + (line.IsPc ? "▶ " : "  "), line.IsBreakpoint ? VisualRole.Highlight : VisualRole.Normal),
            new Piece($"{line.Address:x8}  ", VisualRole.Disabled),
            new Piece((line.Label is null ? "" : line.Label + ": ") + line.Text, line.IsCursor ? VisualRole.Focus : line.IsPc ? VisualRole.Highlight : VisualRole.Normal),
        ]),
    ];

    private static string PanelTitle(InspectorPanel panel) => panel switch
    {
        InspectorPanel.Memory => "Memory (m address, [ ] scroll)",
        InspectorPanel.PageTables => "Page tables and TLB",
        InspectorPanel.Counters => "Counters",
        InspectorPanel.Trace => "Event trace",
        _ => "Guest console",
    };

    private static List<IReadOnlyList<Piece>> PanelLines(MachineView view, InspectorPanel panel)
    {
        IEnumerable<string> text = panel switch
        {
            InspectorPanel.Memory => view.Memory,
            InspectorPanel.PageTables => view.PageTables,
            InspectorPanel.Counters => view.Counters.Select(c => $"{c.Name,-32} {c.Value,16:N0}"),
            InspectorPanel.Trace => view.Trace.Count == 0 ? ["no events yet (traps, interrupts, exits)"] : view.Trace,
            _ => view.Console.All(string.IsNullOrEmpty) ? ["the guest has printed nothing yet"] : view.Console,
        };
        return [.. text.Select(t => (IReadOnlyList<Piece>)[new Piece(t)])];
    }
}
