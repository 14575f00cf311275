using Terminal.Gui.Drawing;
using Terminal.Gui.Input;
using Terminal.Gui.ViewBase;
using VirtualizationWorkbench.Workbench.Terminal.Shell;

namespace VirtualizationWorkbench.Workbench.Terminal.Screens;

/// <summary>The views a step's checks made when there are several (two storage layers, a network per file):
/// pick one with the arrows and Enter, or click it.</summary>
public sealed class StepViewsScreen : Screen
{
    private readonly IReadOnlyList<object> made;
    private readonly string origin;
    private readonly TextLines lines = new() { Width = Dim.Fill(), Height = Dim.Fill(), CanFocus = false };
    private int selected;

    /// <summary>A list of <paramref name="made"/> (each has a view in <see cref="LabViews"/>).</summary>
    public StepViewsScreen(IReadOnlyList<object> made, string origin)
    {
        this.made = made;
        this.origin = origin;
        Add(lines);
        lines.LineClicked += line =>
        {
            if (line < 1 || line > made.Count) return;
            selected = line - 1;
            Draw();
            OpenSelected();
        };
        Bind("open", OpenSelected, Key.Enter);
        BindQuietly("up", () => Move(-1), Key.CursorUp, Key.K);
        BindQuietly("down", () => Move(1), Key.CursorDown, Key.J);
        SubViewsLaidOut += (_, _) => Draw();
    }

    /// <inheritdoc/>
    public override string Heading => $"What {origin} built";

    private void Move(int by)
    {
        selected = Math.Clamp(selected + by, 0, made.Count - 1);
        Draw();
    }

    private void OpenSelected()
    {
        if (LabViews.For(made[selected], origin) is { } screen) Shell.Open(screen);
    }

    private void Draw() =>
        lines.Lines = [[new Piece($"{made.Count} views; Enter opens one, Esc comes back here", VisualRole.Disabled)],
            .. made.Select((m, i) => (IReadOnlyList<Piece>)[new Piece($"  {i + 1}. {LabViews.Describe(m)}", i == selected ? VisualRole.Focus : VisualRole.Normal)])];
}
