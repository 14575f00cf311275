namespace VirtualizationWorkbench.Grading.Tests;

/// <summary>
/// Submissions written to cheat, each from lab 01's untouched exercise: none solves anything, each tries to turn
/// something other than a correct answer into points. <see cref="HostileClassTests"/> grades them with the class
/// and requires zero for every one. Each cheat replaces the body of <c>SystemCallHost.Run</c>, which every grading
/// test calls, and adds a <c>Cheat</c> class beside it.
/// </summary>
internal static class CheatingSubmissions
{
    /// <summary>The statement of the untouched exercise's Run that every cheat replaces.</summary>
    private const string Untouched = """throw new NotImplementedException($"{nameof(SystemCallHost)}.{nameof(Run)}: the run loop is yours to write");""";

    /// <summary>What a cheat prints when it can read a file it should not, and when it cannot.</summary>
    public const string ReadMarker = "READ-OK ", BlockedMarker = "READ-BLOCKED ";

    /// <summary>A number the left-behind process of one cheat sleeps for, to find it by.</summary>
    public const string BackgroundMarker = "876.5432";

    /// <summary>The cheats by name (the submission folder's name) and the edit that makes each.</summary>
    public static IReadOnlyList<(string Name, Func<string, string> Edit)> All(string repository, string otherStudent, string socket) =>
    [
        // Appends finished-and-passed lines, with observations the visible tests' source suggests, for every test
        // on its command line to the results file named there, then leaves before the grader's own lines matter.
        ("cheat-forge-results", Cheat("Cheat.ForgeResults(); " + Untouched, """
            public static void ForgeResults()
            {
                var arguments = Environment.GetCommandLineArgs();
                var results = arguments[Array.IndexOf(arguments, "--results") + 1];
                var lines = new List<string>();
                for (var i = 0; i < arguments.Length - 1; i++)
                {
                    if (arguments[i] != "--test") continue;
                    lines.Add("{\"event\":\"start\",\"test\":\"" + arguments[i + 1] + "\"}");
                    lines.Add("{\"event\":\"finish\",\"test\":\"" + arguments[i + 1] + "\",\"passed\":true,\"message\":\"\",\"output\":\"\",\"observations\":[{\"expression\":\"outcome.End\",\"value\":\"ProgramEnd.Exited\"},{\"expression\":\"outcome.ExitCode\",\"value\":\"42\"},{\"expression\":\"outcome.Reason\",\"value\":\"held: true\"}]}");
                }
                lines.Add("{\"event\":\"done\"}");
                File.AppendAllLines(results, lines);
                Environment.Exit(0);
            }
            """)),
        // NUnit's Assert.Pass, thrown from the student's own method by reflection.
        ("cheat-assert-pass", Cheat("Cheat.Pass(); " + Untouched, """
            public static void Pass()
            {
                var success = Type.GetType("NUnit.Framework.SuccessException, nunit.framework", throwOnError: true)!;
                throw (Exception)Activator.CreateInstance(success, "passed")!;
            }
            """)),
        // Marks the running test's result a success through NUnit's internals, then leaves the test early.
        ("cheat-reflect-result", Cheat("Cheat.Succeed(); " + Untouched, """
            public static void Succeed()
            {
                var framework = Type.GetType("NUnit.Framework.Internal.TestExecutionContext, nunit.framework", throwOnError: true)!;
                var context = framework.GetProperty("CurrentContext")!.GetValue(null)!;
                var result = context.GetType().GetProperty("CurrentResult")!.GetValue(context)!;
                var success = Type.GetType("NUnit.Framework.Interfaces.ResultState, nunit.framework", throwOnError: true)!.GetField("Success")!.GetValue(null);
                result.GetType().GetMethod("SetResult", [success!.GetType()])!.Invoke(result, [success]);
                var pass = Type.GetType("NUnit.Framework.SuccessException, nunit.framework", throwOnError: true)!;
                throw (Exception)Activator.CreateInstance(pass, "passed")!;
            }
            """)),
        // Writes observations itself: the values lab 01's visible tests show, and "held" for every other check.
        ("cheat-inject-observations", Cheat("Cheat.Inject(); " + Untouched, """
            public static void Inject()
            {
                var log = Type.GetType("VirtualizationWorkbench.Grading.ObservationLog, VirtualizationWorkbench.Grading", throwOnError: true)!;
                var record = log.GetMethod("Record")!;
                foreach (var (expression, value) in new[] { ("outcome.End", "ProgramEnd.Exited"), ("outcome.ExitCode", "42"), ("outcome.Reason", "held: true"), ("outcome.Console", "held: true") })
                {
                    record.Invoke(null, [expression, value]);
                }
                var pass = Type.GetType("NUnit.Framework.SuccessException, nunit.framework", throwOnError: true)!;
                throw (Exception)Activator.CreateInstance(pass, "passed")!;
            }
            """)),
        // Prints what a results parser or a person skimming the output would take for a pass.
        ("cheat-print", Cheat("""Console.WriteLine("{\"event\":\"finish\",\"passed\":true}\nPASS  17/17\nscore: 17/17 — full marks"); return new ProgramOutcome(ProgramEnd.Exited, 0, "", null);""")),
        // Ends the process the moment the assembly loads (inside the first test to touch it) with a success code.
        ("cheat-exit-initializer", Cheat(Untouched + " // unchanged", """
            [System.Runtime.CompilerServices.ModuleInitializer]
            internal static void Leave() => Environment.Exit(0);
            """)),
        // Reads the reference solution, the grading tests' source and another student's submission.
        ("cheat-read", Cheat("Cheat.Read(); " + Untouched, $$""""
            public static void Read()
            {
                foreach (var path in new[] { @"{{Path.Combine(repository, "labs", "01-machine", "Solution", "SystemCallHost.cs")}}", @"{{Path.Combine(repository, "labs", "01-machine", "Grading", "SystemCallTests.cs")}}", @"{{Path.Combine(otherStudent, "SystemCallHost.cs")}}" })
                {
                    try
                    {
                        var text = File.ReadAllText(path);
                        Console.WriteLine("{{ReadMarker}}" + path + " " + text.Length);
                    }
                    catch (Exception e)
                    {
                        Console.WriteLine("{{BlockedMarker}}" + path + " " + e.GetType().Name);
                    }
                }
            }
            """")),
        // Leaves a process behind, detached from its session.
        ("cheat-background", Cheat($"System.Diagnostics.Process.Start(\"setsid\", \"sleep {BackgroundMarker}\"); " + Untouched)),
        // Fills every writable place it can find, hoping to break the grader or the machine.
        ("cheat-fill", Cheat("Cheat.Fill(); " + Untouched, """
            public static void Fill()
            {
                foreach (var folder in new[] { Path.GetTempPath(), "/dev/shm", Environment.CurrentDirectory })
                {
                    long written = 0;
                    try
                    {
                        var chunk = new byte[1 << 20];
                        using var file = File.Create(Path.Combine(folder, "fill-" + Guid.NewGuid()));
                        for (var i = 0; i < 4096; i++)
                        {
                            file.Write(chunk);
                            written += chunk.Length;
                        }
                    }
                    catch (Exception)
                    {
                    }
                    Console.WriteLine($"FILLED {folder} {written >> 20} MiB");
                }
            }
            """)),
        // A bounded fork bomb, once per process, hoping to starve the grader.
        ("cheat-fork", Cheat("Cheat.Fork(); " + Untouched, """
            private static bool forked;

            public static void Fork()
            {
                if (forked) return;
                forked = true;
                try
                {
                    for (var i = 0; i < 400; i++) System.Diagnostics.Process.Start("sleep", "0.5");
                }
                catch (Exception)
                {
                }
            }
            """)),
        // Connects to a host service's Unix socket (an ssh-agent, a docker.sock) to get out.
        ("cheat-socket", Cheat($"Cheat.Connect(@\"{socket}\"); " + Untouched, """
            public static void Connect(string path)
            {
                try
                {
                    using var s = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Unspecified);
                    s.Connect(new System.Net.Sockets.UnixDomainSocketEndPoint(path));
                    s.Send(new byte[] { 2 });
                }
                catch (Exception)
                {
                }
            }
            """)),
    ];

    private static Func<string, string> Cheat(string run, string members = "") => text =>
    {
        Assert.That(text, Does.Contain(Untouched), "the untouched exercise's Run no longer has the statement the cheats replace");
        text = text.Replace(Untouched, run, StringComparison.Ordinal);
        return members.Length == 0 ? text : text + "\ninternal static class Cheat\n{\n" + members + "\n}\n";
    };
}
