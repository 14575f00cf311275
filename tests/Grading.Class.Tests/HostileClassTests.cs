using System.Diagnostics;
using System.Net.Sockets;

namespace VirtualizationWorkbench.Grading.Tests;

/// <summary>
/// <c>workbench grade-class</c> on submissions that go after the grader and the host rather than their own score:
/// links and FIFOs planted where results files were, links in the submission itself, a host Unix socket, and a
/// submission that never ends and leaves a process behind. The host's files are untouched, grading finishes, every
/// report is written as soon as its student is graded, and no process is left.
/// </summary>
[Category(TestCategories.EndToEnd)]
[TestFixture]
[NonParallelizable]
public sealed class HostileClassTests
{
    // A number no other process on the machine sleeps for, to find the one the stuck submission left.
    private const string Marker = "987.654";

    // The fork bomb's processes sleep this long (seconds): a number to find them by, too.
    private const string ForkMarker = "12.3456";

    private const int Forks = 1000;

    private string scratch = "";
    private string host = "";
    private string victim = "";
    private string socketPath = "";
    private Socket listener = null!;
    private string output = "";
    private CommandResult result = null!;
    private bool solutionReportBeforeTheEnd;

    [OneTimeSetUp]
    public void GradeTheClass()
    {
        if (!new VirtualizationWorkbench.Grading.Containment().Isolated && Environment.GetEnvironmentVariable("CI") is null)
        {
            Assert.Ignore("needs bubblewrap (apt-get install bubblewrap); CI requires it");
        }
        scratch = Directory.CreateTempSubdirectory("workbench-hostile-").FullName;
        Environment.SetEnvironmentVariable("WORKBENCH_HOME", Path.Combine(scratch, "home"));
        host = Directory.CreateTempSubdirectory("workbench-host-files-").FullName;
        victim = Path.Combine(host, "victim.txt");
        File.WriteAllText(victim, "precious");
        // A host service on a Unix socket under /tmp, as an ssh-agent or a docker.sock would be.
        socketPath = Path.Combine(host, "agent.sock");
        listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(socketPath));
        listener.Listen(8);
        var evil = Path.Combine(host, "evil");
        Directory.CreateDirectory(evil);
        File.WriteAllText(Path.Combine(evil, "Evil.cs"), "this is not C#, and it is the host's file\n");

        var submissions = Path.Combine(scratch, "submissions");
        GradingSubmissions.Make(Path.Combine(submissions, "ada-solution"));
        GradingSubmissions.Make(Path.Combine(submissions, "lee-link"), edit: Plant($"File.CreateSymbolicLink(path, @\"{victim}\")"));
        GradingSubmissions.Make(Path.Combine(submissions, "max-fifo"), edit: Plant("System.Diagnostics.Process.Start(\"mkfifo\", path)!.WaitForExit()"));
        var links = GradingSubmissions.Make(Path.Combine(submissions, "nia-links"));
        Directory.CreateSymbolicLink(Path.Combine(links, "loop"), ".");
        Directory.CreateSymbolicLink(Path.Combine(links, "host"), evil);
        GradingSubmissions.Make(Path.Combine(submissions, "ole-socket"), edit: GradingSubmissions.Replace("exitCode = (int)code;",
            $"try {{ using var s = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Unspecified); s.Connect(new System.Net.Sockets.UnixDomainSocketEndPoint(@\"{socketPath}\")); s.Send(new byte[] {{ 1 }}); }} catch (Exception) {{ }} exitCode = (int)code;"));
        // A bounded fork bomb: far more processes than the limit, each short-lived, counting what it got.
        GradingSubmissions.Make(Path.Combine(submissions, "pia-fork"), edit: GradingSubmissions.Replace("exitCode = (int)code;",
            $"var forked = 0; try {{ for (; forked < {Forks}; forked++) System.Diagnostics.Process.Start(\"sleep\", \"{ForkMarker}\"); }} catch (Exception) {{ }} Console.WriteLine($\"forked {{forked}}\"); exitCode = (int)code;"));
        foreach (var (name, edit) in CheatingSubmissions.All(WorkbenchProcess.RepositoryRoot, Path.Combine(submissions, "ada-solution"), socketPath))
        {
            GradingSubmissions.Make(Path.Combine(submissions, name), "Exercise", edit);
        }
        // First in the class's order, so its 45 s overlap everyone else's grading.
        var stuck = GradingSubmissions.Make(Path.Combine(submissions, "abe-stuck"));
        File.WriteAllText(Path.Combine(stuck, "Stuck.cs"), $$"""
            using System.Runtime.CompilerServices;

            internal static class Stuck
            {
                // Runs when the assembly loads, before any test starts: only the submission's own time limit applies.
                [ModuleInitializer]
                internal static void Hold()
                {
                    System.Diagnostics.Process.Start("setsid", "sleep {{Marker}}");
                    while (true)
                    {
                    }
                }
            }
            """);

