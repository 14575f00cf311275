using System.Text.Json;

namespace VirtualizationWorkbench.Grading.Tests;

/// <summary><c>workbench grade</c> end to end, as a student runs it.</summary>
[Category(TestCategories.EndToEnd)]
[TestFixture]
[Parallelizable(ParallelScope.Self)]
public sealed class GradeCommandTests
{
    private string home = "";
    private string scratch = "";

    [OneTimeSetUp]
    public void MakeHome()
    {
        // One home for the fixture: the grading build is made once and cached there, as on a student's machine.
        home = Directory.CreateTempSubdirectory("workbench-grade-home-").FullName;
    }

    [OneTimeTearDown]
    public void RemoveHome()
    {
        Directory.Delete(home, recursive: true);
    }

    [SetUp]
    public void MakeScratch() => scratch = Directory.CreateTempSubdirectory("workbench-grade-test-").FullName;

    [TearDown]
    public void RemoveScratch() => Directory.Delete(scratch, recursive: true);

    [Test]
    public void Should_Print_Each_Check_With_Message_And_Hint_And_Withhold_Hidden_Ones()
    {
        var result = Grade("01", "--exercise", GradingSubmissions.Make(Path.Combine(scratch, "mine"), "Exercise"));
        Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
        Assert.That(result.Output, Does.Contain("FAIL  0/2  Exit_Ends_The_Program_With_Its_Code"));
        Assert.That(result.Output, Does.Contain("NotImplementedException"), "the failure's message");
        Assert.That(result.Output, Does.Contain("SystemCallHost.cs:line"), "the student's own line");
        Assert.That(result.Output, Does.Contain("hint: exit (r0 = 4) ends the run"));
        Assert.That(result.Output, Does.Contain("Write_Refuses_A_Buffer_That_Runs_Past_Or_Wraps (hidden)"));
        Assert.That(result.Output, Does.Not.Contain("hint: Check the end of the buffer too"), "a hidden check's hint is withheld");
        Assert.That(result.Output, Does.Contain("score: 0/17"));
    }

    [Test]
    public void Should_Score_Only_What_Works_And_Record_The_Grade_In_Progress()
    {
        // A student who has the run loop and exit right but returns the wrong pid.
        var mine = GradingSubmissions.Make(Path.Combine(scratch, "mine"), edit: GradingSubmissions.Replace("3 => (uint)process.Pid,", "3 => 0,"));
        var result = Grade("01", "--exercise", mine);
        Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
        Assert.That(result.Output, Does.Contain("FAIL  0/1  Getpid_Returns_The_Process_Id"));
        Assert.That(result.Output, Does.Contain("PASS  2/2  Exit_Ends_The_Program_With_Its_Code"));
        Assert.That(result.Output, Does.Contain("score: 16/17"));

        var progress = WorkbenchProcess.Run(scratch, Home, "progress");
        Assert.That(progress.Output, Does.Contain("Lab01.SystemCalls 16/17"), progress.ToString());
    }

    [Test]
    public void Should_Report_Compiler_Errors_With_File_And_Line_And_Score_Zero()
    {
        var mine = GradingSubmissions.Make(Path.Combine(scratch, "mine"), edit: GradingSubmissions.Broken);
        var result = Grade("01", "--exercise", mine, "--no-progress");
        Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
        Assert.That(result.Output, Does.Contain("does not compile:"));
        Assert.That(result.Output, Does.Match(@"SystemCallHost\.cs\(\d+,\d+\): error CS1002"));
        Assert.That(result.Output, Does.Contain("score: 0/17"));
    }

    [Test]
    public void Should_Write_Gradescope_Results_For_The_Autograder()
    {
        var file = Path.Combine(scratch, "results", "results.json");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        var result = Grade("01", "--exercise", Path.Combine(GradingSubmissions.Lab01, "Solution"), "--gradescope", file, "--no-progress");
        Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
        var json = JsonDocument.Parse(File.ReadAllText(file)).RootElement;
        Assert.That(json.GetProperty("score").GetDouble(), Is.EqualTo(17));
        var tests = json.GetProperty("tests").EnumerateArray().ToList();
        Assert.That(tests, Has.Count.EqualTo(12));
        Assert.That(tests.Select(t => t.GetProperty("visibility").GetString()), Does.Contain("hidden").And.Contain("visible"));
        Assert.That(tests.Sum(t => t.GetProperty("max_score").GetDouble()), Is.EqualTo(17));
    }

    [Test]
    public void Should_Refuse_Bad_Input_With_A_Clear_Error()
    {
        var noLab = Grade("99");
        Assert.That(noLab.ExitCode, Is.EqualTo(2));
        Assert.That(noLab.Errors, Does.StartWith("error: no lab '99'"));

        var noFolder = Grade("01", "--exercise", Path.Combine(scratch, "missing"));
        Assert.That(noFolder.ExitCode, Is.EqualTo(2));
        Assert.That(noFolder.Errors, Does.Contain("missing: no such folder"));

        var badTimeout = Grade("01", "--test-timeout", "-1");
        Assert.That(badTimeout.ExitCode, Is.EqualTo(2));
        Assert.That(badTimeout.Errors, Does.Contain("--test-timeout"));

        // A lab without Exercise/ and Grading/.
        var labs = Path.Combine(scratch, "labs");
        Directory.CreateDirectory(Path.Combine(labs, "01-machine"));
        File.Copy(Path.Combine(GradingSubmissions.Lab01, "lab.md"), Path.Combine(labs, "01-machine", "lab.md"));
        var noExercise = Grade("01", "--labs", labs);
        Assert.That(noExercise.ExitCode, Is.EqualTo(2));
        Assert.That(noExercise.Errors, Does.Contain("has no graded exercise"));
        Assert.That(noExercise.Output + noExercise.Errors, Does.Not.Contain("   at "), "no stack trace");
    }

    [Test]
    public void Should_Refuse_Grading_Tests_That_Do_Not_Compile_Naming_The_Line()
    {
        var labs = Path.Combine(scratch, "labs");
        var lab = Path.Combine(labs, "01-machine");
        foreach (var folder in new[] { "Exercise", "Grading" })
        {
            Directory.CreateDirectory(Path.Combine(lab, folder));
            foreach (var f in Directory.EnumerateFiles(Path.Combine(GradingSubmissions.Lab01, folder)).Where(f => !f.Contains("/bin/") && (f.EndsWith(".cs") || f.EndsWith(".csproj"))))
            {
                File.Copy(f, Path.Combine(lab, folder, Path.GetFileName(f)));
            }
        }
        File.Copy(Path.Combine(GradingSubmissions.Lab01, "lab.md"), Path.Combine(lab, "lab.md"));
        File.AppendAllText(Path.Combine(lab, "Grading", "SystemCallTests.cs"), "\nnot C# at all\n");
        var result = Grade("01", "--labs", labs);
        Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString());
        Assert.That(result.Errors, Does.Contain("the grading tests"));
        Assert.That(result.Errors, Does.Match(@"SystemCallTests\.cs\(\d+,\d+\): error CS"));
    }

    // The fixture's home goes to each command alone: fixtures run side by side and cannot share the process's environment.
    private Dictionary<string, string> Home => new() { ["WORKBENCH_HOME"] = home };

    private CommandResult Grade(params string[] arguments) => WorkbenchProcess.Run(scratch, Home, ["grade", .. arguments]);

}
