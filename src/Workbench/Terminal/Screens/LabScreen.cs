using System.Collections.ObjectModel;
using Terminal.Gui.Input;
using Terminal.Gui.ViewBase;
using Terminal.Gui.Views;
using VirtualizationWorkbench.Labs;
using VirtualizationWorkbench.Labs.Markdown;
using VirtualizationWorkbench.Workbench.Terminal.Lessons;
using VirtualizationWorkbench.Workbench.Terminal.Shell;
using VirtualizationWorkbench.Workbench.Terminal.ViewModels;

namespace VirtualizationWorkbench.Workbench.Terminal.Screens;

/// <summary>
/// A lab: its steps with their state on the left, with the work folder's files under them; the selected step's
/// text, questions, hints and results on the right as formatted Markdown. Checks and grading run in the
/// background with a spinner (Esc cancels). Once the lab is started, saving a file of the work folder checks the
/// selected step again (watch mode, as rustlings does).
/// </summary>
public sealed class LabScreen : Screen
{
    /// <summary>How long after the last change to a work file the check runs (an editor writes a file in several steps).</summary>
    private static readonly TimeSpan WatchDelay = TimeSpan.FromMilliseconds(300);

    private readonly TerminalContext context;
    private readonly LabViewModel model;
    private readonly FrameView stepsFrame = new() { Title = "Steps", X = 0, Y = 0 };
    private readonly ListView steps = new() { Width = Dim.Fill(), Height = Dim.Fill() };
    private readonly Label summary = new() { X = 0, Height = 2 };
    private readonly FrameView filesFrame = new() { Title = "Work folder: s starts", X = 0 };
    private readonly ListView files = new() { Width = Dim.Fill(), Height = Dim.Fill() };
    private readonly Markdown text = new() { Y = 0, Width = Dim.Fill(), Height = Dim.Fill(), CanFocus = true, MarkdownPipeline = LabMarkdown.Pipeline };
    private FileSystemWatcher? watcher;
    private bool watching = true;
    private bool recheckPending;
    private IReadOnlyList<WorkFile> workFiles = [];

    /// <summary>Opens <paramref name="lab"/> at <paramref name="step"/>, or at the first step not yet passed.</summary>
    public LabScreen(TerminalContext context, LabDocument lab, int? step)
    {
        this.context = context;
        model = new LabViewModel(lab, context.Store, step);
        var listWidth = Dim.Func(_ => Math.Clamp(Viewport.Width / 3, 24, 38));
        stepsFrame.Width = listWidth;
        stepsFrame.Height = Math.Min(lab.Steps.Count + 2, 14);
        summary.Y = Pos.Bottom(stepsFrame);
        summary.Width = listWidth;
        filesFrame.Y = Pos.Bottom(summary);
        filesFrame.Width = listWidth;
        filesFrame.Height = Dim.Fill();
        text.X = Pos.Right(stepsFrame) + 1;
        steps.KeystrokeNavigator = null!;
        files.KeystrokeNavigator = null!;
        stepsFrame.Add(steps);
        filesFrame.Add(files);
        Add(stepsFrame, summary, filesFrame, text);
        steps.ValueChanged += (_, e) =>
        {
            if (e.NewValue is not { } index || index == model.StepIndex) return;
            model.SelectStep(index);
            ShowStep(keepScroll: false);
        };
        text.LinkClicked += (_, e) =>
        {
            e.Handled = true;
            Say($"link: {e.Url} (lessons open with o)");
        };
        Bind("check", Check, Key.C);
        Bind("answer", Answer, Key.A);
        Bind("hint", () => Do(model.NextHint), Key.N);
        Bind("grade", Grade, Key.G);
        Bind("start", Start, Key.S);
        Bind("inspect", Inspect, Key.I);
        Bind("views", Views, Key.V);
        Bind("lesson", OpenLesson, Key.O);
        BindQuietly("next question", () => Do(model.NextQuestion), new Key(']'));
        BindQuietly("show the selected work file", ShowFile, Key.E);
        BindQuietly("reset the selected work file to its starting text", ResetFile, Key.R.WithShift);
        BindQuietly("watch the work folder on/off (check on save)", ToggleWatch, Key.W);
        BindQuietly("scroll the text a page down", () => text.ScrollVertical(Math.Max(1, text.Viewport.Height - 1)), Key.Space);
        BindQuietly("scroll the text a page up", () => text.ScrollVertical(-Math.Max(1, text.Viewport.Height - 1)), Key.B);
        Refresh();
        ShowStep(keepScroll: false);
        Watch();
    }

