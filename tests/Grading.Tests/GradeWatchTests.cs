using System.Diagnostics;
using System.Text;

namespace VirtualizationWorkbench.Grading.Tests;

/// <summary><c>workbench grade --watch</c>: the student saves, the grade comes back by itself.</summary>
[Category(TestCategories.EndToEnd)]
[TestFixture]
[Parallelizable(ParallelScope.Self)]
public sealed class GradeWatchTests
{
    [Test]
    public void Should_Grade_Again_When_The_Student_Saves()
    {
        var scratch = Directory.CreateTempSubdirectory("workbench-watch-e2e-").FullName;
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = scratch };
        WorkbenchProcess.UseRepositoryLabs(start);
        var mine = GradingSubmissions.Make(Path.Combine(scratch, "mine"), "Exercise");
        foreach (var a in new[] { Path.Combine(TestContext.CurrentContext.TestDirectory, "workbench.dll"), "grade", "01", "--exercise", mine, "--watch", "--poll", "--no-progress" })
        {
            start.ArgumentList.Add(a);
        }
        start.Environment["WORKBENCH_HOME"] = Path.Combine(scratch, "home");
        var output = new StringBuilder();
        using var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            Assert.That(WaitFor(output, "watching", 1), Is.True, $"first grade: {output}");
            Assert.That(output.ToString(), Does.Contain("score: 0/17"));
            // The student finishes the exercise.
            File.Copy(Path.Combine(GradingSubmissions.Lab01, "Solution", "SystemCallHost.cs"), Path.Combine(mine, "SystemCallHost.cs"), overwrite: true);
            Assert.That(WaitFor(output, "score: 17/17", 1), Is.True, $"regraded after the save: {output}");
            Assert.That(output.ToString(), Does.Contain("change seen, grading again"));
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            Directory.Delete(scratch, recursive: true);
        }
    }

    private static bool WaitFor(StringBuilder output, string text, int count)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(90))
        {
            lock (output)
            {
                var s = output.ToString();
                var n = 0;
                for (var i = s.IndexOf(text, StringComparison.Ordinal); i >= 0; i = s.IndexOf(text, i + 1, StringComparison.Ordinal)) n++;
                if (n >= count) return true;
            }
            Thread.Sleep(100);
        }
        return false;
    }
}
