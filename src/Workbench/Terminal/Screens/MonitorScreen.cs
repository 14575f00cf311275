using System.Globalization;
using Terminal.Gui.Drawing;
using Terminal.Gui.Input;
using Terminal.Gui.ViewBase;
using Terminal.Gui.Views;
using VirtualizationWorkbench.Workbench.Terminal.Shell;
using VirtualizationWorkbench.Workbench.Terminal.ViewModels;

namespace VirtualizationWorkbench.Workbench.Terminal.Screens;

/// <summary>
/// The inspector on a guest run under a monitor (<c>-m</c>): the guest's registers and ring, the core's counters
/// and the monitor's statistics (callouts, emulated instructions, reflected events, hypercalls…) as they grow,
/// and the guest's console. The bare-machine inspector's debugger (breakpoints, step back) does not drive a
/// monitor; this screen runs, pauses, steps and restarts.
/// </summary>
public sealed class MonitorScreen : Screen
{
    private readonly FrameView registersFrame = new() { Title = "Guest registers", X = 0, Y = 0, Width = 34, Height = Dim.Percent(60) };
    private readonly FrameView statsFrame = new() { X = 34, Y = 0, Width = Dim.Fill(), Height = Dim.Percent(60) };
    private readonly FrameView consoleFrame = new() { Title = "Guest console", X = 0, Y = Pos.Percent(60), Width = Dim.Fill(), Height = Dim.Fill() };
    private readonly TextLines registers = new() { Width = Dim.Fill(), Height = Dim.Fill(), CanFocus = false };
    private readonly TextLines stats = new() { Width = Dim.Fill(), Height = Dim.Fill(), CanFocus = false };
    private readonly TextLines console = new() { Width = Dim.Fill(), Height = Dim.Fill(), CanFocus = false };
    private MonitoredRun run;
    private IReadOnlyList<CounterValue> before = [];
    private bool animating;

    /// <summary>The screen on <paramref name="program"/> under <paramref name="monitor"/>.</summary>
    public MonitorScreen(InspectedProgram program, string monitor)
    {
        run = new MonitoredRun(program, monitor);
        registersFrame.Add(registers);
        statsFrame.Add(stats);
        consoleFrame.Add(console);
        Add(registersFrame, statsFrame, consoleFrame);
        Bind("run/pause", () => Act(run.ToggleRun), Key.R, Key.F5);
        Bind("step", () => Act(run.Step), Key.S, Key.F11);
        Bind("restart", Restart, Key.R.WithShift);
        SubViewsLaidOut += (_, _) => Draw();
    }

    /// <summary>The run (for tests).</summary>
    public MonitoredRun Run => run;

    /// <inheritdoc/>
    public override string Heading => $"Machine inspector: {run.Program.Name} under {run.Monitor}";

    /// <inheritdoc/>
    public override void Tick()
    {
        if (!animating) return;
        if (!run.Running) animating = false;
        Draw();
        if (!animating) Say(run.Message);
    }

    /// <inheritdoc/>
    public override void Close() => run.Dispose();

    private void Act(Action action)
    {
        var last = run.View();
        action();
        animating = run.Running;
        if (!animating) before = last.Counters;
        Draw();
        Say(run.Message);
    }

    private void Restart()
    {
        try
        {
            var fresh = run.Restart();
            run.Dispose();
            run = fresh;
            before = [];
            Draw();
            Say($"restarted under {run.Monitor}");
        }
        catch (Exception e) when (UserError.Describe(e) is { } problem)
        {
            Say("error: " + problem);
        }
    }

    private void Draw()
    {
        var view = run.View();
        var who = view.Ring switch { 0 => "kernel", 3 => "user", _ => "deprivileged" };
        var lines = new List<IReadOnlyList<Piece>>
        {
            new[] { new Piece($" RING {view.Ring} · {who} ".PadRight(30), VisualRole.Focus) },
            new[] { new Piece("pc ", VisualRole.Disabled), new Piece($"{view.Pc:x8}", VisualRole.Highlight) },
        };
        for (var i = 0; i < 8; i++)
        {
            lines.Add([new Piece($"r{i,-2} ", VisualRole.Disabled), new Piece($"{view.Registers[i]:x8}"), new Piece($"   {(i == 7 ? "sp " : $"r{i + 8,-2}")} ", VisualRole.Disabled), new Piece($"{view.Registers[i + 8]:x8}")]);
        }
        registers.Lines = lines;
        statsFrame.Title = run.Monitor;
        // The state first, wrapped to the panel (a frame's title would cut it at 80 columns), then the statistics in
        // columns as wide as their longest name and value. A statistic that grew since the last step or pause
        // stands out.
        var width = Math.Max(20, stats.Viewport.Width - 1);
        var nameWidth = view.Counters.Select(c => c.Name.Length).DefaultIfEmpty(0).Max();
        var values = view.Counters.Select(c => c.Value.ToString("N0", CultureInfo.InvariantCulture)).ToList();
        var valueWidth = Math.Max(values.Select(v => v.Length).DefaultIfEmpty(0).Max(), width - nameWidth - 1);
        stats.Lines = [
            .. WrappedRow.Text(view.State, width).Select(l => (IReadOnlyList<Piece>)[new Piece(l, VisualRole.Focus)]),
            .. view.Counters.Select((c, i) => (IReadOnlyList<Piece>)[new Piece($"{c.Name.PadRight(nameWidth)} {values[i].PadLeft(valueWidth)}",
                before.FirstOrDefault(b => b.Name == c.Name) is { } old && old.Value == c.Value ? VisualRole.Normal : VisualRole.Highlight)]),
        ];
        console.SetText(view.Console.All(string.IsNullOrEmpty) ? ["the guest has printed nothing yet"] : view.Console);
        console.Reveal(Math.Max(0, view.Console.Count - 1));
    }
}
