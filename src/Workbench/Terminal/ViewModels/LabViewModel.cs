using System.Globalization;
using Spectre.Console;
using VirtualizationWorkbench.Labs;
using VirtualizationWorkbench.Labs.Scripting;
using VirtualizationWorkbench.Labs.Progress;
using VirtualizationWorkbench.Workbench.Terminal.Input;
using VirtualizationWorkbench.Workbench.Terminal.Rendering;

namespace VirtualizationWorkbench.Workbench.Terminal.ViewModels;

/// <summary>Where a step stands for the student.</summary>
public enum StepState
{
    /// <summary>Not passed yet, not checked in this session.</summary>
    Open,
    /// <summary>Its checks passed (now or in an earlier session).</summary>
    Passed,
    /// <summary>Checked in this session and failed.</summary>
    Failed,
}

/// <summary>
/// Following one lab: its steps with their state, the selected step's text with the student's own question
/// numbers, the hints opened so far, answers, and each check's result. Checks, answers, hints and grades go through
/// <see cref="LabSession"/>, as <c>workbench lab check</c>, <c>lab answer</c>, <c>lab hint</c> and <c>grade</c> do,
/// so the command line and the terminal UI see the same progress.
/// </summary>
public sealed class LabViewModel
{
    private readonly LabSession session;
    private readonly Dictionary<int, StepResult> results = [];
    private (int Step, int Width, LaidOutDocument Text)? laid;

    /// <summary>Opens <paramref name="lab"/> at <paramref name="step"/>, or at the first step not yet passed.</summary>
    public LabViewModel(LabDocument lab, ProgressStore store, int? step = null, Func<ILabScriptHost>? hostFactory = null)
    {
        Lab = lab;
        var warnings = new StringWriter();
        session = new LabSession(lab, store, warnings, hostFactory);
        Message = warnings.ToString().Trim() is { Length: > 0 } w ? w : null;
        Steps.Resize(lab.Steps.Count);
        var start = step ?? session.NextStep.Number;
        Steps.Select(lab.Steps.ToList().FindIndex(s => s.Number == start));
    }

    /// <summary>The lab.</summary>
    public LabDocument Lab { get; }

    /// <summary>The student's work on this lab: progress, answers, hints, grades.</summary>
    public LabSession Session => session;

    private LabProgress Mine => session.Progress;

    /// <summary>The selected step in the step list.</summary>
    public ListCursor Steps { get; } = new();

    /// <summary>The selected step.</summary>
    public LabStep Step => Lab.Steps[Steps.Selected];

    /// <summary>The first line of the step text in view.</summary>
    public int TextTop { get; private set; }

    /// <summary>The selected question of the step (index), or -1 if it has none.</summary>
    public int SelectedQuestion { get; private set; }

    /// <summary>A line of news: the check's verdict, a saved answer, a hint count.</summary>
    public string? Message { get; private set; }

    /// <summary>The state of step <paramref name="step"/>.</summary>
    public StepState StateOf(LabStep step) =>
        results.TryGetValue(step.Number, out var r) ? (r.Passed ? StepState.Passed : StepState.Failed)
        : Mine.StepsDone.Contains(step.Number) ? StepState.Passed : StepState.Open;

    /// <summary>The result of the last check of the selected step in this session, if any.</summary>
    public StepResult? Result => results.GetValueOrDefault(Step.Number);

    /// <summary>How many of the step's hints the student has opened.</summary>
    public int HintsSeen => session.HintsSeen(Step);

    /// <summary>The student's answer to a question, if given.</summary>
    public string? AnswerTo(LabQuestion question) => session.AnswerTo(question);

    /// <summary>A question's prompt with the student's own numbers.</summary>
    public string Prompt(LabQuestion question) => session.Prompt(question);

    /// <summary>Selects another step (the text scrolls back to its top).</summary>
    public bool MoveStep(UiKey movement)
    {
        var before = Steps.Selected;
        if (!Steps.Move(movement, 5)) return false;
        if (Steps.Selected != before)
        {
            TextTop = 0;
            SelectedQuestion = 0;
        }
        return true;
    }

    /// <summary>The step's text laid out for <paramref name="width"/>: its prose and assembly, then its questions
    /// (with answers given so far), the hints opened, and the last check's results.</summary>
    public LaidOutDocument StepText(int width)
    {
        if (laid is { } cached && cached.Step == Step.Number && cached.Width == width) return cached.Text;
        var text = MarkdownLayout.Layout(Step.Markdown, width, labBlocksHidden: true);
        laid = (Step.Number, width, text);
        return text;
    }

    /// <summary>Scrolls the step text by a page movement within <paramref name="height"/> rows of
    /// <paramref name="total"/>.</summary>
    public void ScrollText(int lines, int total, int height) => TextTop = Math.Clamp(TextTop + lines, 0, Math.Max(0, total - height));

    /// <summary>Runs the selected step's scripts and marks its questions; a pass is recorded in the progress.</summary>
    public StepResult Check()
    {
        var step = Step;
        var result = session.Check(step);
        results[step.Number] = result;
        var passed = result.Checks.Count(c => c.Passed);
        Message = result.Passed
            ? $"step {step.Number} passes: {passed} of {result.Checks.Count} checks hold"
            : result.Error is not null ? $"step {step.Number} fails: {result.Error}"
            : $"step {step.Number} fails: {passed} of {result.Checks.Count} checks hold";
        return result;
    }

