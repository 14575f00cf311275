using VirtualizationWorkbench.Labs.Progress;
using VirtualizationWorkbench.Labs.Scripting;

namespace VirtualizationWorkbench.Labs;

/// <summary>
/// One student working through one lab: the single place that checks steps, records answers, opens hints, records
/// exercise grades, starts the work folder and knows where to continue. <c>workbench lab …</c>, <c>workbench
/// grade</c> and the terminal UI are thin callers of it, so they always agree about a student's progress. Every
/// change is written at once through <see cref="ProgressStore.Update"/> (merged with what other processes wrote
/// meanwhile), and <see cref="Progress"/> is refreshed from what was written.
/// </summary>
public sealed class LabSession
{
    private readonly ProgressStore store;
    private readonly TextWriter warnings;
    private readonly Func<ILabScriptHost>? hostFactory;
    private UserProgress progress;

    /// <summary>Opens <paramref name="lab"/> for the student whose progress <paramref name="store"/> keeps;
    /// warnings (an unreadable progress file set aside) go to <paramref name="warnings"/>.</summary>
    public LabSession(LabDocument lab, ProgressStore store, TextWriter? warnings = null, Func<ILabScriptHost>? hostFactory = null)
    {
        Lab = lab;
        this.store = store;
        this.warnings = warnings ?? TextWriter.Null;
        this.hostFactory = hostFactory;
        progress = store.Load(this.warnings);
    }

    /// <summary>The lab.</summary>
    public LabDocument Lab { get; }

    /// <summary>The student's seed: their generated question numbers come from it.</summary>
    public int Seed => progress.Seed;

    /// <summary>The student's identity, if they gave one (<see cref="Identify"/>).</summary>
    public string? StudentId => progress.StudentId;

    /// <summary>Records who the student is; from then on their seed is derived from <paramref name="studentId"/>
    /// (<see cref="StudentIdentity.SeedOf"/>), as the instructor's grader derives it from their submission's name.
    /// Returns whether the seed changed (generated numbers the student already saw are then different).</summary>
    /// <exception cref="LabError">The id is malformed, or the progress already belongs to another id.</exception>
    public bool Identify(string studentId)
    {
        StudentIdentity.Checked(studentId);
        if (progress.StudentId is { } known && known != studentId)
        {
            throw new LabError($"this progress belongs to student '{known}', not '{studentId}'; each student keeps their own ($WORKBENCH_HOME), or start afresh with: workbench progress --reset");
        }
        var seed = StudentIdentity.SeedOf(studentId);
        var changed = progress.Seed != seed;
        progress = store.Update(all =>
        {
            all.StudentId = studentId;
            all.Seed = seed;
        }, warnings);
        return changed;
    }

    /// <summary>The student's progress in this lab, as last read or written.</summary>
    public LabProgress Progress => progress.Labs.GetValueOrDefault(Lab.Id) ?? new LabProgress();

    /// <summary>The student's work folder, if <see cref="Start"/> made one.</summary>
    public string? WorkDirectory => Progress.WorkDirectory;

    /// <summary>Step <paramref name="number"/>, or a clear error naming the lab's steps.</summary>
    public LabStep Step(int number) =>
        Lab.Steps.FirstOrDefault(s => s.Number == number)
        ?? throw new LabError($"lab {Lab.Id} has steps 1 to {Lab.Steps.Count}, not {number}");

    /// <summary>The first step not yet passed, or the last step when all have.</summary>
    public LabStep NextStep => NextStepOf(Lab, Progress);

    /// <summary>The first step of <paramref name="lab"/> that <paramref name="progress"/> has not passed, or the last
    /// step when all have ("continue where you left off").</summary>
    public static LabStep NextStepOf(LabDocument lab, LabProgress? progress) =>
        lab.Steps.FirstOrDefault(s => progress is null || !progress.StepsDone.Contains(s.Number)) ?? lab.Steps[^1];

    /// <summary>Whether every step has passed and, where the lab has a graded exercise, it scored full marks.</summary>
    public bool Done => LabIsDone(Lab, Progress);

