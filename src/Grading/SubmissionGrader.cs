using System.Diagnostics;

namespace VirtualizationWorkbench.Grading;

/// <summary>
/// Grades one submission: copies it to a temporary folder, and runs the worker (<see cref="GradingWorker"/>) on it
/// in a contained process. When the process hangs in a test (killed at the time limit) or ends during one
/// (<c>Environment.Exit</c>, a crash, the memory limit), that test scores zero with the reason, and a fresh
/// process runs the tests that are left: a submission loses only what it broke.
/// </summary>
public sealed class SubmissionGrader(GradingBuild build, Containment containment)
{
    /// <summary>The largest submission copied (bytes): a folder of source files is far smaller.</summary>
    public const long MaxSubmissionBytes = 20 * 1024 * 1024;

    /// <summary>The most the results file may grow to: a line per test is far smaller, so more is the submission
    /// writing into it: the grader kills the worker and does not read it.</summary>
    public const long MaxResultsBytes = 16 * 1024 * 1024;

    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(25);

    /// <summary>The build the submissions are graded against.</summary>
    public GradingBuild Build => build;

    /// <summary>The limits in force.</summary>
    public Containment Containment => containment;

    /// <summary>The judge of the verdicts, when grading against the reference solution; null when the grading tests'
    /// own assertions decide (a student grading their own work: nothing to protect from themselves).</summary>
    public ReferenceJudge? Judge { get; init; }

    /// <summary>The grading run's seed for <see cref="Inputs"/>: the judge's when there is one, else fresh for
    /// each grader unless set.</summary>
    public ulong Seed
    {
        get => Judge?.Seed ?? seed;
        init => seed = value;
    }

    private readonly ulong seed = ReferenceJudge.NewSeed();

    /// <summary>Grades the exercise in <paramref name="folder"/>, reported under <paramref name="name"/>.</summary>
    public GradeReport Grade(string folder, string name)
    {
        var clock = Stopwatch.StartNew();
        var deadline = DateTime.UtcNow + containment.SubmissionTimeLimit;
        // The grader's own folder: the submission's copy and the results files. The worker never writes here except
        // into a results file bound on its own (see Containment.Command), so no path the grader opens here can have
        // been replaced by a link or a FIFO.
        var work = Directory.CreateTempSubdirectory("workbench-grade-").FullName;
        var results = new Dictionary<string, CheckResult>(StringComparer.Ordinal);
        var problems = new List<string>();
        IReadOnlyList<string> buildErrors = [];
        try
        {
            var copy = Path.Combine(work, "submission");
            if (CopySubmission(folder, copy, problems) is { } tooBig)
            {
                problems.Add(tooBig);
                return Report(name, results, problems, ["the submission was not compiled: " + tooBig], clock);
            }
            for (var round = 0; ; round++)
            {
                var pending = build.Checks.Where(c => !results.ContainsKey(c.FullName)).ToList();
                if (pending.Count == 0) break;
                if (DateTime.UtcNow >= deadline)
                {
                    problems.Add($"the submission's time ({containment.SubmissionTimeLimit.TotalSeconds:0} s) ran out with {pending.Count} tests not run");
                    break;
                }
                var before = results.Count;
                var run = RunWorker(work, copy, pending, Path.Combine(work, $"results-{round}-{Guid.NewGuid():N}.jsonl"), deadline, results, problems);
                if (run.BuildErrors is { } errors)
                {
                    buildErrors = errors;
                    break;
                }
                if (results.Count == before)
                {
                    // No test finished or broke: running again would do the same.
                    if (!run.Finished) problems.Add($"the test process ended before running any test (exit code {run.ExitCode}){Tail(run.Errors)}");
                    break;
                }
            }
            return Report(name, results, problems, buildErrors, clock);
        }
        finally
        {
            TryDelete(work);
        }
    }

    private GradeReport Report(string name, Dictionary<string, CheckResult> results, List<string> problems, IReadOnlyList<string> buildErrors, Stopwatch clock)
    {
        var notRun = buildErrors.Count > 0 ? "the submission does not compile" : "not run (see the problems above)";
        var checks = build.Checks
            .Select(c => results.TryGetValue(c.FullName, out var r) ? (Judge is null ? r : Judge.Judge(r)) : new CheckResult(c, CheckStatus.NotRun, notRun, ""))
            .ToList();
        var verdict = Judge is null
            ? $"the grading tests' own assertions (seed {Seed})"
            : $"judged against the reference solution's observations (seed {Seed})";
        return new GradeReport(name, checks, buildErrors, problems, containment.Describe(), clock.Elapsed) { Verdict = verdict };
    }

    private sealed record WorkerRun(bool Finished, int ExitCode, IReadOnlyList<string>? BuildErrors, string Errors);