    /// <summary>The view-model (for tests).</summary>
    public LabViewModel Model => model;

    /// <inheritdoc/>
    public override string Heading => $"Lab {model.Lab.Id}: {model.Lab.Title}";

    /// <inheritdoc/>
    public override void Resume() => Refresh();

    /// <inheritdoc/>
    public override void Close()
    {
        watcher?.Dispose();
        watcher = null;
    }

    private void Do(Action action)
    {
        action();
        Refresh();
        ShowStep(keepScroll: true);
        Say(model.Message);
    }

    private void Refresh()
    {
        var selected = model.StepIndex;
        steps.SetSource(new ObservableCollection<string>(model.StepRows));
        steps.SelectedItem = selected;
        summary.Text = model.Summary;
        workFiles = model.WorkFiles();
        var chosen = files.SelectedItem ?? 0;
        files.SetSource(new ObservableCollection<string>(workFiles.Select(f => (f.Changed ? "✎ " : "  ") + f.Name)));
        if (workFiles.Count > 0) files.SelectedItem = Math.Min(chosen, workFiles.Count - 1);
        filesFrame.Title = model.WorkFolder is null ? "Work folder: s starts" : $"Work folder{(watcher is not null ? ", watched" : "")} (✎ changed)";
    }

    private void ShowStep(bool keepScroll)
    {
        var top = text.Viewport.Y;
        text.Text = model.StepMarkdown();
        if (keepScroll) text.Viewport = text.Viewport with { Y = top };
        else text.Viewport = text.Viewport with { Y = 0 };
    }

    private void Check()
    {
        var step = model.Step;
        Shell.Run($"checking step {step.Number}", cancel => model.RunCheck(step, cancel), result =>
        {
            model.Checked(result);
            Refresh();
            ShowStep(keepScroll: true);
            Say(model.Message);
        });
    }

    // The step's checks run again and what they built (a volume group, a network, …) opens in its view, as the
    // checks left it: the student sees the state behind each verdict.
    private void Views()
    {
        var step = model.Step;
        Shell.Run($"checking step {step.Number} to show what it builds", cancel => model.RunCheckAndKeep(step, cancel), outcome =>
        {
            model.Checked(outcome.Result);
            Refresh();
            ShowStep(keepScroll: true);
            var origin = $"step {step.Number}'s checks";
            var shown = outcome.Made.Where(m => LabViews.For(m, origin) is not null).ToList();
            if (shown.Count == 0)
            {
                Say($"step {step.Number} builds nothing with a view of its own{(step.Assembly.Count > 0 ? "; i inspects its program" : "")}");
                return;
            }
            Shell.Open(shown.Count == 1 ? LabViews.For(shown[0], origin)! : new StepViewsScreen(shown, origin));
            Say(model.Message);
        });
    }

    private void Grade()
    {
        if (model.GradedExercise is not { } exercise)
        {
            Say($"lab {model.Lab.Id} has no graded exercise");
            return;
        }
        Shell.Run($"grading {exercise.AssemblyName} in the sandbox", model.RunGrade, outcome =>
        {
            model.Graded(outcome);
            Refresh();
            ShowStep(keepScroll: false);
            text.ScrollVertical(int.MaxValue / 2);
            Say(model.Message);
        });
    }

    private void Answer()
    {
        if (model.Question is not { } question)
        {
            Say($"step {model.Step.Number} has no questions");
            return;
        }
        Shell.Ask($"answer {question.Id}", model.AnswerTo(question) ?? "", value => Do(() => model.Answer(value)));
    }

