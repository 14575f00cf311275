using VirtualizationWorkbench.Labs;

namespace VirtualizationWorkbench.Grading;

/// <summary>A student's lab steps and questions, re-checked by the grader.</summary>
/// <param name="Student">Whose numbers the answers were marked with (the submission folder's name).</param>
/// <param name="Steps">Every step's verdict, questions' marks included (a step passes only with its questions
/// right).</param>
public sealed record LabWorkReport(string Student, IReadOnlyList<StepResult> Steps)
{
    /// <summary>Steps whose checks all held.</summary>
    public int StepsPassed => Steps.Count(s => s.Passed);

    /// <summary>The marks of every question, in the lab's order.</summary>
    public IEnumerable<CheckOutcome> Questions => Steps.SelectMany(s => s.Checks).Where(c => c.Question is not null);

    /// <summary>Questions answered right.</summary>
    public int QuestionsRight => Questions.Count(q => q.Passed);

    /// <summary>The lab work as graded checks, one point each, before the exercise's in every report: each step
    /// (passed when <c>lab check</c> would mark it done: its scripts ran, every check held and its questions are
    /// right) and each question (answered right with this student's numbers).</summary>
    public IReadOnlyList<CheckResult> AsChecks()
    {
        var checks = new List<CheckResult>();
        foreach (var step in Steps)
        {
            var passed = step.Passed;
            var check = new GradingCheck($"lab.step-{step.Step}", $"step {step.Step}: {step.Title}", 1, null, CheckVisibility.Visible);
            var message = step.Error ?? string.Join('\n', step.Checks.Where(c => !c.Passed).Select(c => c.Message));
            checks.Add(new CheckResult(check, passed ? CheckStatus.Passed : CheckStatus.Failed, passed ? "" : message, ""));
        }
        foreach (var question in Questions)
        {
            var check = new GradingCheck($"lab.question-{question.Question}", $"question {question.Question}", 1, null, CheckVisibility.Visible);
            checks.Add(new CheckResult(check, question.Passed ? CheckStatus.Passed : CheckStatus.Failed, question.Passed ? "" : question.Message, ""));
        }
        return checks;
    }

    /// <summary>Re-checks the lab work in <paramref name="folder"/> (a <see cref="LabSubmission"/>) for the student
    /// named <paramref name="student"/>: their work files (plain files only, copied first) and answers, with the
    /// numbers generated for that student, every step run afresh. What went wrong goes to
    /// <paramref name="problems"/>.</summary>
    public static LabWorkReport Check(LabDocument lab, string folder, string student, TimeSpan limit, List<string> problems)
    {
        var submission = LabSubmission.Read(folder, problems);
        if (submission.Lab.Length > 0 && submission.Lab != lab.Id) problems.Add($"the submission is for lab '{VirtualizationWorkbench.Machine.Assembler.Diagnostic.Printable(submission.Lab)}', graded as {lab.Id}");
        if (submission.Student.Length > 0 && submission.Student != student)
        {
            problems.Add($"submitted as '{VirtualizationWorkbench.Machine.Assembler.Diagnostic.Printable(submission.Student)}' but graded as '{student}' (the folder's name): the answers were marked with {student}'s numbers");
        }
        var work = Directory.CreateTempSubdirectory("workbench-labwork-").FullName;
        try
        {
            var given = Path.Combine(folder, LabSubmission.WorkFolder);
            if (Directory.Exists(given) && new DirectoryInfo(given).LinkTarget is null) PlainFiles.Copy(given, work, maxFileBytes: LabSubmission.MaxFileBytes);
            var checker = new LabChecker(lab, new StudentWork(StudentIdentity.SeedOf(student), submission.Answers, work));
            using var time = new CancellationTokenSource(limit);
            var steps = new List<StepResult>();
            foreach (var step in lab.Steps)
            {
                try
                {
                    steps.Add(checker.CheckStep(step, time.Token));
                }
                catch (OperationCanceledException)
                {
                    steps.Add(new StepResult(step.Number, step.Title, [], $"the lab's checks ran out of their {limit.TotalSeconds:0} s"));
                }
            }
            return new LabWorkReport(student, steps);
        }
        finally
        {
            try
            {
                Directory.Delete(work, recursive: true);
            }
            catch (IOException)
            {
                // A temporary folder left behind is harmless.
            }
        }
    }
}
