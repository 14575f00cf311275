namespace VirtualizationWorkbench.Grading;

/// <summary>How one check ended.</summary>
public enum CheckStatus
{
    /// <summary>The test passed: full points.</summary>
    Passed,
    /// <summary>The test failed (an assertion, an exception from the submission): no points.</summary>
    Failed,
    /// <summary>The test did not finish within the time limit and its process was killed.</summary>
    TimedOut,
    /// <summary>The test process ended while this test ran (<c>Environment.Exit</c>, a crash, the memory limit).</summary>
    Crashed,
    /// <summary>The test never ran (the submission did not compile, or the grader's time ran out).</summary>
    NotRun,
}

/// <summary>The result of one <see cref="GradingCheck"/> for one submission.</summary>
/// <param name="Check">The check.</param>
/// <param name="Status">How it ended.</param>
/// <param name="Message">The failure message (empty when it passed).</param>
/// <param name="Output">What the test printed, cut to the grader's cap.</param>
public sealed record CheckResult(GradingCheck Check, CheckStatus Status, string Message, string Output)
{
    /// <summary>What the test observed of the submission (see <see cref="Observe"/>), in order.</summary>
    public IReadOnlyList<Observation> Observations { get; init; } = [];

    /// <summary>Points earned.</summary>
    public double Score => Status == CheckStatus.Passed ? Check.Points : 0;

    /// <summary>Whether it passed.</summary>
    public bool Passed => Status == CheckStatus.Passed;
}
