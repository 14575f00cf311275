using System.Diagnostics;
using System.Text.Json;

namespace VirtualizationWorkbench.Workbench.Tests;

/// <summary>The lab commands as a student and an instructor use them, on the real labs of the repository.</summary>
[Category(TestCategories.EndToEnd)]
public class LabCommandTests
{
    private string home = "";

    [SetUp]
    public void IsolateProgress()
    {
        home = Directory.CreateTempSubdirectory("wb-home-").FullName;
        Environment.SetEnvironmentVariable("WORKBENCH_HOME", home);
    }

    [TearDown]
    public void Clean()
    {
        Environment.SetEnvironmentVariable("WORKBENCH_HOME", null);
        Directory.Delete(home, recursive: true);
    }

    private static string Labs => Path.Combine(WorkbenchProcess.RepositoryRoot, "labs");

    private CommandResult Workbench(params string[] arguments) => WorkbenchProcess.Run(home, [.. arguments, "--labs", Labs]);

    [Test]
    public void A_Student_Works_Through_A_Step_And_Progress_Remembers_It()
    {
        Assert.That(Workbench("lab", "start", "01", "--dir", Path.Combine(home, "work")).Output, Does.Contain("ring3.s"));
        var show = Workbench("lab", "show", "01", "--step", "1");
        Assert.That(show.Output, Does.Contain("Step 1: Run a program").And.Contain("workbench lab answer 01-machine first-instructions VALUE"));
        Assert.That(show.Output, Does.Not.Contain("solution("), "scripts hold the answers and are not shown");

        Assert.That(Workbench("lab", "answer", "01", "first-instructions", "4").ExitCode, Is.EqualTo(0));
        var wrong = Workbench("lab", "check", "01", "--step", "1");
        Assert.That((wrong.ExitCode, wrong.Output.Contains("'4' is not right")), Is.EqualTo((1, true)), wrong.ToString());

        Workbench("lab", "answer", "01", "first-instructions", "3");
        var right = Workbench("lab", "check", "01", "--step", "1");
        Assert.That(right.ExitCode, Is.EqualTo(0), right.ToString());

        var progress = Workbench("progress");
        Assert.That(progress.Output, Does.Contain("01-machine").And.Contain("1/6 steps").And.Contain("continue: workbench lab show 01-machine --step 2"));
        Assert.That(Workbench("lab", "list").Output, Does.Contain("1/6 steps"));
    }

    [Test]
    public void The_Students_Own_Program_Is_Checked()
    {
        InstructorFiles.Require();
        var work = Path.Combine(home, "work");
        Workbench("lab", "start", "01", "--dir", work);
        Assert.That(Workbench("lab", "check", "01", "--step", "6").ExitCode, Is.EqualTo(1), "the starter does not do the job");
        File.Copy(Path.Combine(Labs, "01-machine", "Solution", "work", "ring3.s"), Path.Combine(work, "ring3.s"), overwrite: true);
        var result = Workbench("lab", "check", "01", "--step", "6");
        Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
    }

    [Test]
    public void Starting_Again_Keeps_The_Students_Files_And_A_Foreign_Folder_Is_Refused()
    {
        var work = Path.Combine(home, "work");
        Workbench("lab", "start", "01", "--dir", work);
        File.WriteAllText(Path.Combine(work, "ring3.s"), "; mine\n");
        var again = Workbench("lab", "start", "01", "--dir", work);
        Assert.That((again.ExitCode, again.Output.Contains("ring3.s (kept: it exists)")), Is.EqualTo((0, true)), again.ToString());
        Assert.That(File.ReadAllText(Path.Combine(work, "ring3.s")), Is.EqualTo("; mine\n"));

        var foreign = Directory.CreateDirectory(Path.Combine(home, "photos")).FullName;
        File.WriteAllText(Path.Combine(foreign, "cat.jpg"), "not a lab file");
        var refused = Workbench("lab", "start", "01", "--dir", foreign);
        Assert.That(refused.ExitCode, Is.EqualTo(2), refused.ToString());
        Assert.That(refused.Errors, Does.Contain("is not empty and holds none of lab 01-machine's files").And.Contain("--dir"));
        Assert.That(Directory.GetFiles(foreign), Has.Length.EqualTo(1), "nothing was written");
    }

    [Test]
    public void Hints_Come_One_At_A_Time()
    {
        var first = Workbench("lab", "hint", "01", "6");
        Assert.That(first.Output, Does.Contain("hint 1/2").And.Not.Contain("hint 2/2"));
        Assert.That(Workbench("lab", "hint", "01", "6").Output, Does.Contain("hint 2/2"));
    }

