using System.Text.Json;
using System.Xml.Linq;

namespace VirtualizationWorkbench.Grading.Tests;

/// <summary>
/// <c>workbench grade-class</c> on a small class holding one real submission per misbehaviour the grader must
/// survive: each scores zero on what it broke, keeps the rest, is reported with the reason, and leaves the
/// grader, the other submissions and the host unharmed.
/// </summary>
[Category(TestCategories.EndToEnd)]
[TestFixture]
[NonParallelizable]
public sealed class GradeClassTests
{
    private string scratch = "";
    private string victim = "";
    private string intruder = "";
    private CommandResult result = null!;
    private string output = "";

    [OneTimeSetUp]
    public void GradeTheClass()
    {
        scratch = Directory.CreateTempSubdirectory("workbench-grade-class-").FullName;
        Environment.SetEnvironmentVariable("WORKBENCH_HOME", Path.Combine(scratch, "home"));
        // The files the vandal goes after lie outside every submission's folder.
        var host = Directory.CreateTempSubdirectory("workbench-host-files-").FullName;
        victim = Path.Combine(host, "victim.txt");
        intruder = Path.Combine(host, "intruder.txt");
        File.WriteAllText(victim, "precious");

        var submissions = Path.Combine(scratch, "submissions");
        GradingSubmissions.Make(Path.Combine(submissions, "ada-solution"));
        GradingSubmissions.Make(Path.Combine(submissions, "bob-untouched"), "Exercise");
        GradingSubmissions.Make(Path.Combine(submissions, "cy-broken"), edit: GradingSubmissions.Broken);
        GradingSubmissions.Make(Path.Combine(submissions, "dee-loop"), edit: GradingSubmissions.Loop);
        GradingSubmissions.Make(Path.Combine(submissions, "eve-exit"), edit: GradingSubmissions.Exit);
        GradingSubmissions.Make(Path.Combine(submissions, "fay-allocate"), edit: GradingSubmissions.Allocate);
        GradingSubmissions.Make(Path.Combine(submissions, "gus-flood"), edit: GradingSubmissions.Flood);
        GradingSubmissions.Make(Path.Combine(submissions, "hal-static"), edit: GradingSubmissions.StaticConstructor);
        GradingSubmissions.Make(Path.Combine(submissions, "ivy-vandal"), edit: GradingSubmissions.Vandal(victim, intruder));

        output = Path.Combine(scratch, "out");
        result = WorkbenchProcess.Run(scratch, "grade-class", "01", submissions, "-j", "2", "--out", output, "--test-timeout", "3", "--memory", "256");
    }

    [OneTimeTearDown]
    public void Clean()
    {
        Environment.SetEnvironmentVariable("WORKBENCH_HOME", null);
        Directory.Delete(scratch, recursive: true);
        Directory.Delete(Path.GetDirectoryName(victim)!, recursive: true);
    }

    private Dictionary<string, string[]> Csv()
    {
        var lines = File.ReadAllLines(Path.Combine(output, "grades.csv"));
        return lines.Skip(1).Select(l => l.Split(',')).ToDictionary(f => f[0], f => f);
    }

    private JsonElement Gradescope(string student) => JsonDocument.Parse(File.ReadAllText(Path.Combine(output, student, "results.json"))).RootElement;

    private JsonElement Check(string student, string name) =>
        Gradescope(student).GetProperty("tests").EnumerateArray().Single(t => t.GetProperty("name").GetString() == name);

    private double Score(string student) => Gradescope(student).GetProperty("score").GetDouble();

    private string Report(string student) => File.ReadAllText(Path.Combine(output, student, "report.txt"));

    [Test]
    public void The_Grader_Finishes_And_Writes_Every_Report()
    {
        Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
        foreach (var file in new[] { "summary.txt", "grades.csv", "junit.xml" }) Assert.That(Path.Combine(output, file), Does.Exist);
        Assert.That(Directory.EnumerateDirectories(output).Count(), Is.EqualTo(9));
        Assert.That(Csv().Keys, Has.Count.EqualTo(9));
    }

    [Test]
    public void The_Solution_Scores_Full_Marks_And_The_Untouched_Exercise_Zero_Beside_Them()
    {
        Assert.That(Score("ada-solution"), Is.EqualTo(17), "the misbehaving classmates did not disturb it");
        Assert.That(Score("bob-untouched"), Is.Zero);
    }

    [Test]
    public void A_Submission_That_Does_Not_Compile_Scores_Zero_With_The_Compiler_Error()
    {
        Assert.That(Score("cy-broken"), Is.Zero);
        Assert.That(Gradescope("cy-broken").GetProperty("output").GetString(), Does.Match(@"SystemCallHost\.cs\(\d+,\d+\): error CS1002"));
        Assert.That(Csv()["cy-broken"][4], Is.EqualTo("no"), "compiled column");
    }

    [Test]
    public void An_Endless_Loop_Costs_Only_The_Test_That_Loops()
    {
        Assert.That(Score("dee-loop"), Is.EqualTo(16), Report("dee-loop"));
        var check = Check("dee-loop", "Getpid_Returns_The_Process_Id");
        Assert.That(check.GetProperty("score").GetDouble(), Is.Zero);
        Assert.That(check.GetProperty("output").GetString(), Does.Contain("did not finish within 3 s"));
        Assert.That(File.ReadAllText(Path.Combine(output, "dee-loop", "report.txt")), Does.Contain("TIME"));
    }

