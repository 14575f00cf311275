using Terminal.Gui.Drawing;
using Terminal.Gui.Input;
using Terminal.Gui.ViewBase;
using VirtualizationWorkbench.Workbench.Terminal.Shell;
using VirtualizationWorkbench.Workbench.Terminal.ViewModels;

namespace VirtualizationWorkbench.Workbench.Terminal.Screens;

/// <summary>
/// Lab 10's view of a network scenario: its switches and what is plugged into each port, the ports with their VLAN
/// configuration and live counters, each VLAN's members and traffic, and the stations each switch has learned. Time runs on when asked (r), 1 ms of
/// virtual time per tick of the screen, or a millisecond at a time (s); c changes a port's VLANs there and then,
/// running or not, so the counters show what the change did to the traffic.
/// </summary>
public sealed class NetworkScreen : Screen
{
    /// <summary>Virtual time per step: 1 ms, ten switch ticks of 100 µs.</summary>
    private const long TicksPerStep = 10;

    private readonly NetworkViewModel model;
    private readonly TextLines lines = new() { Width = Dim.Fill(), Height = Dim.Fill(), CanFocus = false };
    private bool running;

    /// <summary>The network view of <paramref name="model"/>'s scenario.</summary>
    public NetworkScreen(NetworkViewModel model)
    {
        this.model = model;
        Add(lines);
        Bind("run/pause", () => Act(() => running = !running), Key.R);
        Bind("step 1 ms", () => Act(() => model.Step(TicksPerStep)), Key.S);
        Bind("change a port", () => Shell.Ask("change a port now (port sw.3 access vlan=10, vlan add sw.1 30)", "", ChangePort), Key.C);
        SubViewsLaidOut += (_, _) => Draw();
    }

    /// <summary>The view-model (for tests).</summary>
    public NetworkViewModel Model => model;

    /// <inheritdoc/>
    public override string Heading => $"Network: {model.Title}{(running ? "  (running)" : "")}";

    /// <inheritdoc/>
    public override void Tick()
    {
        if (!running) return;
        model.Step(TicksPerStep);
        Draw();
        Shell.Retitle();
    }

    private void Act(Action action)
    {
        action();
        Draw();
        Shell.Retitle();
        Say(running ? "running: r pauses" : $"at {model.Title}");
    }

    private void ChangePort(string line)
    {
        var said = model.Change(line);
        Draw();
        Shell.Retitle();
        Say(said);
    }

    private void Draw()
    {
        var shown = new List<IReadOnlyList<Piece>> { Section("Topology") };
        // One column less than the screen: the last is the scroll bar's.
        var width = Viewport.Width - 1;
        shown.AddRange(model.Topology.Select(l => (IReadOnlyList<Piece>)[new Piece("  " + l)]));
        shown.Add([]);
        shown.Add(Section($"  {"port",-8} {"in",7} {"out",7} {"flooded",8} {"drops",6} {"queued",6}  configuration — peer"));
        foreach (var p in model.Ports)
        {
            shown.AddRange(WrappedRow.Lines(new Piece($"  {p.Port,-8} {p.In,7} {p.Out,7} {p.Flooded,8} {p.Drops,6} {p.Queued,6}  "), $"{p.Config} — {p.Peer}", VisualRole.Disabled, width));
        }
        shown.Add([]);
        shown.Add(Section($"  {"VLAN",-5} {"delivered",9} {"drops",6} {"latency",9}  members ((T) tagged)"));
        foreach (var v in model.Vlans)
        {
            shown.AddRange(WrappedRow.Lines(new Piece($"  {v.Vlan,-5} {v.Delivered,9} {v.Drops,6} {v.MeanLatencyUs,7:0} µs  "), v.Members, VisualRole.Disabled, width));
        }
        shown.Add([]);
        shown.Add(Section("Stations learned (bridge fdb show)"));
        shown.AddRange(model.Stations.Select(l => (IReadOnlyList<Piece>)[new Piece("  " + l)]));
        if (model.Changes is { Count: > 0 } changes)
        {
            shown.Add([]);
            shown.Add(Section("Changes (c makes one)"));
            shown.AddRange(changes.Select(c => (IReadOnlyList<Piece>)[new Piece("  " + c)]));
        }
        lines.Lines = shown;
    }

    private static IReadOnlyList<Piece> Section(string text) => [new Piece(text, VisualRole.Highlight)];
}