    private WorkerRun RunWorker(string work, string submission, List<GradingCheck> pending, string resultsFile, DateTime deadline, Dictionary<string, CheckResult> results, List<string> problems)
    {
        // CreateNew: a fresh file, never one that was there before.
        using (new FileStream(resultsFile, FileMode.CreateNew, FileAccess.Write))
        {
        }
        var arguments = new List<string>
        {
            "grade-worker", "--tests", build.TestsAssembly, "--submission", submission, "--assembly", build.Exercise.AssemblyName,
            "--output", Path.Combine(containment.WritableFolder(work), "out"), "--results", resultsFile,
            "--seed", Seed.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        foreach (var check in pending) arguments.AddRange(["--test", check.FullName]);
        var byName = build.Checks.ToDictionary(c => c.FullName, StringComparer.Ordinal);

        // Disposed last (declared first): the group goes once the worker's processes are gone.
        using var group = containment.ProcessGroup();
        using var process = Process.Start(containment.Command(work, submission, resultsFile, [build.Folder], arguments, group))
            ?? throw new InvalidOperationException("could not start the grading worker");
        process.StandardInput.Close();
        var stdout = CappedOutput.Drain(process.StandardOutput.BaseStream, containment.OutputCap);
        var stderr = CappedOutput.Drain(process.StandardError.BaseStream, containment.OutputCap);

        using var reader = new GrowingLines(resultsFile);
        string? running = null;
        var runningSince = DateTime.UtcNow;
        var done = false;
        IReadOnlyList<string>? buildErrors = null;
        string? killedFor = null;

        void ReadEvents()
        {
            if (reader.Length > MaxResultsBytes) return;
            foreach (var line in reader.ReadCompleted())
            {
                if (WorkerEvent.Parse(line) is not { } e) continue;
                switch (e.Event)
                {
                    case "build-failed":
                        buildErrors = e.Errors ?? ["the submission does not compile"];
                        break;
                    case "start" when e.Test is not null:
                        running = e.Test;
                        runningSince = DateTime.UtcNow;
                        break;
                    case "finish" when e.Test is not null && byName.TryGetValue(e.Test, out var check) && !results.ContainsKey(e.Test):
                        results[e.Test] = new CheckResult(check, e.Passed ? CheckStatus.Passed : CheckStatus.Failed, e.Message ?? "", e.Output ?? "") { Observations = e.Observations ?? [] };
                        running = null;
                        break;
                    case "done":
                        done = true;
                        break;
                }
            }
        }

        while (!process.WaitForExit(Poll))
        {
            ReadEvents();
            var now = DateTime.UtcNow;
            if (reader.Length > MaxResultsBytes)
            {
                killedFor = $"wrote more than {MaxResultsBytes / (1024 * 1024)} MiB of results (not the worker's doing); its process was killed";
            }
            else if (running is not null && now - runningSince > containment.TestTimeLimit)
            {
                killedFor = $"did not finish within {containment.TestTimeLimit.TotalSeconds:0} s (an endless loop?); its process was killed";
            }
            else if (now > deadline)
            {
                killedFor = $"was running when the submission's time ({containment.SubmissionTimeLimit.TotalSeconds:0} s) ran out; its process was killed";
            }
            if (killedFor is not null)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit();
                break;
            }
        }
        process.WaitForExit();
        Task.WaitAll([stdout.Drained, stderr.Drained], TimeSpan.FromSeconds(5));
        ReadEvents();

        var exitCode = killedFor is null ? process.ExitCode : -1;
        if (running is not null && byName.TryGetValue(running, out var broken) && !results.ContainsKey(running))
        {
            var (status, reason) = killedFor is not null
                ? (CheckStatus.TimedOut, killedFor)
                : (CheckStatus.Crashed, $"the test process ended (exit code {exitCode}) while this test ran: Environment.Exit, a crash, or the memory limit{Tail(stderr.ToString())}");
            results[running] = new CheckResult(broken, status, reason, "");
            problems.Add($"{broken.Name}: {reason.Split('\n')[0]}");
        }
        else if (killedFor is not null && buildErrors is null)
        {
            problems.Add($"compiling {killedFor}");
        }
        foreach (var (what, output) in new[] { ("standard output", stdout), ("standard error", stderr) })
        {
            if (output.Total > containment.OutputCap)
            {
                problems.Add($"the submission printed {output.Total} bytes on {what}; only the first {containment.OutputCap / 1024} KiB were kept");
            }
        }
        return new WorkerRun(done, exitCode, buildErrors, stderr.ToString());
    }

    private static string Tail(string errors)
    {
        var text = errors.Trim();
        if (text.Length == 0) return "";
        return "; it printed: " + (text.Length > 500 ? text[..500] + " …" : text);
    }

    // Copies the files of a submission; returns why not, if it is too large. Each link left out is a problem in the
    // report, so a student whose file is a link learns why it was not graded.
    private static string? CopySubmission(string from, string to, List<string> problems)
    {
        if (!Directory.Exists(from)) throw new GradingError($"{from}: no such folder");
        var links = new List<string>();
        var tooBig = PlainFiles.Copy(from, to, maxTotalBytes: MaxSubmissionBytes, links: links);
        problems.AddRange(links.Select(l => $"{l}: a symbolic link, not followed (only plain files are graded)"));
        return tooBig;
    }

    private static void TryDelete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // A temporary folder left behind is harmless; the grade is what matters.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
