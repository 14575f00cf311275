using System.Text;
using VirtualizationWorkbench.Labs;
using VirtualizationWorkbench.Labs.Progress;
using VirtualizationWorkbench.Labs.Scripting;
using VirtualizationWorkbench.Sandbox.FileSystem;

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

/// <summary>A file of the student's work folder.</summary>
/// <param name="Name">Its name in the folder.</param>
/// <param name="Path">Its full path.</param>
/// <param name="Changed">Whether it differs from the lab's starting text (a missing file counts as changed).</param>
public sealed record WorkFile(string Name, string Path, bool Changed);

/// <summary>A graded exercise's outcome: the score and the report's lines.</summary>
public sealed record GradeOutcome(string Exercise, double Score, double MaxScore, bool FullMarks, IReadOnlyList<string> Report);

/// <summary>
/// Following one lab: its steps with their state, the selected step's text with the student's own question
/// numbers, the hints opened so far, answers, each check's result, the graded exercise and the work folder.
/// Checks, answers, hints, grades and the work folder go through <see cref="LabSession"/>, as
/// <c>workbench lab check</c>, <c>lab answer</c>, <c>lab hint</c>, <c>grade</c> and <c>lab start</c> do, so the command
/// line and the terminal UI see the same progress. Slow work (a check, grading) comes in two halves: the work, which
/// may run on any thread and records nothing here, and the result, taken on the UI's thread.
/// </summary>
public sealed class LabViewModel
{
    private readonly LabSession session;
    private readonly Dictionary<int, StepResult> results = [];

    /// <summary>Opens <paramref name="lab"/> at <paramref name="step"/>, or at the first step not yet passed.</summary>
    public LabViewModel(LabDocument lab, ProgressStore store, int? step = null, Func<ILabScriptHost>? hostFactory = null)
    {
        Lab = lab;
        var warnings = new StringWriter();
        session = new LabSession(lab, store, warnings, hostFactory);
        Message = warnings.ToString().Trim() is { Length: > 0 } w ? w : null;
        var start = step ?? session.NextStep.Number;
        SelectStep(Math.Max(0, lab.Steps.ToList().FindIndex(s => s.Number == start)));
    }

    /// <summary>The lab.</summary>
    public LabDocument Lab { get; }

    /// <summary>The student's work on this lab: progress, answers, hints, grades.</summary>
    public LabSession Session => session;

    /// <summary>The selected step's index in <see cref="LabDocument.Steps"/>.</summary>
    public int StepIndex { get; private set; }

    /// <summary>The selected step.</summary>
    public LabStep Step => Lab.Steps[StepIndex];

    /// <summary>The selected question of the step (index).</summary>
    public int SelectedQuestion { get; private set; }

    /// <summary>A line of news: the check's verdict, a saved answer, a hint count.</summary>
    public string? Message { get; private set; }

    /// <summary>The last grading report of the lab's exercise in this session.</summary>
    public GradeOutcome? Grade { get; private set; }

    /// <summary>The state of step <paramref name="step"/>.</summary>
    public StepState StateOf(LabStep step) =>
        results.TryGetValue(step.Number, out var r) ? (r.Passed ? StepState.Passed : StepState.Failed)
        : session.Progress.StepsDone.Contains(step.Number) ? StepState.Passed : StepState.Open;

    /// <summary>The step list's rows: a mark (✓ passed, ✗ failed, · open), the number and the title.</summary>
    public IReadOnlyList<string> StepRows =>
        [.. Lab.Steps.Select(s => $"{StateOf(s) switch { StepState.Passed => "✓", StepState.Failed => "✗", _ => "·" }} {s.Number}. {s.Title}")];

    /// <summary>Where the lab stands: steps passed, the exercise, done or not.</summary>
    public string Summary
    {
        get
        {
            var passed = Lab.Steps.Count(s => StateOf(s) == StepState.Passed);
            var exercise = GradedExercise is null ? ""
                : session.Progress.Exercises.Values.Any(e => e.Score >= e.MaxScore) ? ", exercise solved" : ", exercise not solved yet";
            return $"{passed} of {Lab.Steps.Count} steps{exercise}{(session.Done ? " · lab done" : "")}";
        }
    }

