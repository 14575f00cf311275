using Terminal.Gui.Drawing;
using Terminal.Gui.Input;
using Terminal.Gui.ViewBase;
using VirtualizationWorkbench.Workbench.Terminal.Shell;
using VirtualizationWorkbench.Workbench.Terminal.ViewModels;

namespace VirtualizationWorkbench.Workbench.Terminal.Screens;

/// <summary>
/// Lab 02's view of a partitioned machine: which partition owns each memory block, and each partition's state,
/// cores, blocks, fault and the end of its console. The guests run on when asked (r), or 100,000 instructions at a
/// time (s).
/// </summary>
public sealed class PartitionsScreen : Screen
{
    /// <summary>Instructions per core per step or tick.</summary>
    private const long InstructionsPerStep = 100_000;

    private readonly PartitionsViewModel model;
    private readonly string origin;
    private readonly TextLines lines = new() { Width = Dim.Fill(), Height = Dim.Fill(), CanFocus = false };
    private bool running;

    /// <summary>The partitions view of <paramref name="model"/>'s firmware, built by <paramref name="origin"/>.</summary>
    public PartitionsScreen(PartitionsViewModel model, string origin)
    {
        this.model = model;
        this.origin = origin;
        Add(lines);
        Bind("run/pause", () => Act(() => running = !running), Key.R);
        Bind("step 100,000 instructions", () => Act(() => model.Run(InstructionsPerStep)), Key.S);
        SubViewsLaidOut += (_, _) => Draw();
    }

    /// <summary>The view-model (for tests).</summary>
    public PartitionsViewModel Model => model;

    /// <inheritdoc/>
    public override string Heading => $"Partitions as {origin} left them{(model.Ran > 0 ? $", then {model.Ran:N0} instructions" : "")}{(running ? "  (running)" : "")}";

    /// <inheritdoc/>
    public override void Tick()
    {
        if (!running) return;
        model.Run(InstructionsPerStep);
        Draw();
        Shell.Retitle();
    }

    private void Act(Action action)
    {
        action();
        Draw();
        Shell.Retitle();
        Say(running ? "running: r pauses" : model.Title);
    }

    private void Draw()
    {
        var shown = new List<IReadOnlyList<Piece>> { Section(model.Title) };
        shown.Add([new Piece("  memory blocks  ", VisualRole.Disabled), new Piece(model.BlockStrip)]);
        shown.Add([new Piece("  F the firmware's, . free, a letter the partition's below", VisualRole.Disabled)]);
        shown.Add([]);
        shown.Add(Section($"    {"partition",-10} {"state",-10} {"cores",5} {"memory",10} {"cycles",14}  blocks"));
        foreach (var p in model.Partitions)
        {
            shown.Add([new Piece($"  {p.Letter} {p.Name,-10} {p.State,-10} {p.Cores,5} {p.MemoryBytes / 1024,6} KiB {p.Cycles,14:N0}  "), new Piece(p.Blocks, VisualRole.Disabled)]);
            if (p.Fault != "") shown.Add([new Piece($"      fault: {p.Fault}", VisualRole.Highlight)]);
            shown.AddRange(p.Console.Select(c => (IReadOnlyList<Piece>)[new Piece($"      │ {c}", VisualRole.Disabled)]));
        }
        lines.Lines = shown;
    }

    private static IReadOnlyList<Piece> Section(string text) => [new Piece(text, VisualRole.Highlight)];
}
