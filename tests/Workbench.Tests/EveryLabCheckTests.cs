using System.Text.Json;

namespace VirtualizationWorkbench.Workbench.Tests;

/// <summary>
/// Every lab of the repository (a new lab is covered at once): <c>lab check</c> passes every step with the
/// reference answers and work, and fails every step of a fresh student's untouched lab. One fixture per lab, each
/// with its own home, so that two labs are checked side by side on two cores.
/// </summary>
[Category(TestCategories.EndToEnd)]
[TestFixtureSource(nameof(LabFolders))]
[Parallelizable(ParallelScope.Self)]
public sealed class EveryLabCheckTests(string lab)
{
    private string home = "";

    /// <summary>Every lab folder with a <c>lab.md</c>.</summary>
    public static IEnumerable<string> LabFolders() =>
        Directory.EnumerateDirectories(Path.Combine(FindRoot(), "labs")).Where(d => File.Exists(Path.Combine(d, "lab.md"))).Select(Path.GetFileName).Order(StringComparer.Ordinal)!;

    [SetUp]
    public void MakeHome() => home = Directory.CreateTempSubdirectory("wb-every-lab-").FullName;

    [TearDown]
    public void RemoveHome() => Directory.Delete(home, recursive: true);

    private static string Labs => Path.Combine(WorkbenchProcess.RepositoryRoot, "labs");

    private CommandResult Workbench(params string[] arguments) =>
        WorkbenchProcess.Run(home, new Dictionary<string, string> { ["WORKBENCH_HOME"] = home }, [.. arguments, "--labs", Labs]);

    [Test]
    public void Passes_Its_Checks_With_The_Reference_Solution()
    {
        InstructorFiles.Require();
        var solution = Path.Combine(Labs, lab, "Solution");
        var result = Workbench("lab", "check", lab, "--json", "--answers", Path.Combine(solution, "answers.json"), "--work", Path.Combine(solution, "work"));
        Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
        using var json = JsonDocument.Parse(result.Output);
        Assert.That(json.RootElement.GetProperty("passed").GetBoolean(), Is.True);
    }

    [Test]
    public void Fails_Untouched()
    {
        // A fresh student: no answers, the starter files as they come. Every step must fail: a check that
        // passes without the student doing anything is a defect.
        Assert.That(Workbench("lab", "start", lab, "--dir", Path.Combine(home, "work")).ExitCode, Is.EqualTo(0));
        var result = Workbench("lab", "check", lab, "--json");
        Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
        using var json = JsonDocument.Parse(result.Output);
        var passing = json.RootElement.GetProperty("steps").EnumerateArray().Where(s => s.GetProperty("passed").GetBoolean()).Select(s => s.GetProperty("step").GetInt32()).ToList();
        Assert.That(passing, Is.Empty, "steps that pass with nothing done");
    }

    // TestContext is not there yet when NUnit asks for the fixtures: found from the test assembly's folder.
    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Workbench.sln"))) dir = dir.Parent;
        return dir!.FullName;
    }
}
