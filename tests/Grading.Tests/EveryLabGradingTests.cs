using System.Text.Json;

namespace VirtualizationWorkbench.Grading.Tests;

/// <summary>
/// Every lab with a graded exercise (found in the repository, so a new lab is covered at once): <c>workbench
/// grade</c> gives its reference solution full marks, judged as an instructor grades, and its untouched exercise
/// zero. One fixture per lab, each with its own home, so that two labs grade side by side on two cores.
/// </summary>
[Category(TestCategories.EndToEnd)]
[TestFixtureSource(nameof(GradedLabs))]
[Parallelizable(ParallelScope.Self)]
public sealed class EveryLabGradingTests(string lab)
{
    private string home = "";

    /// <summary>Every lab folder with a <c>Grading/</c> folder.</summary>
    public static IEnumerable<string> GradedLabs() =>
        Directory.EnumerateDirectories(Path.Combine(RepositoryRoot(), "labs"))
            .Where(d => Directory.Exists(Path.Combine(d, "Grading")))
            .Select(Path.GetFileName)
            .Order(StringComparer.Ordinal)!;

    [OneTimeSetUp]
    public void MakeHome() => home = Directory.CreateTempSubdirectory("workbench-every-lab-").FullName;

    [OneTimeTearDown]
    public void RemoveHome() => Directory.Delete(home, recursive: true);

    [Test]
    public void Should_Give_Full_Marks_To_The_Solution_And_Zero_To_The_Untouched_Exercise()
    {
        var folder = Path.Combine(WorkbenchProcess.RepositoryRoot, "labs", lab);
        // Judged, as an instructor grades: every check must observe something the reference's run can be compared
        // with, and the solution must match its own reference run with a fresh seed.
        var solution = Grade("--exercise", Path.Combine(folder, "Solution"), "--json", "--no-progress", "--judged");
        Assert.That(solution.ExitCode, Is.EqualTo(0), solution.ToString());
        var full = JsonDocument.Parse(solution.Output).RootElement;
        Assert.That(full.GetProperty("score").GetDouble(), Is.EqualTo(full.GetProperty("max_score").GetDouble()));
        Assert.That(full.GetProperty("max_score").GetDouble(), Is.GreaterThan(0));
        Assert.That(full.GetProperty("verdict").GetString(), Does.StartWith("judged against the reference"));

        var exercise = Grade("--exercise", Path.Combine(folder, "Exercise"), "--json", "--no-progress");
        Assert.That(exercise.ExitCode, Is.EqualTo(1), exercise.ToString());
        var zero = JsonDocument.Parse(exercise.Output).RootElement;
        Assert.That(zero.GetProperty("score").GetDouble(), Is.Zero, "a grader that cannot fail is a defect: the untouched exercise must score zero");
        Assert.That(zero.GetProperty("build_errors").GetArrayLength(), Is.Zero, "the untouched exercise compiles");
        Assert.That(zero.GetProperty("checks").EnumerateArray().Select(c => c.GetProperty("status").GetString()), Is.All.EqualTo("failed"));
    }

    private CommandResult Grade(params string[] arguments) =>
        WorkbenchProcess.Run(home, new Dictionary<string, string> { ["WORKBENCH_HOME"] = home }, ["grade", lab, .. arguments]);

    // TestContext is not there yet when NUnit asks for the fixtures: found from the test assembly's folder.
    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Workbench.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("cannot find the repository root");
    }
}