    private void Start()
    {
        try
        {
            model.Start();
        }
        catch (Exception e) when (UserError.Describe(e) is { } problem)
        {
            model.Tell("error: " + problem);
        }
        Watch();
        Do(() => { });
    }

    private WorkFile? SelectedFile => files.SelectedItem is { } i && i < workFiles.Count ? workFiles[i] : null;

    private void ShowFile()
    {
        if (SelectedFile is not { } file)
        {
            Say(model.WorkFolder is null ? "the lab is not started: press s to make its work folder" : "no file selected");
            return;
        }
        var content = File.Exists(file.Path) ? File.ReadAllText(file.Path) : "(missing: R puts it back)";
        text.Text = $"## {file.Name}\n\n`{file.Path}` — edit it in your editor; {(watcher is not null ? "saving it checks the step again" : "press c to check")}.\n\n```{(file.Name.EndsWith(".s", StringComparison.Ordinal) ? "asm" : "")}\n{content.TrimEnd()}\n```\n";
        text.Viewport = text.Viewport with { Y = 0 };
        Say($"{file.Name}: {(file.Changed ? "changed" : "as the lab started it")}; any step key shows the step again");
    }

    private void ResetFile()
    {
        if (SelectedFile is not { } file)
        {
            Say("no file selected");
            return;
        }
        Shell.Ask($"reset {file.Name} to its starting text, losing your version? type yes", "", answer =>
        {
            if (answer.Trim() == "yes") Do(() => model.Reset(file.Name));
            else Say($"{file.Name} kept as it is");
        });
    }

    private void ToggleWatch()
    {
        watching = !watching;
        Watch();
        Refresh();
        Say(watching ? "watching the work folder: saving a file checks the step again" : "not watching: press c to check");
    }

    private void Watch()
    {
        watcher?.Dispose();
        watcher = null;
        if (!watching || model.WorkFolder is not { } folder || !Directory.Exists(folder)) return;
        watcher = new FileSystemWatcher(folder) { NotifyFilter = NotifyFilters.LastWrite | NotifyFilters.FileName | NotifyFilters.Size, EnableRaisingEvents = true };
        void Changed(object sender, FileSystemEventArgs e) => App?.Invoke(ScheduleRecheck);
        watcher.Changed += Changed;
        watcher.Created += Changed;
        watcher.Renamed += (s, e) => Changed(s, e);
    }

    private void ScheduleRecheck()
    {
        if (recheckPending) return;
        recheckPending = true;
        App?.AddTimeout(WatchDelay, () =>
        {
            recheckPending = false;
            if (watcher is null) return false;
            Refresh();
            if (!Shell.Working) Check();
            return false;
        });
    }

    private void Inspect()
    {
        var block = model.Step.Assembly.FirstOrDefault();
        if (block is null)
        {
            Say($"step {model.Step.Number} has no program of its own; open one from the home screen (i), e.g. labs/guests/minikernel.s -m binary-translation");
            return;
        }
        try
        {
            // The student's copy in the work folder, if the lab is started: what they edited is what they inspect.
            var own = model.WorkFolder is { } folder ? Path.Combine(folder, block.Name + ".s") : null;
            var program = own is not null && File.Exists(own) ? InspectedProgram.FromFile(own) : InspectedProgram.FromLab(model.Lab, block);
            Shell.Open(new InspectorScreen(program));
        }
        catch (Exception e) when (UserError.Describe(e) is { } problem)
        {
            Say("error: " + problem);
        }
    }

    private void OpenLesson()
    {
        var lesson = model.Lab.Lessons.Select(id => Path.Combine(context.Catalog.CurriculumFolder, id + ".md")).FirstOrDefault(File.Exists);
        if (lesson is null)
        {
            Say("this lab names no lesson that exists");
            return;
        }
        Shell.Open(new LessonScreen(context, Lesson.Open(context.Catalog.CurriculumFolder, lesson)));
    }
}