    /// <summary>The result of the last check of the selected step in this session, if any.</summary>
    public StepResult? Result => results.GetValueOrDefault(Step.Number);

    /// <summary>How many of the step's hints the student has opened.</summary>
    public int HintsSeen => session.HintsSeen(Step);

    /// <summary>The question answers go to, or null if the step has none.</summary>
    public LabQuestion? Question => Step.Questions.Count == 0 ? null : Step.Questions[Math.Clamp(SelectedQuestion, 0, Step.Questions.Count - 1)];

    /// <summary>Selects step <paramref name="index"/> (clamped), at its first question.</summary>
    public void SelectStep(int index)
    {
        var to = Math.Clamp(index, 0, Math.Max(0, Lab.Steps.Count - 1));
        if (to != StepIndex) SelectedQuestion = 0;
        StepIndex = to;
    }

    /// <summary>
    /// The selected step as Markdown: its prose and assembly (the lab blocks a student does not read as written
    /// left out), then its questions with the student's numbers and answers, the hints opened, the last check's
    /// results, the exercise's scores and the last grading report.
    /// </summary>
    public string StepMarkdown()
    {
        var step = Step;
        var text = new StringBuilder();
        text.AppendLine(ShownMarkdown.WithoutLabBlocks(step.Markdown).Trim());
        for (var i = 0; i < step.Questions.Count; i++)
        {
            var q = step.Questions[i];
            text.AppendLine().Append("### ").Append(i == SelectedQuestion && step.Questions.Count > 1 ? "▶ " : "").Append("Question `").Append(q.Id).AppendLine("`").AppendLine();
            text.AppendLine(session.Prompt(q)).AppendLine();
            for (var c = 0; c < q.Choices.Count; c++) text.Append("- **").Append((char)('a' + c)).Append(")** ").AppendLine(q.Choices[c]);
            if (q.Choices.Count > 0) text.AppendLine();
            text.Append("*Your answer:* ").AppendLine(session.AnswerTo(q) is { } a ? $"`{a}`" : "none yet (press `a`)");
        }
        for (var h = 0; h < HintsSeen; h++)
        {
            text.AppendLine().Append("> **Hint ").Append(h + 1).Append(" of ").Append(step.Hints.Count).Append(":** ").AppendLine(step.Hints[h].Trim().ReplaceLineEndings(" "));
        }
        if (Result is { } result)
        {
            text.AppendLine().Append("### Check: ").AppendLine(result.Passed ? "PASS ✓" : "FAIL ✗").AppendLine();
            if (result.Error is not null) text.Append("- ✗ error: ").AppendLine(result.Error);
            foreach (var check in result.Checks) text.Append(check.Passed ? "- ✓ ok " : "- ✗ FAIL ").AppendLine(check.Message);
        }
        foreach (var (name, score) in session.Progress.Exercises)
        {
            text.AppendLine().Append("**Exercise ").Append(name).Append(":** ").Append(score.Score).Append('/').Append(score.MaxScore)
                .Append(" (graded ").Append(score.GradedAt.LocalDateTime.ToString("g", System.Globalization.CultureInfo.CurrentCulture)).AppendLine("); `g` grades it again");
        }
        if (Grade is { } grade)
        {
            text.AppendLine().AppendLine("```text");
            foreach (var line in grade.Report) text.AppendLine(line);
            text.AppendLine("```");
        }
        return text.ToString();
    }

    /// <summary>Runs the step's scripts and marks its questions; a pass is recorded in the progress. Safe on any
    /// thread; give the result to <see cref="Checked"/>.</summary>
    /// <exception cref="OperationCanceledException">The check was cancelled; nothing is recorded.</exception>
    public StepResult RunCheck(LabStep step, CancellationToken cancellation = default) => session.Check(step, cancellation);

    /// <summary>Checks the step as <see cref="RunCheck"/> does and keeps what its scripts built (a volume group,
    /// a network, …) for the lab's views. Safe on any thread; give the result to <see cref="Checked"/>.</summary>
    /// <exception cref="OperationCanceledException">The check was cancelled; nothing is recorded.</exception>
    public (StepResult Result, IReadOnlyList<object> Made) RunCheckAndKeep(LabStep step, CancellationToken cancellation = default) =>
        session.CheckAndKeep(step, cancellation);

