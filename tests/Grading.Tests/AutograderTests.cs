using System.Diagnostics;
using System.Text.Json;

namespace VirtualizationWorkbench.Grading.Tests;

/// <summary>
/// The Gradescope autograder as Gradescope runs it: <c>kit autograder</c> writes the scripts and the instructor's
/// lab beside them, and <c>run_autograder</c> (with <c>workbench</c> on the PATH, as <c>setup.sh</c> installs it)
/// grades a submission judged against the reference solution into <c>results.json</c>.
/// </summary>
[Category(TestCategories.EndToEnd)]
[TestFixture]
[Parallelizable(ParallelScope.Self)]
public sealed class AutograderTests
{
    [Test]
    public void The_Autograder_Judges_A_Submission_Against_The_Reference_It_Carries()
    {
        if (!OperatingSystem.IsLinux())
        {
            Assert.Ignore("the autograder's scripts are for Gradescope's Linux image");
            return;
        }
        var scratch = Directory.CreateTempSubdirectory("workbench-autograder-").FullName;
        try
        {
            var autograder = Path.Combine(scratch, "autograder");
            var made = WorkbenchProcess.Run(scratch, new Dictionary<string, string> { ["WORKBENCH_HOME"] = Path.Combine(scratch, "home") }, "kit", "autograder", "01", autograder);
            Assert.That(made.ExitCode, Is.Zero, made.ToString());
            Assert.That(Path.Combine(autograder, "labs", "01-machine", "Solution"), Does.Exist, "the reference travels with the autograder");
            Assert.That(Path.Combine(autograder, "labs", "01-machine", "Grading", "Hidden"), Does.Exist, "and the hidden checks");

            // `workbench` on the PATH, as the tool install of setup.sh puts it: the application host, not
            // `dotnet workbench.dll` (the grader must find the runtime's dotnet host by itself).
            var bin = Directory.CreateDirectory(Path.Combine(scratch, "bin")).FullName;
            var shim = Path.Combine(bin, "workbench");
            File.WriteAllText(shim, $"#!/bin/sh\nexec \"{Path.Combine(TestContext.CurrentContext.TestDirectory, "workbench")}\" \"$@\"\n");
            File.SetUnixFileMode(shim, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            var submission = GradingSubmissions.Make(Path.Combine(scratch, "submission"));
            var results = Path.Combine(scratch, "results");

            var start = new ProcessStartInfo(Path.Combine(autograder, "run_autograder")) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = scratch };
            start.Environment["PATH"] = bin + ":" + Environment.GetEnvironmentVariable("PATH");
            start.Environment["SUBMISSION_DIR"] = submission;
            start.Environment["RESULTS_DIR"] = results;
            start.Environment["WORKBENCH_HOME"] = Path.Combine(scratch, "home");
            // Only the autograder's own labs: not the repository's.
            start.Environment.Remove("WORKBENCH_LABS");
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var errors = process.StandardError.ReadToEndAsync();
            Assert.That(process.WaitForExit(TimeSpan.FromMinutes(10)), Is.True, "run_autograder did not finish (hang catcher)");
            var text = $"{output.Result}\n{errors.Result}";
            Assert.That(text, Does.Contain("judged against the reference solution"), text);
            using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(results, "results.json")));
            Assert.That(document.RootElement.GetProperty("score").GetDouble(), Is.EqualTo(17), text);
            Assert.That(document.RootElement.GetProperty("max_score").GetDouble(), Is.EqualTo(17), "hidden checks included");
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }
}
