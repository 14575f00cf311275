using System.Text;
using NUnit.Framework.Api;
using NUnit.Framework.Interfaces;
using NUnit.Framework.Internal;

namespace VirtualizationWorkbench.Grading;

/// <summary>
/// The part of grading that runs inside the contained process (<c>workbench grade-worker</c>): compiles one
/// submission, loads the grading tests against it and runs the tests it is asked to, writing a
/// <see cref="WorkerEvent"/> line to the results file as each test starts and finishes. Everything the submission
/// does happens here, never in the grader.
/// </summary>
public static class GradingWorker
{
    /// <summary>The most characters of one test's printed output that are kept.</summary>
    public const int OutputCap = 4000;

    /// <summary>Exit code when the submission does not compile.</summary>
    public const int BuildFailedExitCode = 3;

    /// <summary>When set to 1 (in the grader's environment, which passes it on), the worker collects garbage without
    /// pause while it runs: the tests use it to prove that nothing the grading needs dies in a collection.</summary>
    public const string GcStressVariable = "WORKBENCH_GRADING_GC_STRESS";

    /// <summary>Compiles <paramref name="submission"/> as <paramref name="assemblyName"/> into
    /// <paramref name="outputFolder"/>, then runs <paramref name="tests"/> (full names) of
    /// <paramref name="testsAssembly"/> against it, with the grading run's <paramref name="seed"/> for
    /// <see cref="Inputs"/>. Returns the process exit code.</summary>
    public static int Run(string testsAssembly, string submission, string assemblyName, string outputFolder, string resultsFile, IReadOnlyCollection<string> tests, ulong seed)
    {
        Inputs.Seed = seed;
        if (Environment.GetEnvironmentVariable(GcStressVariable) == "1") StressGc();
        using var results = new StreamWriter(new FileStream(resultsFile, FileMode.Append, FileAccess.Write, FileShare.ReadWrite), new UTF8Encoding(false)) { AutoFlush = true };
        var dll = Path.Combine(outputFolder, assemblyName + ".dll");
        var sources = CSharpSources.In(submission);
        var errors = sources.Count == 0
            ? [$"{submission}: no .cs files"]
            : ExerciseCompiler.Compile(assemblyName, submission, sources, GradingBuild.SubmissionReferences, dll);
        if (errors.Count > 0)
        {
            results.WriteLine(new WorkerEvent("build-failed", Errors: errors).ToLine());
            return BuildFailedExitCode;
        }
        results.WriteLine(new WorkerEvent("compiled").ToLine());

        // Not collectible, and kept alive to the end besides: a context the collector unloads mid-run fails every
        // test after it ("AssemblyLoadContext is unloading"), and a correct solution would score zero.
        var context = new GradingBuild.TestsLoadContext(assemblyName, dll, collectible: false);
        var runner = new NUnitTestAssemblyRunner(new DefaultTestAssemblyBuilder());
        // One test at a time on this thread: the results stream then says exactly which test was running.
        runner.Load(context.LoadFromAssemblyPath(testsAssembly), new Dictionary<string, object> { ["NumberOfTestWorkers"] = 0 });
        runner.Run(new StreamListener(results), Filter(tests));
        GC.KeepAlive(context);
        results.WriteLine(new WorkerEvent("done").ToLine());
        return 0;
    }

    private static void StressGc() => new Thread(() =>
    {
        while (true)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            Thread.Sleep(1);
        }
    })
    { IsBackground = true, Name = "gc stress" }.Start();

    private static TestFilter Filter(IReadOnlyCollection<string> tests)
    {
        var xml = new StringBuilder("<filter><or>");
        foreach (var test in tests) xml.Append("<test>").Append(System.Security.SecurityElement.Escape(test)).Append("</test>");
        return TestFilter.FromXml(xml.Append("</or></filter>").ToString());
    }

    /// <summary>Writes an event per test case (suites are not checks).</summary>
    private sealed class StreamListener(StreamWriter results) : ITestListener
    {
        public void TestStarted(ITest test)
        {
            if (!test.IsSuite) results.WriteLine(new WorkerEvent("start", test.FullName).ToLine());
        }

        public void TestFinished(ITestResult result)
        {
            if (result.Test.IsSuite) return;
            var passed = result.ResultState.Status == TestStatus.Passed;
            var message = passed ? "" : result.Message ?? result.ResultState.ToString();
            if (!passed && result.StackTrace is { Length: > 0 } stack) message += "\n" + Cut(OwnFrames(stack), OutputCap);
            results.WriteLine(new WorkerEvent("finish", result.Test.FullName, passed, Cut(message, OutputCap), Cut(result.Output, OutputCap), Observations: ObservationLog.Take(result.Test.FullName)).ToLine());
        }

        public void TestOutput(TestOutput output)
        {
        }

        public void SendMessage(TestMessage message)
        {
        }

        // The frames of the submission and the tests; the runtime's reflection and NUnit's own say nothing to a student.
        private static string OwnFrames(string stack) => string.Join('\n', stack.Split('\n')
            .Where(l => !l.TrimStart().StartsWith("at System.", StringComparison.Ordinal) && !l.TrimStart().StartsWith("at NUnit.", StringComparison.Ordinal)));

        private static string Cut(string text, int cap) =>
            text.Length <= cap ? text : text[..cap] + $"\n… ({text.Length - cap} more characters cut)";
    }
}