    /// <summary>Takes a check's result: the step's state and the message follow it.</summary>
    public void Checked(StepResult result)
    {
        results[result.Step] = result;
        var passed = result.Checks.Count(c => c.Passed);
        Message = result.Passed
            ? $"step {result.Step} passes: {passed} of {result.Checks.Count} checks hold"
            : result.Error is not null ? $"step {result.Step} fails: {result.Error}"
            : $"step {result.Step} fails: {passed} of {result.Checks.Count} checks hold";
    }

    /// <summary>Checks the selected step here and now (what <see cref="RunCheck"/> and <see cref="Checked"/> do together).</summary>
    public StepResult Check()
    {
        var result = RunCheck(Step);
        Checked(result);
        return result;
    }

    /// <summary>The lab's graded exercise, or null if it has none.</summary>
    public Grading.GradedExercise? GradedExercise => Directory.Exists(Path.Combine(Lab.Folder, "Grading")) ? Grading.GradedExercise.Of(Lab) : null;

    /// <summary>
    /// Grades the lab's exercise (its <c>Exercise/</c> folder) as <c>workbench grade</c> does — compiled, run in the
    /// contained worker. Safe on any thread; give the outcome to <see cref="Graded"/>. Null if the lab has no graded
    /// exercise.
    /// </summary>
    public GradeOutcome? RunGrade(CancellationToken cancellation = default)
    {
        if (GradedExercise is not { } graded) return null;
        cancellation.ThrowIfCancellationRequested();
        var report = new Grading.SubmissionGrader(Grading.GradingBuild.For(graded), new Grading.Containment()).Grade(graded.ExerciseFolder, "Exercise");
        return new GradeOutcome(graded.AssemblyName, report.Score, report.MaxScore, report.FullMarks,
            Grading.TextReport.Submission(report, showHidden: false).TrimEnd().Split('\n'));
    }

    /// <summary>Takes a grading outcome: the score is recorded in the progress.</summary>
    public void Graded(GradeOutcome? outcome)
    {
        if (outcome is null)
        {
            Message = $"lab {Lab.Id} has no graded exercise";
            return;
        }
        session.RecordGrade(outcome.Exercise, outcome.Score, outcome.MaxScore);
        Grade = outcome;
        Message = $"exercise {outcome.Exercise}: {outcome.Score}/{outcome.MaxScore}{(outcome.FullMarks ? ", full marks" : "")}";
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

    /// <summary>The student's answer to the selected question so far.</summary>
    public string? AnswerTo(LabQuestion question) => session.AnswerTo(question);

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

    /// <summary>The student's work folder, or null before the lab is started.</summary>
    public string? WorkFolder => session.WorkDirectory;

    /// <summary>Starts the lab as <c>workbench lab start</c> does: makes the work folder (default <c>work/LAB-ID</c>
    /// under the current folder) with the starting files, keeping any already there.</summary>
    public void Start(string? folder = null)
    {
        var written = session.Start(folder);
        Message = $"work folder {WorkFolder}: {string.Join(", ", written)}";
    }

    /// <summary>The work folder's files that the lab starts with, each marked changed or not.</summary>
    public IReadOnlyList<WorkFile> WorkFiles()
    {
        if (WorkFolder is not { } folder) return [];
        return [.. session.StarterFiles().Select(file =>
        {
            var path = Path.Combine(folder, file.Name);
            var changed = !File.Exists(path) || File.ReadAllText(path).ReplaceLineEndings("\n") != file.Text.ReplaceLineEndings("\n");
            return new WorkFile(file.Name, path, changed);
        })];
    }

    /// <summary>Puts one file of the work folder back to its starting text (the student's version is lost).</summary>
    public void Reset(string name)
    {
        if (WorkFolder is not { } folder)
        {
            Message = "the lab is not started: press s to make its work folder";
            return;
        }
        var starter = session.StarterFiles().FirstOrDefault(f => f.Name == name);
        if (starter.Name is null)
        {
            Message = $"{name} is not one of the lab's files";
            return;
        }
        AtomicFile.WriteAllText(Path.Combine(folder, name), starter.Text);
        Message = $"{name} is back to its starting text";
    }

    /// <summary>Says something (a result the screen learnt about, an error).</summary>
    public void Tell(string message) => Message = message;
}