        output = Path.Combine(scratch, "out");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = scratch };
        WorkbenchProcess.UseRepositoryLabs(start);
        foreach (var a in new[] { Path.Combine(TestContext.CurrentContext.TestDirectory, "workbench.dll"), "grade-class", "01", submissions, "-j", "2", "--out", output, "--test-timeout", "5", "--submission-timeout", "45" })
        {
            start.ArgumentList.Add(a);
        }
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        var clock = Stopwatch.StartNew();
        // A hang catcher, generous: the stuck submission alone takes its 45 s.
        while (!process.WaitForExit(TimeSpan.FromMilliseconds(200)))
        {
            if (File.Exists(Path.Combine(output, "ada-solution", "report.txt")) && !process.HasExited) solutionReportBeforeTheEnd = true;
            if (clock.Elapsed > TimeSpan.FromMinutes(6))
            {
                process.Kill(entireProcessTree: true);
                Assert.Fail($"grade-class did not finish in 6 minutes\n{stderr.Result}");
            }
        }
        result = new CommandResult(process.ExitCode, stdout.Result, stderr.Result);
    }

    [OneTimeTearDown]
    public void Clean()
    {
        Environment.SetEnvironmentVariable("WORKBENCH_HOME", null);
        listener?.Dispose();
        if (scratch.Length > 0) Directory.Delete(scratch, recursive: true);
        if (host.Length > 0) Directory.Delete(host, recursive: true);
    }

    /// <summary>At exit, puts <paramref name="make"/> (a link or a FIFO at <c>path</c>) at every path a results
    /// file could have (named as the grader named them, beside the one on the worker's command line and in the
    /// worker's folders), then ends the process so the grader starts another round.</summary>
    private static Func<string, string> Plant(string make) => GradingSubmissions.Replace("exitCode = (int)code;", "Plant(); exitCode = (int)code;", $$"""
            private static void Plant()
            {
                var arguments = Environment.GetCommandLineArgs();
                var results = arguments[Array.IndexOf(arguments, "--results") + 1];
                var folders = new[] { Path.GetDirectoryName(results)!, Environment.CurrentDirectory, Path.GetTempPath(), "/tmp" };
                var names = new List<string> { results };
                foreach (var folder in folders) for (var round = 0; round < 12; round++) names.Add(Path.Combine(folder, $"results-{round}.jsonl"));
                foreach (var path in names)
                {
                    try { if (File.Exists(path)) File.Delete(path); {{make}}; } catch (Exception) { }
                }
                Environment.Exit(0);
            }

        """);

    private string Report(string student) => File.ReadAllText(Path.Combine(output, student, "report.txt"));

    [Test]
    public void Grading_Finishes_And_Every_Report_Is_Written()
    {
        Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
        Assert.That(Directory.EnumerateDirectories(output).Count(), Is.EqualTo(7 + Cheats.Count), result.ToString());
        Assert.That(Report("ada-solution"), Does.Contain("score: 17/17"));
    }

    [Test]
    public void A_Link_Or_A_Fifo_Planted_Where_Results_Were_Harms_No_Host_File()
    {
        Assert.That(File.ReadAllText(victim), Is.EqualTo("precious"), "the host file the link points at was not truncated");
        Assert.That(Report("max-fifo"), Does.Contain("score:"));
    }

    [Test]
    public void Links_In_A_Submission_Are_Not_Followed_And_Are_Named_In_The_Report()
    {
        var report = Report("nia-links");
        Assert.That(report, Does.Contain("score: 17/17"), "the solution is graded as if the links were not there");
        Assert.That(report, Does.Contain("loop: a symbolic link, not followed"));
        Assert.That(report, Does.Contain("host: a symbolic link, not followed"));
    }

    [Test]
    public void A_Host_Unix_Socket_Is_Out_Of_Reach()
    {
        listener.Blocking = false;
        Assert.That(() => listener.Accept(), Throws.InstanceOf<SocketException>(), "no submission connected to the host's socket");
    }

    [Test]
    public void A_Submission_That_Never_Ends_Is_Killed_At_Its_Time_Limit_Leaving_No_Process()
    {
        Assert.That(Report("abe-stuck"), Does.Contain("time (45 s) ran out"), Report("abe-stuck"));
        var left = Directory.EnumerateDirectories("/proc")
            .Select(d => { try { return File.ReadAllText(Path.Combine(d, "cmdline")); } catch (IOException) { return ""; } catch (UnauthorizedAccessException) { return ""; } })
            .Where(c => c.Contains(Marker, StringComparison.Ordinal) || c.Contains(ForkMarker, StringComparison.Ordinal) || c.Contains(CheatingSubmissions.BackgroundMarker, StringComparison.Ordinal))
            .ToList();
        Assert.That(left, Is.Empty, "the process the submission started was killed with it");
    }

    [Test]
    public void A_Fork_Bomb_Is_Held_To_The_Process_Limit()
    {
        if (Environment.IsPrivilegedProcess && !VirtualizationWorkbench.Grading.ProcessCountGroup.Available)
        {
            Assert.Ignore("as root without a pids control group there is no process limit (docs/grading.md)");
        }
        var forked = System.Text.RegularExpressions.Regex.Matches(File.ReadAllText(Path.Combine(output, "pia-fork", "results.json")), @"forked (\d+)")
            .Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture))
            .ToList();
        Assert.That(forked, Is.Not.Empty, Report("pia-fork"));
        Assert.That(forked, Is.All.LessThan(Forks), "every run of the bomb hit the limit");
    }

    private static IReadOnlyList<string> Cheats => CheatingSubmissions.All("", "", "").Select(c => c.Name).ToList();

    private string Results(string student) => File.ReadAllText(Path.Combine(output, student, "results.json"));

    [TestCaseSource(nameof(Cheats))]
    public void A_Cheating_Submission_Scores_Zero(string cheat)
    {
        Assert.That(Report(cheat), Does.Contain("score: 0/17"), Report(cheat));
        Assert.That(Report(cheat), Does.Contain("judged against the reference solution"));
        using var results = System.Text.Json.JsonDocument.Parse(Results(cheat));
        Assert.That(results.RootElement.GetProperty("score").GetDouble(), Is.Zero, Results(cheat));
    }

    [Test]
    public void Nothing_To_Copy_The_Solution_The_Grading_Tests_And_Other_Submissions_Are_Out_Of_Sight()
    {
        var results = Results("cheat-read");
        Assert.That(results, Does.Not.Contain(CheatingSubmissions.ReadMarker), "the sandbox shows the file");
        Assert.That(System.Text.RegularExpressions.Regex.Matches(results, CheatingSubmissions.BlockedMarker).Count, Is.GreaterThanOrEqualTo(3), "the cheat ran and was refused every file");
    }

    [Test]
    public void Filling_The_Disk_Or_Shared_Memory_Is_Bounded()
    {
        var filled = System.Text.RegularExpressions.Regex.Matches(Results("cheat-fill"), @"FILLED (\S+) (\d+) MiB")
            .GroupBy(m => m.Groups[1].Value.TrimEnd('/'))
            .ToDictionary(g => g.Key, g => g.Max(m => int.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture)));
        Assert.That(filled, Is.Not.Empty, Results("cheat-fill"));
        Assert.That(filled.Values, Is.All.LessThanOrEqualTo(128), "no writable place takes more than the sandbox's bounded tmpfs");
        Assert.That(filled.GetValueOrDefault("/dev/shm"), Is.LessThanOrEqualTo(16));
    }

    [Test]
    public void Each_Report_Is_Written_As_Soon_As_Its_Student_Is_Graded()
    {
        Assert.That(solutionReportBeforeTheEnd, Is.True, "the solution's report was there while the stuck submission still ran");
    }
}
