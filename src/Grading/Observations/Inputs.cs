using System.Text;
using NUnit.Framework;

namespace VirtualizationWorkbench.Grading;

/// <summary>
/// Inputs for grading tests drawn from the grading run's seed: a submission cannot know them in advance, so it
/// cannot pass a check by printing or returning the answers the test's source shows. Each test draws from its own
/// sequence (the run's seed and the test's full name), so a test gets the same inputs whichever order or process
/// it runs in, and the reference solution, graded with the same seed, sees the same inputs as every student.
/// </summary>
public static class Inputs
{
    /// <summary>The environment variable that sets the seed outside the grader (plain <c>dotnet test</c>);
    /// without it the seed is 0.</summary>
    public const string SeedVariable = "WORKBENCH_GRADING_SEED";

    private static readonly Lock Gate = new();
    private static ulong? seed;
    private static string? test;
    private static Random random = new(0);

    /// <summary>The grading run's seed (the worker sets it from the grader's command line).</summary>
    public static ulong Seed
    {
        get => seed ??= ulong.TryParse(Environment.GetEnvironmentVariable(SeedVariable), out var s) ? s : 0;
        set
        {
            lock (Gate)
            {
                seed = value;
                test = null;
            }
        }
    }

    /// <summary>A whole number from <paramref name="minimum"/> up to, but not including,
    /// <paramref name="limit"/>.</summary>
    public static int Next(int minimum, int limit)
    {
        lock (Gate) return ForRunningTest().Next(minimum, limit);
    }

    /// <summary>One of <paramref name="choices"/>.</summary>
    public static T Choose<T>(params T[] choices)
    {
        if (choices.Length == 0) throw new ArgumentException("nothing to choose from", nameof(choices));
        return choices[Next(0, choices.Length)];
    }

    private static Random ForRunningTest()
    {
        var name = TestContext.CurrentContext.Test.FullName;
        if (name != test)
        {
            test = name;
            random = new Random(Mix(Seed, name));
        }
        return random;
    }

    // FNV-1a over the test's name, folded with the seed: stable across processes and runtimes, unlike
    // string.GetHashCode.
    private static int Mix(ulong runSeed, string name)
    {
        var hash = 14695981039346656037UL ^ runSeed;
        foreach (var b in Encoding.UTF8.GetBytes(name))
        {
            hash ^= b;
            hash *= 1099511628211UL;
        }
        return (int)(hash ^ (hash >> 32));
    }
}
