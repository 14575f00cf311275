namespace VirtualizationWorkbench.Grading.Tests;

/// <summary>
/// A correct solution scores full marks every time, whatever else the student's files hold: here lab 01's reference
/// solution with two helper files (a helper class the solution calls through a <c>[DllImport]</c>, and a module
/// initializer that keeps the garbage collector busy), with the worker collecting garbage without pause too
/// (<c>WORKBENCH_GRADING_GC_STRESS</c>). The grading tests' load context once lived only in a dead
/// local of the worker, so a collection could unload it mid-run and a correct solution scored zero at random.
/// </summary>
[Category(TestCategories.EndToEnd)]
[TestFixture]
[NonParallelizable]
public sealed class CorrectSolutionTests
{
    private const int Copies = 4;

    // Called by the solution's getpid, so the native call runs in the graded tests.
    private const string NativeHelper = """
        using System.Runtime.InteropServices;

        namespace VirtualizationWorkbench.Labs.SystemCalls;

        internal static class PidOf
        {
            public static uint Process(int pid) => Native.GetPid() > 0 ? (uint)pid : 0u;
        }

        internal static class Native
        {
            // The runtime's own native shim: present wherever the workbench runs.
            [DllImport("libSystem.Native", EntryPoint = "SystemNative_GetPid")]
            public static extern int GetPid();
        }
        """;

    // Legal (if odd) student code: from the moment the assembly loads, collect garbage without pause.
    private const string GcPressure = """
        using System.Runtime.CompilerServices;

        namespace VirtualizationWorkbench.Labs.SystemCalls;

        internal static class GcPressure
        {
            [ModuleInitializer]
            internal static void Start() => new Thread(() =>
            {
                while (true)
                {
                    _ = new byte[64 * 1024];
                    GC.Collect();
                    GC.WaitForPendingFinalizers();
                    Thread.Sleep(1);
                }
            }) { IsBackground = true }.Start();
        }
        """;

    private string scratch = "";

    [SetUp]
    public void MakeScratch()
    {
        scratch = Directory.CreateTempSubdirectory("workbench-correct-").FullName;
        Environment.SetEnvironmentVariable("WORKBENCH_HOME", Path.Combine(scratch, "home"));
        Environment.SetEnvironmentVariable("WORKBENCH_GRADING_GC_STRESS", "1");
    }

    [TearDown]
    public void RemoveScratch()
    {
        Environment.SetEnvironmentVariable("WORKBENCH_HOME", null);
        Environment.SetEnvironmentVariable("WORKBENCH_GRADING_GC_STRESS", null);
        Directory.Delete(scratch, recursive: true);
    }

    [Test]
    public void Should_Give_Full_Marks_To_The_Solution_With_Helper_Files_Under_Gc_Pressure_Every_Time()
    {
        var submissions = Path.Combine(scratch, "submissions");
        for (var i = 0; i < Copies; i++)
        {
            var student = GradingSubmissions.Make(Path.Combine(submissions, $"student-{i}"), edit: GradingSubmissions.Replace("3 => (uint)process.Pid,", "3 => PidOf.Process(process.Pid),"));
            File.WriteAllText(Path.Combine(student, "Native.cs"), NativeHelper);
            File.WriteAllText(Path.Combine(student, "GcPressure.cs"), GcPressure);
        }
        var output = Path.Combine(scratch, "out");
        var result = WorkbenchProcess.Run(scratch, "grade-class", "01", submissions, "-j", "2", "--out", output);
        Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
        for (var i = 0; i < Copies; i++)
        {
            var report = File.ReadAllText(Path.Combine(output, $"student-{i}", "report.txt"));
            Assert.That(report, Does.Contain("score: 17/17"), report);
        }
    }
}
