using NUnit.Framework;

namespace VirtualizationWorkbench.Grading;

/// <summary>One observation of a grading test: the expression observed (for messages) and its canonical value
/// (what is judged).</summary>
/// <param name="Expression">The source text of the observed expression, as the test wrote it.</param>
/// <param name="Value">The value, as <see cref="ObservationText"/> writes it.</param>
public sealed record Observation(string Expression, string Value);

/// <summary>The observations of the tests running in this process, by test. Kept under the running test's own
/// name (NUnit's test context, on the test's thread), not by the order of the runner's events, which NUnit may
/// deliver from another thread. The grading worker takes each test's list when it reports the test finished
/// (<see cref="GradingWorker"/>); outside the worker (plain <c>dotnet test</c>) nothing reads them.</summary>
public static class ObservationLog
{
    /// <summary>The most observations one test keeps; more are a mistake in the test (or a submission flooding
    /// the log) and are not kept, which fails the comparison.</summary>
    public const int MaxPerTest = 10_000;

    private static readonly Lock Gate = new();
    private static readonly Dictionary<string, List<Observation>> ByTest = new(StringComparer.Ordinal);

    /// <summary>Adds an observation to the running test's log.</summary>
    public static void Record(string expression, string value)
    {
        var test = TestContext.CurrentContext.Test.FullName;
        lock (Gate)
        {
            if (!ByTest.TryGetValue(test, out var list)) ByTest[test] = list = [];
            if (list.Count < MaxPerTest) list.Add(new Observation(expression.Length > 200 ? expression[..200] : expression, value));
            else if (list.Count == MaxPerTest) list.Add(new Observation("(log)", $"more than {MaxPerTest} observations"));
        }
    }

    /// <summary>Takes (and forgets) what <paramref name="test"/> observed.</summary>
    public static IReadOnlyList<Observation> Take(string test)
    {
        lock (Gate)
        {
            return ByTest.Remove(test, out var list) ? list : [];
        }
    }
}
