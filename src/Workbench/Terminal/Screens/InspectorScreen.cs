using Spectre.Console;
using Spectre.Console.Rendering;
using VirtualizationWorkbench.Workbench.Terminal.Input;
using VirtualizationWorkbench.Workbench.Terminal.Rendering;
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
/// The machine inspector: registers with the ring shown large, disassembly with the pc and breakpoints, and
/// below them memory, page tables, counters, the trace and the guest console.
/// </summary>
public sealed class InspectorScreen(InspectedProgram program) : IScreen
{
    private readonly InspectorViewModel model = new(program);
    private string? message;

    /// <summary>The view-model (for tests and the benchmark).</summary>
    public InspectorViewModel Model => model;

    /// <summary>The lower panel shown.</summary>
    public InspectorPanel Panel { get; private set; }

    /// <inheritdoc/>
    public string Title => $"Machine inspector: {program.Name}";

    /// <inheritdoc/>
    public IReadOnlyList<KeyHint> Keys { get; } =
    [
        new("s F11", "step"), new("o F10", "step over"), new("r F5", "run/pause"), new("b", "step back"), new("↑↓ jk", "cursor"),
        new("Enter", "run to cursor"), new("Space F9", "breakpoint"), new("Tab", "next panel"), new("m", "memory address"),
        new("[ ]", "memory up/down"), new(".", "cursor to pc"), new("q Esc", "back"),
    ];

    /// <inheritdoc/>
    public string? Message => message ?? model.Message;

    /// <inheritdoc/>
    public LineEditor? Prompt { get; private set; }

    /// <inheritdoc/>
    public bool Animating => model.Running;

    /// <inheritdoc/>
    public IRenderable Render(int width, int height)
    {
        const int registerRows = 13;
        var topHeight = Math.Min(registerRows + 2, Math.Max(6, height - 6));
        var bottomHeight = height - topHeight;
        var wide = width >= 110;
        var rows = bottomHeight - 2;
        int Shown(InspectorPanel panel) => panel == Panel || (panel == InspectorPanel.Console && wide) ? rows : 0;
        model.SetRows(topHeight - 2, Shown(InspectorPanel.Memory), Shown(InspectorPanel.PageTables), Shown(InspectorPanel.Trace), Shown(InspectorPanel.Console));
        var view = model.View();

        var registersWidth = 34;
        var top = new Layout("top").SplitColumns(
            new Layout("registers").Size(registersWidth).Update(TextBlock.Panel("Registers", Registers(view), registersWidth, RingStyle(view.Ring))),
            new Layout("code").Update(TextBlock.Panel($"Disassembly — {view.State}", Disassembly(view), width - registersWidth)));
        Layout bottom;
        var lowerWidth = wide ? width / 2 : width;
        var lower = TextBlock.Panel(PanelTitle(Panel), PanelLines(view, Panel), lowerWidth);
        bottom = wide && Panel != InspectorPanel.Console
            ? new Layout("bottom").SplitColumns(new Layout("panel").Update(lower), new Layout("console").Update(TextBlock.Panel(PanelTitle(InspectorPanel.Console), PanelLines(view, InspectorPanel.Console), width - lowerWidth)))
            : new Layout("bottom").Update(lower);
        return new Layout("inspector").SplitRows(top.Size(topHeight), bottom.Size(bottomHeight));
    }

    private static Style RingStyle(int ring) => ring switch
    {
        0 => new Style(Color.Red, decoration: Decoration.Bold),
        3 => new Style(Color.Green, decoration: Decoration.Bold),
        _ => new Style(Color.Yellow, decoration: Decoration.Bold),
    };

    private static IEnumerable<StyledLine> Registers(MachineView view)
    {
        var who = view.Ring switch { 0 => "kernel", 3 => "user", _ => "deprivileged" };
        yield return StyledLine.Of($" RING {view.Ring} · {who} ".PadRight(28), RingStyle(view.Ring).Combine(Palette.Selected));
        yield return new StyledLine([new StyledSpan("pc ", Palette.Dim), new StyledSpan($"{view.Pc:x8}", Palette.Strong), new StyledSpan($"  [{view.FlagNames}]", Style.Plain)]);
        for (var i = 0; i < 8; i++)
        {
            var right = i + 8 == 15 ? "sp " : $"r{i + 8,-2}";
            yield return new StyledLine(
            [
                new StyledSpan($"r{i,-2} ", Palette.Dim), new StyledSpan($"{view.Registers[i]:x8}", Style.Plain),
                new StyledSpan($"   {right} ", Palette.Dim), new StyledSpan($"{view.Registers[i + 8]:x8}", Style.Plain),
            ]);
        }
        for (var i = 0; i < view.Control.Count; i += 2)
        {
            var (a, av) = view.Control[i];
            var (b, bv) = view.Control[i + 1];
            yield return new StyledLine([new StyledSpan($"{a,-5}", Palette.Dim), new StyledSpan($"{av:x8}", Style.Plain), new StyledSpan($"  {b,-5}", Palette.Dim), new StyledSpan($"{bv:x8}", Style.Plain)]);
        }
    }