    [Test]
    public void Bad_Lab_Names_And_Answers_Get_Clear_Errors()
    {
        var cases = new (string[] Arguments, string Expected)[]
        {
            (["lab", "show", "42"], "no lab '42'; the labs are 01-machine"),
            (["lab", "answer", "01", "nope", "1"], "has no question 'nope'"),
            (["lab", "check", "01", "--step", "9"], "has steps 1 to 6, not 9"),
            (["lab", "check", "01", "--answers", "/nonexistent/answers.json"], "answers.json"),
        };
        foreach (var (arguments, expected) in cases)
        {
            var result = Workbench(arguments);
            Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString());
            Assert.That(result.Errors, Does.Contain(expected));
            Assert.That(result.Errors, Does.Not.Contain("   at "));
        }
    }

    [Test]
    public void A_Corrupt_Progress_File_Is_Kept_Aside_With_A_Warning()
    {
        File.WriteAllText(Path.Combine(home, "progress.json"), "{ this is not json");
        var result = Workbench("progress");
        Assert.That(result.ExitCode, Is.EqualTo(0));
        Assert.That(result.Errors, Does.Contain("could not be read").And.Contain("kept as"));
        var aside = Directory.GetFiles(home, "progress.json.corrupt-*");
        Assert.That(aside, Has.Length.EqualTo(1));
        Assert.That(File.ReadAllText(aside[0]), Is.EqualTo("{ this is not json"));
    }

    [Test]
    public void Progress_Survives_Being_Killed_In_The_Middle_Of_A_Write()
    {
        Assert.That(Workbench("lab", "answer", "01", "first-instructions", "0").ExitCode, Is.EqualTo(0));
        // The writer pauses with its temporary file written and not yet renamed (a fault-injection setting of
        // ProgressStore), and is killed exactly there: the kill always lands in the middle of the write.
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = home };
        WorkbenchProcess.UseRepositoryLabs(start);
        foreach (var a in new[] { Path.Combine(TestContext.CurrentContext.TestDirectory, "workbench.dll"), "lab", "answer", "01", "first-instructions", "7", "--labs", Labs })
        {
            start.ArgumentList.Add(a);
        }
        start.Environment["WORKBENCH_TEST_PAUSE_PROGRESS_WRITE"] = "60000";
        using (var process = Process.Start(start)!)
        {
            var waited = Stopwatch.StartNew();
            while (!Directory.EnumerateFiles(home, ".~progress.json.*.tmp").Any())
            {
                Assert.That(process.HasExited, Is.False, "the writer ended before writing");
                Assert.That(waited.Elapsed, Is.LessThan(TimeSpan.FromMinutes(2)), "the writer never wrote (a hang catcher)");
                Thread.Sleep(10);
            }
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }
        Assert.That(Directory.EnumerateFiles(home, ".~progress.json.*.tmp").Count(), Is.EqualTo(1), "the killed writer's temporary file");
        using var progress = JsonDocument.Parse(File.ReadAllText(Path.Combine(home, "progress.json")));
        Assert.That(progress.RootElement.GetProperty("labs").GetProperty("01-machine").GetProperty("answers").GetProperty("first-instructions").GetString(), Is.EqualTo("0"), "the old progress, whole");

        // The next write removes the leftover; nothing is torn or set aside.
        var result = Workbench("lab", "answer", "01", "first-instructions", "8");
        Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
        Assert.That(result.Errors, Does.Not.Contain("could not be read"), "the progress file must always be whole");
        Assert.That(Directory.EnumerateFiles(home, "*progress.json*").Select(Path.GetFileName), Is.EquivalentTo(new[] { "progress.json", ".progress.json.lock" }), "no torn, left-over or set-aside progress file");
    }

    [Test]
    public void Reset_Keeps_The_Old_Progress_As_A_Backup()
    {
        Workbench("lab", "answer", "01", "first-instructions", "3");
        var result = Workbench("progress", "--reset");
        Assert.That(result.Output, Does.Contain("progress.json.bak"));
        Assert.That(File.Exists(Path.Combine(home, "progress.json")), Is.False);
        Assert.That(File.ReadAllText(Path.Combine(home, "progress.json.bak")), Does.Contain("first-instructions"));
    }

    [Test]
    public void Nine_Answers_Given_At_Once_Are_All_Kept()
    {
        var questions = VirtualizationWorkbench.Labs.LabCatalog.Locate(Labs).Labs
            .SelectMany(lab => lab.Steps.SelectMany(step => step.Questions).Select(q => (Lab: lab.Id, q.Id))).Take(9).ToList();
        Assert.That(questions, Has.Count.EqualTo(9));
        var runs = questions.Select((q, i) => Task.Run(() => Workbench("lab", "answer", q.Lab, q.Id, $"{i + 100}"))).ToArray();
        Task.WaitAll(runs);
        Assert.That(runs.Select(r => r.Result.ExitCode), Has.All.EqualTo(0), string.Join("\n", runs.Select(r => r.Result.ToString())));
        using var progress = JsonDocument.Parse(File.ReadAllText(Path.Combine(home, "progress.json")));
        var kept = questions.Count(q => progress.RootElement.GetProperty("labs").GetProperty(q.Lab).GetProperty("answers").TryGetProperty(q.Id, out _));
        Assert.That(kept, Is.EqualTo(9), "answers lost to a concurrent write");
    }

    [Test]
    public void A_Progress_File_With_Nulls_Or_Another_Folders_Lab_Breaks_No_Command()
    {
        File.WriteAllText(Path.Combine(home, "progress.json"),
            """{"seed": 77, "lastLab": "42-from-another-course", "labs": {"42-from-another-course": null, "01-machine": {"answers": null, "stepsDone": null}}}""");
        foreach (var command in new[] { new[] { "lab", "list" }, ["progress"], ["lab", "answer", "01", "first-instructions", "999999"], ["lab", "show", "01", "--step", "1"] })
        {
            var result = Workbench(command);
            Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
            Assert.That(result.Errors, Does.Not.Contain("   at "), "a stack trace");
        }
        var check = Workbench("lab", "check", "01", "--step", "1");
        Assert.That(check.ExitCode, Is.EqualTo(1), check.ToString());
    }

    [TestCase("show", "01", "--step", "9")]
    [TestCase("hint", "01", "0")]
    [TestCase("check", "01", "--step", "-1")]
    public void A_Step_Out_Of_Range_Is_A_Clear_Error(params string[] arguments)
    {
        var result = Workbench(["lab", .. arguments]);
        Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString());
        Assert.That(result.Errors, Does.Match(@"^error: lab 01-machine has steps 1 to \d+, not -?\d+"));
    }
}