    /// <summary>The last grading report of the lab's exercise in this session, as text lines.</summary>
    public IReadOnlyList<string> GradeLines { get; private set; } = [];

    /// <summary>
    /// Grades the lab's exercise (its <c>Exercise/</c> folder) as <c>workbench grade</c> does — compiled, run in the
    /// contained worker — and records the score in the progress. Returns false if the lab has no graded exercise.
    /// </summary>
    public bool GradeExercise()
    {
        if (!Directory.Exists(Path.Combine(Lab.Folder, "Grading")))
        {
            Message = $"lab {Lab.Id} has no graded exercise";
            return false;
        }
        var graded = Grading.GradedExercise.Of(Lab);
        var report = new Grading.SubmissionGrader(Grading.GradingBuild.For(graded), new Grading.Containment()).Grade(graded.ExerciseFolder, "Exercise");
        session.RecordGrade(graded.AssemblyName, report.Score, report.MaxScore);
        GradeLines = Grading.TextReport.Submission(report, showHidden: false).TrimEnd().Split('\n');
        Message = $"exercise {graded.AssemblyName}: {report.Score}/{report.MaxScore}{(report.FullMarks ? ", full marks" : "")}";
        return true;
    }

    /// <summary>Selects the step's next question.</summary>
    public void NextQuestion()
    {
        if (Step.Questions.Count == 0)
        {
            Message = $"step {Step.Number} has no questions";
            return;
        }
        SelectedQuestion = (SelectedQuestion + 1) % Step.Questions.Count;
        Message = $"question {Step.Questions[SelectedQuestion].Id}: press a to answer";
    }

    /// <summary>The question answers go to, or null if the step has none.</summary>
    public LabQuestion? Question => Step.Questions.Count == 0 ? null : Step.Questions[Math.Clamp(SelectedQuestion, 0, Step.Questions.Count - 1)];

    /// <summary>Records the answer to the selected question (an empty answer is refused, nothing saved).</summary>
    public void Answer(string value)
    {
        if (Question is not { } question)
        {
            Message = $"step {Step.Number} has no questions";
            return;
        }
        if (string.IsNullOrWhiteSpace(value))
        {
            Message = $"no answer recorded for {question.Id}: type a {(question.Kind == QuestionKind.Choice ? "letter" : "value")} and press Enter";
            return;
        }
        session.Answer(question.Id, value);
        Message = $"recorded {question.Id} = {value.Trim()}; press c to check the step";
    }

    /// <summary>Opens the step's next hint (remembered, as <c>workbench lab hint</c> does).</summary>
    public void NextHint()
    {
        if (Step.Hints.Count == 0)
        {
            Message = $"step {Step.Number} has no hints";
            return;
        }
        var seen = session.OpenHint(Step).Count;
        Message = seen == Step.Hints.Count ? $"hint {seen} of {Step.Hints.Count} (the last)" : $"hint {seen} of {Step.Hints.Count}";
    }

    /// <summary>The lines under the step text: questions, hints and check results.</summary>
    public IReadOnlyList<StyledLine> Extras(int width)
    {
        var lines = new List<StyledLine>();
        var step = Step;
        for (var i = 0; i < step.Questions.Count; i++)
        {
            var q = step.Questions[i];
            var marker = i == SelectedQuestion ? "▶ " : "  ";
            lines.Add(StyledLine.Empty);
            lines.AddRange(Wrap($"{marker}Question [{q.Id}]: {Prompt(q)}", width, i == SelectedQuestion ? Palette.Strong : Style.Plain));
            for (var c = 0; c < q.Choices.Count; c++) lines.Add(StyledLine.Of($"      {(char)('a' + c)}) {q.Choices[c]}"));
            lines.Add(StyledLine.Of($"    your answer: {AnswerTo(q) ?? "(none yet)"}", Palette.Dim));
        }
        for (var h = 0; h < HintsSeen; h++)
        {
            lines.Add(StyledLine.Empty);
            lines.AddRange(Wrap($"Hint {h + 1}/{step.Hints.Count}: {step.Hints[h].Trim()}", width, Palette.Emphasis));
        }
        if (Result is { } result)
        {
            lines.Add(StyledLine.Empty);
            lines.Add(StyledLine.Of($"Check: {(result.Passed ? "PASS" : "FAIL")}", result.Passed ? Palette.Pass : Palette.Fail));
            if (result.Error is not null) lines.AddRange(Wrap($"error: {result.Error}", width, Palette.Fail));
            foreach (var check in result.Checks)
            {
                lines.AddRange(Wrap($"{(check.Passed ? "✓ ok  " : "✗ FAIL")} {check.Message}", width, check.Passed ? Palette.Pass : Palette.Fail));
            }
        }
        foreach (var (name, score) in Mine.Exercises)
        {
            lines.Add(StyledLine.Empty);
            lines.Add(StyledLine.Of($"Exercise {name}: {score.Score}/{score.MaxScore} (graded {score.GradedAt.LocalDateTime:g}); g grades it again",
                score.Score >= score.MaxScore ? Palette.Pass : Palette.Emphasis));
        }
        foreach (var line in GradeLines)
        {
            lines.AddRange(Wrap(line, width, line.StartsWith("PASS", StringComparison.Ordinal) ? Palette.Pass : line.StartsWith("score", StringComparison.Ordinal) ? Palette.Strong : Style.Plain));
        }
        return lines;
    }

    private static IEnumerable<StyledLine> Wrap(string text, int width, Style style) => TextWrap.Lines(text, width, style, indent: 6);
}
