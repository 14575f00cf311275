using Terminal.Gui.Drawing;
using Terminal.Gui.Input;
using Terminal.Gui.ViewBase;
using VirtualizationWorkbench.Workbench.Terminal.Shell;
using VirtualizationWorkbench.Workbench.Terminal.ViewModels;

namespace VirtualizationWorkbench.Workbench.Terminal.Screens;

/// <summary>
/// Lab 08's view of a container kernel, as a step's checks left it: the containers with their limits and usage,
/// the selected one's processes (pid inside and on the host) and console, the kernel's messages, and the start-up
/// chart.
/// </summary>
public sealed class ContainersScreen : Screen
{
    private readonly ContainersViewModel model;
    private readonly string origin;
    private readonly TextLines lines = new() { Width = Dim.Fill(), Height = Dim.Fill(), CanFocus = false };
    private int containersAt;

    /// <summary>The containers view of <paramref name="model"/>'s kernel; <paramref name="origin"/> says where it
    /// came from (e.g. "step 3's checks").</summary>
    public ContainersScreen(ContainersViewModel model, string origin)
    {
        this.model = model.Refresh();
        this.origin = origin;
        Add(lines);
        lines.LineClicked += line => Act(() => model.Select(line - containersAt));
        Bind("next container", () => Act(() => model.Select(model.Selected + 1)), Key.CursorDown, Key.J);
        Bind("previous container", () => Act(() => model.Select(model.Selected - 1)), Key.CursorUp, Key.K);
        SubViewsLaidOut += (_, _) => Draw();
    }

    /// <summary>The view-model (for tests).</summary>
    public ContainersViewModel Model => model;

    /// <inheritdoc/>
    public override string Heading => $"Containers: one kernel as {origin} left it";

    private void Act(Action action)
    {
        action();
        Draw();
    }

    private void Draw()
    {
        var shown = new List<IReadOnlyList<Piece>> { Section("Containers (↑/↓ or click: its processes) — memory.current / memory.max, pids, cpu.max") };
        containersAt = shown.Count;
        for (var i = 0; i < model.Containers.Count; i++)
        {
            var c = model.Containers[i];
            var role = i == model.Selected ? VisualRole.Focus : VisualRole.Normal;
            shown.Add([new Piece($"  {c.Name,-12} {c.Image,-5} {c.Memory,-34} pids {c.Pids,-9} cpu {c.Cpu,-24} ", role),
                new Piece(c.State, c.State == "running" ? VisualRole.Normal : VisualRole.Highlight)]);
        }
        if (model.Containers.Count == 0) shown.Add([new Piece("  no containers", VisualRole.Disabled)]);
        shown.Add([]);
        var name = model.Containers.Count == 0 ? "" : model.Containers[model.Selected].Name;
        shown.Add(Section($"Namespaces of {name}"));
        shown.Add([new Piece("  " + model.Namespaces)]);
        shown.Add(Section($"Processes of {name} (pid inside, pid on the host)"));
        foreach (var p in model.Processes) shown.Add([new Piece($"  {p.Pid,5} {p.HostPid,7}  {p.Command,-16} {p.State}")]);
        shown.Add(Section($"Console of {name}"));
        foreach (var line in model.ConsoleTail(6)) shown.Add([new Piece("  " + line, VisualRole.Disabled)]);
        shown.Add([]);
        shown.Add(Section("Kernel"));
        foreach (var line in model.KernelTail(6)) shown.Add([new Piece("  " + line)]);
        shown.Add([]);
        shown.Add(Section("Start-up, cycles from the request to the first output"));
        foreach (var bar in model.StartupChart(Math.Max(10, Viewport.Width - 30))) shown.Add([new Piece("  " + bar)]);
        lines.Lines = shown;
        lines.Reveal(containersAt + model.Selected);
    }

    private static IReadOnlyList<Piece> Section(string text) => [new Piece(text, VisualRole.Highlight)];
}
