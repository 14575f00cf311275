using Terminal.Gui.Drawing;
using Terminal.Gui.Input;
using Terminal.Gui.ViewBase;
using VirtualizationWorkbench.Workbench.Terminal.Shell;
using VirtualizationWorkbench.Workbench.Terminal.ViewModels;

namespace VirtualizationWorkbench.Workbench.Terminal.Screens;

/// <summary>
/// The experiments, drawn: pick one (↑/↓, Enter or a click), it runs in the background with a spinner (Esc
/// cancels), and its tables appear as bar charts, one group of bars per row.
/// </summary>
public sealed class ExperimentScreen : Screen
{
    private readonly TerminalContext context;
    private readonly TextLines lines = new() { Width = Dim.Fill(), Height = Dim.Fill(), CanFocus = false };
    private readonly Dictionary<string, IReadOnlyList<BarChart>> results = [];
    // Which experiment each line of the list belongs to (a description wraps onto more lines).
    private readonly List<int> experimentAt = [];
    private int selected;

    /// <summary>The experiment screen; the labs' guests come from <paramref name="context"/>'s catalog.</summary>
    public ExperimentScreen(TerminalContext context)
    {
        this.context = context;
        Add(lines);
        lines.LineClicked += line =>
        {
            if (line < 0 || line >= experimentAt.Count || experimentAt[line] < 0) return;
            selected = experimentAt[line];
            RunSelected();
        };
        Bind("run", RunSelected, Key.Enter);
        BindQuietly("previous experiment", () => Move(-1), Key.CursorUp, Key.K);
        BindQuietly("next experiment", () => Move(1), Key.CursorDown, Key.J);
        BindQuietly("scroll the charts down", () => lines.ScrollVertical(Math.Max(1, lines.Viewport.Height - 1)), Key.Space, Key.PageDown);
        BindQuietly("scroll the charts up", () => lines.ScrollVertical(-Math.Max(1, lines.Viewport.Height - 1)), Key.B, Key.PageUp);
        SubViewsLaidOut += (_, _) => Draw();
    }

    /// <inheritdoc/>
    public override string Heading => "Experiments";

    /// <summary>The lines drawn now (for tests).</summary>
    public IEnumerable<string> Shown => lines.PlainLines;

    private ChartedExperiment Selected => ExperimentCharts.All[selected];

    private void Move(int by)
    {
        selected = Math.Clamp(selected + by, 0, ExperimentCharts.All.Count - 1);
        Draw();
    }

    private void RunSelected()
    {
        var experiment = Selected;
        Shell.Run($"running the {experiment.Name} experiment", cancel => experiment.Run(context.Catalog, cancel), charts =>
        {
            results[experiment.Name] = charts;
            Draw();
            Say($"{experiment.Name}: the same figures as workbench experiment {experiment.Name}");
        });
    }

    private void Draw()
    {
        var shown = new List<IReadOnlyList<Piece>> { new[] { new Piece("Enter runs the selected experiment; its tables are drawn below", VisualRole.Disabled) } };
        experimentAt.Clear();
        experimentAt.Add(-1);
        // The names in a column, the descriptions wrapped beside them.
        for (var i = 0; i < ExperimentCharts.All.Count; i++)
        {
            var e = ExperimentCharts.All[i];
            var row = WrappedRow.Lines(new Piece($"  {e.Name,-10} ", i == selected ? VisualRole.Focus : VisualRole.Normal), e.Description + (results.ContainsKey(e.Name) ? "  ✓" : ""), i == selected ? VisualRole.Focus : VisualRole.Disabled, Viewport.Width - 1);
            shown.AddRange(row);
            experimentAt.AddRange(Enumerable.Repeat(i, row.Count));
        }
        if (results.TryGetValue(Selected.Name, out var charts))
        {
            foreach (var chart in charts) DrawnChart.AppendTo(shown, chart, Viewport.Width);
        }
        lines.Lines = shown;
    }
}
