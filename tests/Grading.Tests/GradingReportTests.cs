using System.Text.Json;
using VirtualizationWorkbench.Grading;

namespace VirtualizationWorkbench.Grading.Tests;

/// <summary>The report formats, the student kit and the watcher, without running any submission.</summary>
[TestFixture]
public sealed class GradingReportTests
{
    private static readonly GradingCheck Shown = new("Lab.Tests.Shown", "Shown", 2, "look at r0", CheckVisibility.Visible);
    private static readonly GradingCheck Secret = new("Lab.Tests.Secret", "Secret", 3, "the secret hint", CheckVisibility.Hidden);

    private static GradeReport Report(string name, CheckStatus shown, CheckStatus secret, params string[] problems) => new(
        name,
        [new CheckResult(Shown, shown, shown == CheckStatus.Passed ? "" : "expected 1, was 2", ""), new CheckResult(Secret, secret, secret == CheckStatus.Passed ? "" : "secret message", "")],
        [],
        problems,
        "test",
        TimeSpan.FromSeconds(1));

    [TestCase(0, 5, 0)]
    [TestCase(0.4, 5, 0)]
    [TestCase(0.5, 5, 1)]
    [TestCase(2.5, 5, 5)]
    [TestCase(4.99, 5, 9)]
    [TestCase(5, 5, 10)]
    public void Should_Put_A_Score_In_Its_Tenth_Of_The_Maximum(double score, double max, int bucket) =>
        Assert.That(TextReport.Bucket(score, max), Is.EqualTo(bucket));

    [Test]
    public void Should_Withhold_Hidden_Details_From_The_Student_But_Not_The_Instructor()
    {
        var report = Report("ann", CheckStatus.Failed, CheckStatus.Failed);
        var student = TextReport.Submission(report, showHidden: false);
        Assert.That(student, Does.Contain("expected 1, was 2").And.Contain("hint: look at r0"));
        Assert.That(student, Does.Not.Contain("secret message").And.Not.Contain("the secret hint"));
        var instructor = TextReport.Submission(report, showHidden: true);
        Assert.That(instructor, Does.Contain("secret message").And.Contain("the secret hint"));
    }

