using System.Security.Cryptography;

namespace VirtualizationWorkbench.Grading;

/// <summary>
/// The verdict, computed in the trusted grader rather than in the student's process. The reference solution is
/// graded once with the grading run's seed; its observations (<see cref="Observe"/>) are what every submission's
/// must equal, test by test, on the same inputs. Nothing the submission writes, prints, exits with or reaches by
/// reflection counts: a check earns its points only when every value it observed matches the reference's, so a
/// forged or missing observation is simply wrong, and the expected values never enter the sandbox.
/// </summary>
public sealed class ReferenceJudge
{
    private readonly IReadOnlyDictionary<string, IReadOnlyList<Observation>> expected;

    private ReferenceJudge(ulong seed, IReadOnlyDictionary<string, IReadOnlyList<Observation>> expected)
    {
        Seed = seed;
        this.expected = expected;
    }

    /// <summary>The grading run's seed, shared by the reference and every submission judged against it.</summary>
    public ulong Seed { get; }

    /// <summary>A fresh secret seed for a grading run.</summary>
    public static ulong NewSeed() => BitConverter.ToUInt64(RandomNumberGenerator.GetBytes(8)) % 1_000_000_000_000UL;

    /// <summary>Grades the lab's reference solution with <paramref name="seed"/> and keeps its observations. A clear
    /// error when the solution is missing (a student kit), does not pass every check, or a check observes
    /// nothing (its verdict could not be judged).</summary>
    public static ReferenceJudge Prepare(GradingBuild build, Containment containment, ulong seed)
    {
        var solution = build.Exercise.SolutionFolder;
        if (!Directory.Exists(solution))
        {
            throw new GradingError($"{solution}: the reference solution is missing, and judged grading (grade-class, --gradescope, --judged) compares every submission with it; point --labs (or WORKBENCH_LABS) at the instructor's labs folder, the one with the Solution/ folders");
        }
        var report = new SubmissionGrader(build, containment) { Seed = seed }.Grade(solution, "reference solution");
        if (report.BuildErrors.Count > 0)
        {
            throw new GradingError($"{solution}: the reference solution does not compile against the grading tests:\n  {string.Join("\n  ", report.BuildErrors.Take(10))}");
        }
        var observations = new Dictionary<string, IReadOnlyList<Observation>>(StringComparer.Ordinal);
        foreach (var check in report.Checks)
        {
            if (!check.Passed)
            {
                throw new GradingError($"the reference solution fails {check.Check.FullName} with seed {seed} ({check.Status}: {check.Message.Split('\n')[0]}); fix the lab before grading against it");
            }
            if (check.Observations.Count == 0)
            {
                throw new GradingError($"grading test {check.Check.FullName} observes nothing, so its verdict cannot be judged outside the student's process; check the submission with Observe.That(actual, constraint) instead of Assert.That (curriculum/authoring.md)");
            }
            observations[check.Check.FullName] = check.Observations;
        }
        return new ReferenceJudge(seed, observations);
    }

    /// <summary>The judged result of one check: passed only when the test finished without failing and observed
    /// exactly what the reference solution observed. Time-outs, crashes and tests not run stay as they are.</summary>
    public CheckResult Judge(CheckResult result)
    {
        if (result.Status is not (CheckStatus.Passed or CheckStatus.Failed)) return result;
        if (!expected.TryGetValue(result.Check.FullName, out var want)) return result with { Status = CheckStatus.Failed, Message = "no reference observation for this check" };
        var got = result.Observations;
        string? difference = null;
        for (var i = 0; i < want.Count && difference is null; i++)
        {
            if (i >= got.Count)
            {
                difference = $"the test ended before it observed {want[i].Expression} (observation {i + 1} of {want.Count}): an exception, or the test cut short from the submission's code";
            }
            else if (got[i].Value != want[i].Value)
            {
                difference = $"{want[i].Expression} is not what the reference solution gives for the same input (observation {i + 1} of {want.Count})";
            }
        }
        if (difference is null && got.Count > want.Count) difference = $"{got.Count - want.Count} observations more than the reference solution's";
        if (difference is null) return result;
        // The test's own message explains a failure best; it says nothing when the in-process verdict was forged.
        var message = result.Status == CheckStatus.Failed && result.Message.Length > 0 ? result.Message : difference;
        return result with { Status = CheckStatus.Failed, Message = message };
    }
}
