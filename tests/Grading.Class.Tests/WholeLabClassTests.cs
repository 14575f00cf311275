using System.Text.Json;
using VirtualizationWorkbench.Grading;
using VirtualizationWorkbench.Labs;
using VirtualizationWorkbench.Labs.Progress;

namespace VirtualizationWorkbench.Grading.Tests;

/// <summary>
/// The whole lab, per student: three students of lab 01 work through it (their progress made as the lab commands
/// make it), hand it in with the real <c>workbench lab submit</c>, and the instructor's <c>grade-class</c> re-checks
/// every step and marks every answer with each student's own numbers. Alice did everything; Bob copied Alice's
/// answers, so the generated question she answered with her numbers is wrong for him; Cy handed in untouched work.
/// </summary>
[Category(TestCategories.EndToEnd)]
[TestFixture]
[NonParallelizable]
public sealed class WholeLabClassTests
{
    private string scratch = "";
    private string results = "";
    private CommandResult grading = null!;
    private IReadOnlyDictionary<string, string> aliceAnswers = null!;
    private IReadOnlyDictionary<string, string> bobAnswers = null!;

    private static string Labs => Path.Combine(WorkbenchProcess.RepositoryRoot, "labs");

    [OneTimeSetUp]
    public void HandInAndGrade()
    {
        scratch = Directory.CreateTempSubdirectory("workbench-wholelab-").FullName;
        var lab = LabCatalog.Locate(Labs).Find("01");
        var solution = Path.Combine(Labs, "01-machine", "Solution");
        var submissions = Path.Combine(scratch, "submissions");
        aliceAnswers = AnswerSheet.Load(Path.Combine(solution, "answers.json"), lab, StudentIdentity.SeedOf("alice"));
        bobAnswers = AnswerSheet.Load(Path.Combine(solution, "answers.json"), lab, StudentIdentity.SeedOf("bob"));

        Submit(lab, "alice", aliceAnswers, solution, submissions, solved: true);
        Submit(lab, "bob", aliceAnswers, solution, submissions, solved: true);
        Submit(lab, "cy", new Dictionary<string, string>(), Path.Combine(Labs, "01-machine", "Exercise"), submissions, solved: false);

        Environment.SetEnvironmentVariable("WORKBENCH_HOME", Path.Combine(scratch, "instructor"));
        results = Path.Combine(scratch, "results");
        grading = WorkbenchProcess.Run(scratch, "grade-class", "01", submissions, "-j", "2", "--out", results);
    }

    // A student's progress, made by the lab engine as `lab start --id`, `lab answer` would, then handed in with the
    // real `lab submit`.
    private void Submit(LabDocument lab, string student, IReadOnlyDictionary<string, string> answers, string exercise, string submissions, bool solved)
    {
        var home = Path.Combine(scratch, "home-" + student);
        var session = new LabSession(lab, new ProgressStore(home));
        session.Identify(student);
        var work = Path.Combine(scratch, "work-" + student);
        session.Start(work);
        if (solved)
        {
            foreach (var file in Directory.EnumerateFiles(Path.Combine(Labs, "01-machine", "Solution", "work"))) File.Copy(file, Path.Combine(work, Path.GetFileName(file)), overwrite: true);
        }
        foreach (var (question, value) in answers) session.Answer(question, value);
        Environment.SetEnvironmentVariable("WORKBENCH_HOME", home);
        try
        {
            var submit = WorkbenchProcess.Run(scratch, "lab", "submit", "01", "--out", submissions, "--exercise", exercise);
            Assert.That(submit.ExitCode, Is.Zero, submit.ToString());
            Assert.That(submit.Output, Does.Contain($"by {student}"));
        }
        finally
        {
            Environment.SetEnvironmentVariable("WORKBENCH_HOME", null);
        }
    }