    [Test]
    public void Should_Write_Csv_With_Quoted_Fields_And_One_Column_Per_Check()
    {
        var csv = CsvReport.Write([Report("ann, the \"first\"", CheckStatus.Passed, CheckStatus.Failed, "a problem, with a comma")]);
        var lines = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines[0], Is.EqualTo("student,score,max_score,percent,compiled,problems,Shown,Secret"));
        Assert.That(lines[1], Is.EqualTo("\"ann, the \"\"first\"\"\",2,5,40,yes,\"a problem, with a comma\",2,0"));
    }

    [Test]
    public void Should_Write_Gradescope_Results_With_Scores_Visibility_And_Status()
    {
        var json = JsonDocument.Parse(GradescopeResults.Write(Report("ann", CheckStatus.Passed, CheckStatus.TimedOut))).RootElement;
        Assert.That(json.GetProperty("score").GetDouble(), Is.EqualTo(2));
        Assert.That(json.GetProperty("max_score").GetDouble(), Is.EqualTo(5));
        var tests = json.GetProperty("tests").EnumerateArray().ToList();
        Assert.That(tests.Select(t => t.GetProperty("visibility").GetString()), Is.EqualTo(new[] { "visible", "hidden" }));
        Assert.That(tests.Select(t => t.GetProperty("status").GetString()), Is.EqualTo(new[] { "passed", "failed" }));
        Assert.That(tests[1].GetProperty("output").GetString(), Does.Contain("secret message").And.Contain("hint: the secret hint"));
    }

    [Test]
    public void Should_Count_Failures_And_Errors_In_JUnit()
    {
        var root = JUnitReport.Write("01", [Report("ann", CheckStatus.Failed, CheckStatus.Crashed), Report("bo", CheckStatus.Passed, CheckStatus.Passed)]).Root!;
        Assert.That((int)root.Attribute("tests")!, Is.EqualTo(4));
        Assert.That((int)root.Attribute("failures")!, Is.EqualTo(1));
        Assert.That((int)root.Attribute("errors")!, Is.EqualTo(1));
        Assert.That(root.Elements("testsuite").Select(s => (string?)s.Attribute("name")), Is.EqualTo(new[] { "ann", "bo" }));
    }

    [Test]
    public void Should_Refuse_An_Unknown_Visibility_Naming_The_Test() =>
        Assert.That(() => GradingCheck.ParseVisibility("secretly", "grading test X"), Throws.TypeOf<GradingError>().With.Message.Contains("grading test X").And.Message.Contains("secretly"));

    [Test]
    public void Should_Export_A_Student_Kit_Without_Solutions_Hidden_Checks_Or_Build_Output()
    {
        var scratch = Directory.CreateTempSubdirectory("workbench-kit-").FullName;
        try
        {
            var repo = Path.Combine(scratch, "repo");
            foreach (var file in new[] { "Workbench.sln", "labs/01-machine/lab.md", "labs/01-machine/Exercise/A.cs", "labs/01-machine/Solution/A.cs", "labs/01-machine/Grading/T.cs", "labs/01-machine/Grading/Hidden/T.Hidden.cs", "labs/01-machine/Exercise/bin/A.dll", "src/X/obj/y", ".git/config" })
            {
                Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(repo, file))!);
                File.WriteAllText(Path.Combine(repo, file), file);
            }
            var kit = Path.Combine(scratch, "kit");
            Assert.That(StudentKit.Export(repo, kit), Is.EqualTo(4));
            Assert.That(Path.Combine(kit, "labs/01-machine/Grading/T.cs"), Does.Exist);
            Assert.That(Path.Combine(kit, "labs/01-machine/Grading/Hidden"), Does.Not.Exist);
            Assert.That(Path.Combine(kit, "labs/01-machine/Exercise/A.cs"), Does.Exist);
            Assert.That(Path.Combine(kit, "labs/01-machine/Solution"), Does.Not.Exist);
            Assert.That(Path.Combine(kit, "labs/01-machine/Exercise/bin"), Does.Not.Exist);
            Assert.That(Path.Combine(kit, ".git"), Does.Not.Exist);
            Assert.That(() => StudentKit.Export(repo, kit), Throws.TypeOf<GradingError>().With.Message.Contains("not empty"));
            Assert.That(() => StudentKit.Export(repo, Path.Combine(repo, "inside")), Throws.TypeOf<GradingError>().With.Message.Contains("inside the repository"));
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }

    [TestCase(true)]
    [TestCase(false)]
    public void Should_See_A_Saved_Change_With_Or_Without_Change_Events(bool pollOnly)
    {
        var folder = Directory.CreateTempSubdirectory("workbench-watch-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(folder, "A.cs"), "class A {}");
            using var watcher = new ExerciseWatcher(folder, pollOnly) { PollInterval = TimeSpan.FromMilliseconds(100) };
            Assert.That(watcher.UsesEvents, Is.EqualTo(!pollOnly));
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            var waiting = Task.Run(() => watcher.WaitForChange(timeout.Token));
            Thread.Sleep(300);
            Assert.That(waiting.IsCompleted, Is.False, "nothing changed yet");
            // Saved as most editors do: written aside, renamed over the old file (so no half-written state is seen).
            File.WriteAllText(Path.Combine(folder, "A.tmp"), "class A { int x; }");
            File.Move(Path.Combine(folder, "A.tmp"), Path.Combine(folder, "A.cs"), overwrite: true);
            Assert.That(waiting.Result, Is.True, "the change was seen before the time-out");

            using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
            Assert.That(watcher.WaitForChange(cancel.Token), Is.False, "no further change: cancelled");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
