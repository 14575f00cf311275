namespace VirtualizationWorkbench.Grading;

/// <summary>Everything the grader found out about one submission.</summary>
/// <param name="Submission">The submission's name (its folder's name).</param>
/// <param name="Checks">One result per graded test, in the tests' order.</param>
/// <param name="BuildErrors">Compiler errors, as <c>file(line,col): error CS…: message</c>; empty when it compiled.</param>
/// <param name="Problems">What went wrong around the tests: a time-out, a process that ended early, output that was
/// cut. Each names the test and the reason.</param>
/// <param name="Containment">The protections the submission ran under, in words.</param>
/// <param name="Elapsed">Wall-clock time for this submission.</param>
public sealed record GradeReport(
    string Submission,
    IReadOnlyList<CheckResult> Checks,
    IReadOnlyList<string> BuildErrors,
    IReadOnlyList<string> Problems,
    string Containment,
    TimeSpan Elapsed)
{
    /// <summary>Where the verdicts came from (the reference solution's observations, or the tests' own assertions)
    /// and the grading run's seed.</summary>
    public string Verdict { get; init; } = "";

    /// <summary>The lab's steps and questions, re-checked, when the submission was a whole lab
    /// (<see cref="LabSubmission"/>); null for an exercise alone.</summary>
    public LabWorkReport? LabWork { get; init; }

    /// <summary>Points earned.</summary>
    public double Score => Checks.Sum(c => c.Score);

    /// <summary>Points available.</summary>
    public double MaxScore => Checks.Sum(c => c.Check.Points);

    /// <summary>Whether every check passed.</summary>
    public bool FullMarks => Checks.Count > 0 && Checks.All(c => c.Passed);

    /// <summary>Whether the submission compiled.</summary>
    public bool Compiled => BuildErrors.Count == 0;
}