    [Test]
    public void Environment_Exit_Costs_Only_The_Test_That_Called_It()
    {
        // Two checks call yield: the one about yield and the one whose program yields in a loop.
        Assert.That(Score("eve-exit"), Is.EqualTo(15), Report("eve-exit"));
        foreach (var name in new[] { "Yield_Returns_Zero_And_Continues", "A_Program_That_Never_Exits_Runs_Out_Of_Budget" })
        {
            var check = Check("eve-exit", name);
            Assert.That(check.GetProperty("score").GetDouble(), Is.Zero);
            Assert.That(check.GetProperty("output").GetString(), Does.Contain("the test process ended (exit code 0) while this test ran"));
        }
        Assert.That(Report("eve-exit"), Does.Contain("CRASH"));
    }

    [Test]
    public void Allocating_Without_End_Hits_The_Memory_Limit_In_Its_Own_Test()
    {
        Assert.That(Score("fay-allocate"), Is.EqualTo(16), Report("fay-allocate"));
        var check = Check("fay-allocate", "Unknown_Call_Returns_Minus_One_And_Continues");
        Assert.That(check.GetProperty("score").GetDouble(), Is.Zero);
        Assert.That(check.GetProperty("output").GetString(), Does.Contain("OutOfMemory").Or.Contain("the test process ended"));
    }

    [Test]
    public void Printing_Megabytes_Is_Cut_And_Reported()
    {
        Assert.That(Score("gus-flood"), Is.EqualTo(17), "printing is not wrong in itself");
        var report = File.ReadAllText(Path.Combine(output, "gus-flood", "report.txt"));
        Assert.That(report, Does.Match(@"printed \d+ bytes on standard output; only the first 64 KiB were kept"));
        Assert.That(new FileInfo(Path.Combine(output, "gus-flood", "results.json")).Length, Is.LessThan(200_000), "the megabytes did not reach the results");
    }

    [Test]
    public void A_Throwing_Static_Constructor_Fails_The_Checks_That_Use_It()
    {
        var write = Check("hal-static", "Write_Prints_The_Buffer_And_Returns_Its_Length");
        Assert.That(write.GetProperty("score").GetDouble(), Is.Zero);
        Assert.That(write.GetProperty("output").GetString(), Does.Contain("TypeInitializationException"));
        Assert.That(Check("hal-static", "Exit_Ends_The_Program_With_Its_Code").GetProperty("score").GetDouble(), Is.EqualTo(2), "checks that never write still pass");
        // Write refuses a buffer below user memory before it reads the limit, so that check still passes; the checks
        // whose programs print before they die (a privileged instruction, a divide error) fail with write.
        Assert.That(Score("hal-static"), Is.EqualTo(8), Report("hal-static"));
    }

    [Test]
    public void Deleting_Or_Writing_Files_Outside_Its_Folder_Fails_And_Leaves_Them_Intact()
    {
        Assert.That(File.ReadAllText(victim), Is.EqualTo("precious"), "the file outside the submission was not deleted");
        Assert.That(intruder, Does.Not.Exist, "no file was written outside the submission");
        var exit = Check("ivy-vandal", "Exit_Ends_The_Program_With_Its_Code");
        Assert.That(exit.GetProperty("score").GetDouble(), Is.Zero);
        // The host's files are either read-only or, under the host's /tmp that the sandbox's private /tmp hides, not there at all.
        Assert.That(exit.GetProperty("output").GetString(), Does.Contain("Read-only file system").Or.Contain("Could not find a part of the path"), "bubblewrap must be installed (apt-get install bubblewrap): without it nothing stops the deletion");
    }

    [Test]
    public void The_Class_Summary_Has_A_Histogram_And_The_Exports_Agree()
    {
        var summary = File.ReadAllText(Path.Combine(output, "summary.txt"));
        Assert.That(summary, Does.Contain("lab 01-machine: 9 submissions"));
        Assert.That(summary, Does.Contain("histogram"));
        // Full marks: ada and gus; zero: bob and cy.
        Assert.That(summary, Does.Match(@"100%\s+## 2"));
        Assert.That(summary, Does.Match(@"0- 9%\s+## 2"));

        var junit = XDocument.Load(Path.Combine(output, "junit.xml")).Root!;
        Assert.That(junit.Elements("testsuite").Count(), Is.EqualTo(9));
        var ada = junit.Elements("testsuite").Single(s => (string?)s.Attribute("name") == "ada-solution");
        Assert.That((int)ada.Attribute("failures")!, Is.Zero);
        var bob = junit.Elements("testsuite").Single(s => (string?)s.Attribute("name") == "bob-untouched");
        Assert.That((int)bob.Attribute("failures")!, Is.EqualTo(12));
        var dee = junit.Elements("testsuite").Single(s => (string?)s.Attribute("name") == "dee-loop");
        Assert.That(dee.Descendants("error").Select(e => (string?)e.Attribute("type")), Is.EqualTo(new[] { "TimedOut" }));

        var csv = Csv();
        Assert.That(csv["ada-solution"][1], Is.EqualTo("17"));
        Assert.That(csv["dee-loop"][1], Is.EqualTo("16"));
    }
}
