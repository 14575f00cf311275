using Spectre.Console;
using Spectre.Console.Rendering;
using VirtualizationWorkbench.Labs;
using VirtualizationWorkbench.Workbench.Terminal.Input;
using VirtualizationWorkbench.Workbench.Terminal.Lessons;
using VirtualizationWorkbench.Workbench.Terminal.Rendering;
using VirtualizationWorkbench.Workbench.Terminal.ViewModels;

namespace VirtualizationWorkbench.Workbench.Terminal.Screens;

/// <summary>A lab: its steps with their state on the left, the selected step on the right.</summary>
public sealed class LabScreen(TerminalContext context, LabDocument lab, int? step) : IScreen
{
    private readonly LabViewModel model = new(lab, context.Store, step);
    private string? message;
    private int textHeight = 20;
    private int textLines;

    /// <summary>The view-model (for tests).</summary>
    public LabViewModel Model => model;

    /// <inheritdoc/>
    public string Title => $"Lab {lab.Id}: {lab.Title}";

    /// <inheritdoc/>
    public IReadOnlyList<KeyHint> Keys { get; } =
    [
        new("↑↓ jk", "step"), new("c", "check step"), new("a", "answer"), new("Tab", "next question"), new("n", "hint"),
        new("g", "grade the exercise"), new("i", "inspect the step's program"), new("o", "open the lesson"), new("PgUp/PgDn Space", "scroll text"), new("q Esc", "back"),
    ];

    /// <inheritdoc/>
    public string? Message => message ?? model.Message;

    /// <inheritdoc/>
    public LineEditor? Prompt { get; private set; }

    /// <inheritdoc/>
    public bool Animating => false;

    /// <inheritdoc/>
    public IRenderable Render(int width, int height)
    {
        var listWidth = Math.Clamp(width / 3, 22, 36);
        var textWidth = width - listWidth - 1;
        var steps = new List<StyledLine> { StyledLine.Of("Steps", Palette.Heading2) };
        foreach (var s in lab.Steps)
        {
            var (mark, style) = model.StateOf(s) switch
            {
                StepState.Passed => ("✓", Palette.Pass),
                StepState.Failed => ("✗", Palette.Fail),
                _ => ("·", Palette.Dim),
            };
            var label = $" {s.Number}. {s.Title}";
            var line = new StyledLine([new StyledSpan(mark, style), new StyledSpan(label, Style.Plain)]).Cropped(listWidth - 1);
            if (s.Number == model.Step.Number) line = StyledLine.Of(line.Plain.PadRight(listWidth - 1), Palette.Selected);
            steps.Add(line);
        }
        steps.Add(StyledLine.Empty);
        var done = lab.Steps.Count(s => model.StateOf(s) == StepState.Passed);
        steps.Add(StyledLine.Of($"{done} of {lab.Steps.Count} done", Palette.Dim));

        var body = new List<StyledLine>();
        body.AddRange(model.StepText(textWidth).Lines);
        body.AddRange(model.Extras(textWidth));
        textLines = body.Count;
        textHeight = height;
        var shown = body.Skip(model.TextTop).Take(height).ToList();
        if (model.TextTop + height < body.Count && shown.Count > 0) shown[^1] = StyledLine.Of($"  ↓ {body.Count - model.TextTop - height + 1} more lines (PgDn)", Palette.Dim);

        var grid = new Grid();
        grid.AddColumn(new GridColumn { Width = listWidth, NoWrap = true, Padding = new Padding(0, 0, 1, 0) });
        grid.AddColumn(new GridColumn { Width = textWidth, NoWrap = true, Padding = new Padding(0) });
        grid.AddRow(TextBlock.Of(steps.Take(height), listWidth - 1), TextBlock.Of(shown, textWidth));
        return grid;
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
                if (prompt.Submitted) model.Answer(prompt.Text);
            }
            return Navigation.Stay;
        }
        if (key.IsBack) return Navigation.Back;
        switch (key.Key == UiKey.Character ? key.Char : '\0')
        {
            case 'c':
                model.Check();
                return Navigation.Stay;
            case 'a':
                if (model.Question is { } q) Prompt = new LineEditor($"answer {q.Id}", model.AnswerTo(q) ?? "");
                else message = $"step {model.Step.Number} has no questions";
                return Navigation.Stay;
            case 'n':
                model.NextHint();
                return Navigation.Stay;
            case 'g':
                model.GradeExercise();
                return Navigation.Stay;
            case 'i':
                return Inspect();
            case 'o':
                return OpenLesson();
        }
        if (key.Key is UiKey.Tab or UiKey.BackTab)
        {
            model.NextQuestion();
            return Navigation.Stay;
        }
        switch (key.Movement)
        {
            case UiKey.PageDown:
                model.ScrollText(Math.Max(1, textHeight - 2), textLines, textHeight);
                break;
            case UiKey.PageUp:
                model.ScrollText(-Math.Max(1, textHeight - 2), textLines, textHeight);
                break;
            case var movement:
                model.MoveStep(movement);
                break;
        }
        return Navigation.Stay;
    }

    private Navigation Inspect()
    {
        var block = model.Step.Assembly.FirstOrDefault();
        if (block is null)
        {
            message = $"step {model.Step.Number} has no program; open one from the home screen (i)";
            return Navigation.Stay;
        }
        try
        {
            return Navigation.Open(new InspectorScreen(InspectedProgram.FromLab(lab, block)));
        }
        catch (UserError e)
        {
            message = "error: " + e.Message;
            return Navigation.Stay;
        }
    }

    private Navigation OpenLesson()
    {
        var lesson = lab.Lessons.Select(id => Path.Combine(context.Catalog.CurriculumFolder, id + ".md")).FirstOrDefault(File.Exists);
        if (lesson is null)
        {
            message = "this lab names no lesson that exists";
            return Navigation.Stay;
        }
        return Navigation.Open(new LessonScreen(context, Lesson.Open(context.Catalog.CurriculumFolder, lesson)));
    }

    /// <inheritdoc/>
    public void Close() { }

    /// <inheritdoc/>
    public void Resume() { }
}