    private static IEnumerable<StyledLine> Disassembly(MachineView view)
    {
        foreach (var line in view.Disassembly)
        {
            var marker = (line.IsBreakpoint ? "●" : " ") + (line.IsPc ? "▶" : " ");
            var label = line.Label is null ? "" : line.Label + ": ";
            var styled = new StyledLine(
            [
                new StyledSpan(marker + " ", line.IsBreakpoint ? Palette.Fail : Palette.Strong),
                new StyledSpan($"{line.Address:x8}  ", Palette.Dim),
                new StyledSpan(label, Palette.Label),
                .. CodeHighlighter.Line("asm", line.Text).Spans,
            ]);
            if (line.IsPc) styled = styled.Restyled(s => s.Combine(Palette.Strong));
            if (line.IsCursor) styled = styled.Restyled(s => s.Combine(Palette.Selected));
            yield return styled;
        }
    }

    private static string PanelTitle(InspectorPanel panel) => panel switch
    {
        InspectorPanel.Memory => "Memory (m address, [ ] scroll)",
        InspectorPanel.PageTables => "Page tables and TLB",
        InspectorPanel.Counters => "Counters",
        InspectorPanel.Trace => "Event trace",
        _ => "Guest console",
    } + "  · Tab: next panel";

    private static IEnumerable<StyledLine> PanelLines(MachineView view, InspectorPanel panel) => panel switch
    {
        InspectorPanel.Memory => view.Memory.Select(m => StyledLine.Of(m)),
        InspectorPanel.PageTables => view.PageTables.Select(m => StyledLine.Of(m)),
        InspectorPanel.Counters => Columns(view.Counters.Select(c => $"{c.Name,-22}{c.Value,14:N0}").ToList()),
        InspectorPanel.Trace => view.Trace.Count == 0 ? [StyledLine.Of("no events yet (traps, interrupts, page faults, exits)", Palette.Dim)] : view.Trace.Select(t => StyledLine.Of(t)),
        _ => view.Console.All(string.IsNullOrEmpty) ? [StyledLine.Of("the guest has printed nothing yet", Palette.Dim)] : view.Console.Select(c => StyledLine.Of(c)),
    };

    // Counters are many and short: two per row, so cycles, traps and exits fit a small panel.
    private static IEnumerable<StyledLine> Columns(List<string> items)
    {
        var half = (items.Count + 1) / 2;
        for (var i = 0; i < half; i++) yield return StyledLine.Of(items[i] + (i + half < items.Count ? "   " + items[i + half] : ""));
    }

    /// <inheritdoc/>
    public Navigation Handle(KeyInput key)
    {
        message = null;
        if (Prompt is { } prompt)
        {
            prompt.Handle(key);
            if (prompt.Done)
            {
                Prompt = null;
                if (prompt.Submitted) model.ShowMemoryAt(prompt.Text);
            }
            return Navigation.Stay;
        }
        if (key.IsBack)
        {
            model.Pause();
            return Navigation.Back;
        }
        var c = key.Key == UiKey.Character ? key.Char : '\0';
        if (key.Key == UiKey.F11 || c == 's') model.Step();
        else if (key.Key == UiKey.F10 || c == 'o') model.StepOver();
        else if (key.Key == UiKey.F5 || c == 'r') model.ToggleRun();
        else if (c == 'b') model.StepBack();
        else if (key.Key == UiKey.F9 || c == ' ') model.ToggleBreakpoint();
        else if (key.Key == UiKey.Enter) model.RunToCursor();
        else if (c == '.') model.FollowPc();
        else if (c == '[') model.ScrollMemory(-4);
        else if (c == ']') model.ScrollMemory(4);
        else if (c == 'm')
        {
            Panel = InspectorPanel.Memory;
            Prompt = new LineEditor("memory at (0x…, register or label)");
        }
        else if (key.Key is UiKey.Tab or UiKey.BackTab)
        {
            var count = Enum.GetValues<InspectorPanel>().Length;
            Panel = (InspectorPanel)(((int)Panel + (key.Key == UiKey.Tab ? 1 : count - 1)) % count);
        }
        else if (!model.Running) model.MoveCursor(key.Movement);
        return Navigation.Stay;
    }

    /// <inheritdoc/>
    public void Close() => model.Dispose();

    /// <inheritdoc/>
    public void Resume() { }
}
