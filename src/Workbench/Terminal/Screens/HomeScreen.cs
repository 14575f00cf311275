using System.Collections.ObjectModel;
using Terminal.Gui.Input;
using Terminal.Gui.ViewBase;
using Terminal.Gui.Views;
using VirtualizationWorkbench.Workbench.Terminal.Lessons;
using VirtualizationWorkbench.Workbench.Terminal.Shell;
using VirtualizationWorkbench.Workbench.Terminal.ViewModels;

namespace VirtualizationWorkbench.Workbench.Terminal.Screens;

/// <summary>The home screen: continue, labs with progress, lessons, tools. Enter or a click opens a row.</summary>
public sealed class HomeScreen : Screen
{
    private readonly TerminalContext context;
    private readonly HomeViewModel model;
    // The selected row whole, wrapped: a long lab title runs past a narrow list.
    private const int SelectedLines = 2;

    private readonly ListView list = new() { Width = Dim.Fill(), Height = Dim.Fill(SelectedLines) };
    private readonly Label selected = new() { X = 0, Y = Pos.AnchorEnd(SelectedLines), Width = Dim.Fill(), Height = SelectedLines };

    /// <summary>The home screen over <paramref name="context"/>'s labs and progress.</summary>
    public HomeScreen(TerminalContext context)
    {
        this.context = context;
        model = new HomeViewModel(context.Catalog, context.Store);
        // Letters are this screen's keys, not a search of the list.
        list.KeystrokeNavigator = null!;
        list.SetSource(new ObservableCollection<string>(model.Rows));
        list.SelectedItem = 0;
        list.Accepting += (_, e) =>
        {
            e.Handled = true;
            OpenSelected();
        };
        list.MouseEvent += (_, mouse) =>
        {
            if (!mouse.Flags.HasFlag(MouseFlags.LeftButtonClicked) || mouse.Position is not { } at) return;
            mouse.Handled = true;
            var row = list.Viewport.Y + at.Y;
            if (row < 0 || row >= model.Items.Count) return;
            list.SelectedItem = row;
            OpenSelected();
        };
        list.ValueChanged += (_, _) => ShowSelected();
        SubViewsLaidOut += (_, _) => ShowSelected();
        Add(list, selected);
        Bind("open", OpenSelected, Key.Enter);
        Bind("inspect a program", () => Ask(HomeItemKind.Inspector), Key.I);
        Bind("open a package", () => Ask(HomeItemKind.Packager), Key.P);
        Bind("experiments", () => Shell.Open(new ExperimentScreen(context)), Key.X);
    }

    /// <summary>The view-model (for tests).</summary>
    public HomeViewModel Model => model;

    /// <inheritdoc/>
    public override string Heading => "Home";

    /// <inheritdoc/>
    public override void Resume()
    {
        var selected = list.SelectedItem ?? 0;
        model.Refresh();
        list.SetSource(new ObservableCollection<string>(model.Rows));
        list.SelectedItem = Math.Min(selected, model.Items.Count - 1);
        Say(model.Message);
    }

    private void ShowSelected()
    {
        var text = string.Join('\n', WrappedRow.Text(model.Describe(list.SelectedItem ?? 0), selected.Viewport.Width, SelectedLines));
        if (selected.Text != text) selected.Text = text;
    }

    private void OpenSelected()
    {
        if (list.SelectedItem is not { } index || index >= model.Items.Count) return;
        var item = model.Items[index];
        switch (item.Kind)
        {
            case HomeItemKind.Continue:
            case HomeItemKind.Lab:
                Shell.Open(new LabScreen(context, context.Catalog.Find(item.Id!), item.Step));
                break;
            case HomeItemKind.Experiments:
                Shell.Open(new ExperimentScreen(context));
                break;
            case HomeItemKind.Lesson:
                Shell.Open(new LessonScreen(context, Lesson.Open(context.Catalog.CurriculumFolder, item.Id!)));
                break;
            default:
                Ask(item.Kind);
                break;
        }
    }

    private void Ask(HomeItemKind kind) =>
        Shell.Ask(kind == HomeItemKind.Inspector ? "program to inspect (.s or .bin, then -m MONITOR; .wl or .vbc: the application VM)" : "package to open (.vapp)", "", answer => OpenTool(kind, answer.Trim()));

    private void OpenTool(HomeItemKind kind, string path)
    {
        if (path.Length == 0)
        {
            Say("no file given: nothing opened");
            return;
        }
        try
        {
            Shell.Open(kind == HomeItemKind.Packager ? new PackagerScreen(new PackagerViewModel(path))
                : SteppedProgram.Handles(path.Trim('\'', '"')) ? BytecodeScreen.ForFile(path.Trim('\'', '"'))
                : InspectorScreen.For(InspectorRequest.Parse(path)));
        }
        catch (Exception e) when (UserError.Describe(e) is { } problem)
        {
            Say("error: " + problem);
        }
    }
}