    [OneTimeTearDown]
    public void Clean()
    {
        Environment.SetEnvironmentVariable("WORKBENCH_HOME", null);
        if (scratch.Length > 0) Directory.Delete(scratch, recursive: true);
    }

    private JsonElement Results(string student) => JsonDocument.Parse(File.ReadAllText(Path.Combine(results, student, "results.json"))).RootElement;

    private static IEnumerable<JsonElement> Tests(JsonElement results) => results.GetProperty("tests").EnumerateArray();

    [Test]
    public void Two_Students_Get_Different_Generated_Answers()
    {
        var generated = aliceAnswers.Keys.Where(q => aliceAnswers[q] != bobAnswers[q]).ToList();
        Assert.That(generated, Is.Not.Empty, "at least one question's answer depends on the student");
    }

    [Test]
    public void The_Student_Who_Did_Everything_Gets_Every_Step_Question_And_Check()
    {
        Assert.That(grading.ExitCode, Is.Zero, grading.ToString());
        var alice = Results("alice");
        var failed = Tests(alice).Where(t => t.GetProperty("status").GetString() != "passed").Select(t => t.GetProperty("name").GetString() + ": " + t.GetProperty("output").GetString()).ToList();
        Assert.That(failed, Is.Empty);
        var names = Tests(alice).Select(t => t.GetProperty("name").GetString()!).ToList();
        Assert.That(names.Count(n => n.StartsWith("step ", StringComparison.Ordinal)), Is.EqualTo(LabCatalog.Locate(Labs).Find("01").Steps.Count));
        Assert.That(names.Count(n => n.StartsWith("question ", StringComparison.Ordinal)), Is.EqualTo(aliceAnswers.Count));
        Assert.That(names, Does.Contain("Exit_Ends_The_Program_With_Its_Code"));
        Assert.That(alice.GetProperty("score").GetDouble(), Is.EqualTo(alice.GetProperty("max_score").GetDouble()));
    }

    [Test]
    public void Copied_Answers_Are_Marked_With_The_Copiers_Own_Numbers()
    {
        var bob = Tests(Results("bob")).ToDictionary(t => t.GetProperty("name").GetString()!, t => t.GetProperty("status").GetString());
        foreach (var question in aliceAnswers.Keys)
        {
            var expected = aliceAnswers[question] == bobAnswers[question] ? "passed" : "failed";
            Assert.That(bob[$"question {question}"], Is.EqualTo(expected), question);
        }
    }

    [Test]
    public void Untouched_Work_Scores_Zero_Everywhere()
    {
        var cy = Results("cy");
        Assert.That(cy.GetProperty("score").GetDouble(), Is.Zero, cy.ToString());
    }

    [Test]
    public void The_Class_Files_Name_The_Steps_And_Questions_And_Gradescope_Output_Is_Well_Formed()
    {
        var csv = File.ReadAllLines(Path.Combine(results, "grades.csv"));
        Assert.That(csv[0], Does.Contain("step 1:").And.Contain("question frame-sp").And.Contain("Exit_Ends_The_Program_With_Its_Code"));
        Assert.That(csv, Has.Length.EqualTo(4));
        foreach (var student in new[] { "alice", "bob", "cy" })
        {
            var document = Results(student);
            var sum = 0.0;
            foreach (var test in Tests(document))
            {
                Assert.That(test.GetProperty("name").GetString(), Is.Not.Empty);
                Assert.That(test.GetProperty("status").GetString(), Is.AnyOf("passed", "failed"));
                Assert.That(test.GetProperty("visibility").GetString(), Is.AnyOf("visible", "hidden", "after_due_date", "after_published"));
                Assert.That(test.GetProperty("score").GetDouble(), Is.InRange(0, test.GetProperty("max_score").GetDouble()));
                sum += test.GetProperty("score").GetDouble();
            }
            Assert.That(document.GetProperty("score").GetDouble(), Is.EqualTo(sum).Within(1e-9), "the total is the tests' sum");
        }
    }
}