    /// <summary>Whether <paramref name="progress"/> finishes <paramref name="lab"/>: every step passed and, if the
    /// lab has a graded exercise, a full-marks grade recorded.</summary>
    public static bool LabIsDone(LabDocument lab, LabProgress? progress) =>
        progress is not null
        && lab.Steps.All(s => progress.StepsDone.Contains(s.Number))
        && (!lab.HasExercise || progress.Exercises.Values.Any(e => e.FullMarks));

    /// <summary>A question's prompt with this student's numbers.</summary>
    public string Prompt(LabQuestion question) => QuestionParameters.Prompt(Seed, Lab.Id, question);

    /// <summary>The student's answer to a question, if given.</summary>
    public string? AnswerTo(LabQuestion question) => Progress.Answers.GetValueOrDefault(question.Id);

    /// <summary>How many of the step's hints the student has opened.</summary>
    public int HintsSeen(LabStep step) => Math.Min(step.Hints.Count, Progress.HintsSeen.GetValueOrDefault(step.Number));

    /// <summary>Records <paramref name="value"/> as the answer to question <paramref name="questionId"/>.</summary>
    /// <exception cref="LabError">No such question, or an empty answer.</exception>
    public LabQuestion Answer(string questionId, string value)
    {
        var question = Lab.FindQuestion(questionId)
            ?? throw new LabError($"lab {Lab.Id} has no question '{questionId}'; its questions are {string.Join(", ", Lab.Steps.SelectMany(s => s.Questions).Select(q => q.Id))}");
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new LabError($"no answer recorded for {question.Id}: give a {(question.Kind == QuestionKind.Choice ? "choice letter" : "value")}");
        }
        Change(mine => mine.Answers[question.Id] = value.Trim());
        return question;
    }

    /// <summary>Opens the step's next hint (or all of them) and remembers it; returns the hints now open.</summary>
    public IReadOnlyList<string> OpenHint(LabStep step, bool all = false)
    {
        if (step.Hints.Count == 0) return [];
        var upTo = all ? step.Hints.Count : Math.Min(HintsSeen(step) + 1, step.Hints.Count);
        Change(mine => mine.HintsSeen[step.Number] = Math.Max(upTo, mine.HintsSeen.GetValueOrDefault(step.Number)));
        return [.. step.Hints.Take(HintsSeen(step))];
    }

    /// <summary>Runs the step's checks with the student's answers and work, and records whether it passed.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellation"/> was cancelled; nothing is recorded.</exception>
    public StepResult Check(LabStep step, CancellationToken cancellation = default) => Check([step], cancellation: cancellation)[0];

    /// <summary>Checks the step as <see cref="Check(LabStep, CancellationToken)"/> does and also returns the lab
    /// objects with a view that its scripts made (a storage layer, a network, …), as they are after the checks.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellation"/> was cancelled; nothing is recorded.</exception>
    public (StepResult Result, IReadOnlyList<object> Made) CheckAndKeep(LabStep step, CancellationToken cancellation = default)
    {
        var made = new List<object>();
        var result = Check([step], null, cancellation, made.Add)[0];
        return (result, made);
    }

    /// <summary>Runs the steps' checks and records each verdict; <paramref name="workDirectory"/> checks the
    /// student's files in another folder than the one <see cref="Start"/> made.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellation"/> was cancelled (a UI's Esc); nothing
    /// is recorded.</exception>
    public IReadOnlyList<StepResult> Check(IReadOnlyList<LabStep> steps, string? workDirectory = null, CancellationToken cancellation = default) =>
        Check(steps, workDirectory, cancellation, null);

    private List<StepResult> Check(IReadOnlyList<LabStep> steps, string? workDirectory, CancellationToken cancellation, Action<object>? made)
    {
        var checker = new LabChecker(Lab, new StudentWork(Seed, Progress.Answers, workDirectory ?? WorkDirectory), hostFactory);
        var results = steps.Select(step => checker.CheckStep(step, cancellation, made)).ToList();
        Change(mine =>
        {
            foreach (var result in results)
            {
                if (result.Passed) mine.StepsDone.Add(result.Step);
                else mine.StepsDone.Remove(result.Step);
            }
            mine.LastStep = results[^1].Step;
        });
        return results;
    }

    /// <summary>Checks steps against someone else's answers or work folder (an instructor's answer sheet, a CI
    /// run) without recording anything in this student's progress.</summary>
    public IReadOnlyList<StepResult> CheckWithout(IReadOnlyList<LabStep> steps, IReadOnlyDictionary<string, string>? answers, string? workDirectory, CancellationToken cancellation = default)
    {
        var checker = new LabChecker(Lab, new StudentWork(Seed, answers ?? Progress.Answers, workDirectory ?? WorkDirectory), hostFactory);
        return [.. steps.Select(step => checker.CheckStep(step, cancellation))];
    }

    /// <summary>What the checks see of the student.</summary>
    public StudentWork Work() => new(Seed, Progress.Answers, WorkDirectory);

    /// <summary>Records an exercise's grade.</summary>
    public void RecordGrade(string exercise, double score, double maxScore) =>
        Change(mine => mine.Exercises[exercise] = new ExerciseScore(score, maxScore, DateTimeOffset.Now));

    /// <summary>
    /// Makes the student's work folder (default <c>work/LAB-ID</c> under the current folder) with the lab's
    /// assembly blocks as <c>NAME.s</c> and its <c>starter/</c> files, never overwriting a file already there,
    /// and remembers it. Returns one line per file: its name, or that it was kept.
    /// </summary>
    /// <exception cref="LabError">The folder holds other things and none of the lab's files.</exception>
    public IReadOnlyList<string> Start(string? folder = null)
    {
        var target = Path.GetFullPath(folder ?? Path.Combine("work", Lab.Id));
        var files = StarterFiles();
        // Starting again in the lab's own folder keeps the student's files; any other folder with something in it
        // is refused, so a mistyped --dir cannot scatter lab files among unrelated ones.
        if (Directory.Exists(target) && Directory.EnumerateFileSystemEntries(target).Any()
            && !files.Any(file => File.Exists(Path.Combine(target, file.Name))))
        {
            throw new LabError($"{target} is not empty and holds none of lab {Lab.Id}'s files; give an empty or new folder (lab start --dir FOLDER)");
        }
        Directory.CreateDirectory(target);
        var written = files.Select(file => WriteIfAbsent(target, file.Name, file.Text)).ToList();
        Change(mine => mine.WorkDirectory = target);
        return written;
    }

    /// <summary>The files a work folder starts with: each assembly block as <c>NAME.s</c>, then the regular files of
    /// <c>starter/</c> (symbolic links and files over 1 MiB are left out).</summary>
    public IReadOnlyList<(string Name, string Text)> StarterFiles()
    {
        var files = Lab.Steps.SelectMany(s => s.Assembly).Select(block => (Name: block.Name + ".s", Text: block.Source)).ToList();
        var starter = Path.Combine(Lab.Folder, "starter");
        if (Directory.Exists(starter))
        {
            // Regular files only: a link in a downloaded lab's starter/ could name any file of the student's.
            files.AddRange(new DirectoryInfo(starter).EnumerateFiles().Where(file => file.LinkTarget is null && file.Length <= LabParser.MaximumLength)
                .OrderBy(file => file.Name, StringComparer.Ordinal).Select(file => (file.Name, File.ReadAllText(file.FullName))));
        }
        return files;
    }

    private static string WriteIfAbsent(string folder, string name, string text)
    {
        var path = Path.GetFullPath(Path.Combine(folder, name));
        // Names are checked when the lab is read; this is the last line of defence against one that climbs out.
        if (Path.GetDirectoryName(path) != folder.TrimEnd(Path.DirectorySeparatorChar)) throw new LabError($"{name}: a lab file name must not leave the work folder");
        // Never overwrite a student's work.
        if (File.Exists(path)) return $"{name} (kept: it exists)";
        File.WriteAllText(path, text);
        return name;
    }

    private void Change(Action<LabProgress> change) =>
        progress = store.Update(all =>
        {
            change(all.For(Lab.Id));
            all.LastLab = Lab.Id;
        }, warnings);
}
