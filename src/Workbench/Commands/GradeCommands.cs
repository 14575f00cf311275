using System.CommandLine;
using System.Text.Json;
using VirtualizationWorkbench.Grading;
using VirtualizationWorkbench.Labs;
using VirtualizationWorkbench.Labs.Progress;
using VirtualizationWorkbench.Sandbox.FileSystem;

namespace VirtualizationWorkbench.Workbench.Commands;

/// <summary><c>workbench grade</c>, <c>grade-class</c>, <c>kit</c>, <c>bench-grading</c> and the hidden
/// <c>grade-worker</c>: graded exercises with NUnit (docs/grading.md).</summary>
internal static class GradeCommands
{
    private static Option<string?> LabsOption() => new("--labs") { Description = "The folder of labs (default: ./labs or above, $WORKBENCH_LABS, or the installed copy)" };

    private static Option<double> TestTimeoutOption() => new("--test-timeout") { Description = "Seconds one grading test may run before it is stopped and scores zero", DefaultValueFactory = _ => 10 };

    private static Option<double> SubmissionTimeoutOption() => new("--submission-timeout") { Description = "Seconds one submission may take in all before its processes are killed", DefaultValueFactory = _ => 120 };

    private static Option<int> MemoryOption() => new("--memory") { Description = "Heap limit of a submission's process, in MiB", DefaultValueFactory = _ => 512 };

    public static Command Grade()
    {
        var lab = new Argument<string>("lab") { Description = "Lab id, number or topic (01-machine, 01, machine)" };
        var exercise = new Option<string?>("--exercise") { Description = "The folder of your exercise (default: the lab's Exercise folder)" };
        var watch = new Option<bool>("--watch") { Description = "Grade again whenever you save a .cs file (Ctrl+C to stop)" };
        var poll = new Option<bool>("--poll") { Description = "With --watch: compare the files every second instead of relying on change events (network or container filesystems)" };
        var json = new Option<bool>("--json") { Description = "Print the result as JSON" };
        var gradescope = new Option<string?>("--gradescope") { Description = "Also write Gradescope's results.json to this file (the autograder does)" };
        var noProgress = new Option<bool>("--no-progress") { Description = "Do not record the grade in your progress" };
        var judged = new Option<bool>("--judged") { Description = "Judge each check against the reference solution's observations, as grade-class does (needs the instructor's labs with Solution/; --gradescope implies it)" };
        var seed = SeedOption();
        var timeout = TestTimeoutOption();
        var memory = MemoryOption();
        var labs = LabsOption();
        var command = new Command("grade", "Build your exercise and run its grading tests: each check with pass/fail, message and hint, and your score; exit code 0 only on full marks")
        {
            lab, exercise, watch, poll, json, gradescope, noProgress, judged, seed, timeout, memory, labs,
        };
        command.SetAction(parse =>
        {
            var graded = GradedExercise.Of(LabCatalog.Locate(parse.GetValue(labs)).Find(parse.GetValue(lab)!));
            var folder = Path.GetFullPath(parse.GetValue(exercise) ?? graded.ExerciseFolder);
            if (!Directory.Exists(folder)) throw new UserError($"--exercise {folder}: no such folder");
            var judge = parse.GetValue(judged) || parse.GetValue(gradescope) is not null;
            var grader = Grader(GradingBuild.For(graded), Limits(parse.GetValue(timeout), parse.GetValue(memory)), judge, parse.GetValue(seed));
            int GradeOnce()
            {
                var report = grader.Grade(folder, Path.GetFileName(folder));
                if (parse.GetValue(gradescope) is { } file) AtomicFile.WriteAllText(Path.GetFullPath(file), GradescopeResults.Write(report));
                if (!parse.GetValue(noProgress)) Record(graded, report);
                if (parse.GetValue(json)) Console.WriteLine(StudentJson(graded, folder, report));
                else Console.Write($"lab {graded.Lab.Id}, exercise {graded.AssemblyName} in {folder}\n{TextReport.Submission(report, showHidden: false)}");
                return report.FullMarks ? 0 : 1;
            }
            var status = GradeOnce();
            if (!parse.GetValue(watch)) return status;

            using var stop = new CancellationTokenSource();
            Console.CancelKeyPress += (_, e) =>
            {
                e.Cancel = true;
                stop.Cancel();
            };
            using var watcher = new ExerciseWatcher(folder, parse.GetValue(poll));
            while (true)
            {
                Console.WriteLine($"watching {folder} for changes ({(watcher.UsesEvents ? "change events, and a poll every second" : "a poll every second")}); Ctrl+C to stop");
                if (!watcher.WaitForChange(stop.Token)) return status;
                Console.WriteLine($"\n--- {DateTime.Now:HH:mm:ss} change seen, grading again");
                status = GradeOnce();
            }
        });
        return command;
    }

    private static Option<ulong?> SeedOption() => new("--seed") { Description = "The grading run's seed for the tests' generated inputs (default: a fresh secret one; the report names it, so a run can be repeated)" };

    // The judge grades the reference solution first, with the run's seed; without a judge the tests' own
    // assertions decide, which only a student grading their own work should rely on.
    private static SubmissionGrader Grader(GradingBuild build, Containment containment, bool judged, ulong? seed)
    {
        var runSeed = seed ?? ReferenceJudge.NewSeed();
        return judged
            ? new SubmissionGrader(build, containment) { Judge = ReferenceJudge.Prepare(build, containment, runSeed) }
            : new SubmissionGrader(build, containment) { Seed = runSeed };
    }

    private static Containment Limits(double testSeconds, int memoryMiB, double submissionSeconds = 120)
    {
        if (testSeconds is <= 0 or > 3600) throw new UserError($"--test-timeout {testSeconds}: give a number of seconds between 0 and 3600");
        if (submissionSeconds is <= 0 or > 36000) throw new UserError($"--submission-timeout {submissionSeconds}: give a number of seconds between 0 and 36000");
        if (memoryMiB is < 64 or > 65536) throw new UserError($"--memory {memoryMiB}: give a heap limit in MiB between 64 and 65536");
        return new Containment { TestTimeLimit = TimeSpan.FromSeconds(testSeconds), SubmissionTimeLimit = TimeSpan.FromSeconds(submissionSeconds), MemoryLimit = memoryMiB * 1024L * 1024 };
    }

    private static void Record(GradedExercise graded, GradeReport report) =>
        new LabSession(graded.Lab, ProgressStore.Default, Console.Error).RecordGrade(graded.AssemblyName, report.Score, report.MaxScore);

    private static string StudentJson(GradedExercise graded, string folder, GradeReport report) => JsonSerializer.Serialize(new
    {
        lab = graded.Lab.Id,
        exercise = graded.AssemblyName,
        folder,
        score = report.Score,
        max_score = report.MaxScore,
        full_marks = report.FullMarks,
        verdict = report.Verdict,
        build_errors = report.BuildErrors,
        problems = report.Problems,
        checks = report.Checks.Select(c => new
        {
            name = c.Check.Name,
            status = c.Status.ToString().ToLowerInvariant(),
            score = c.Score,
            max_score = c.Check.Points,
            visibility = c.Check.GradescopeVisibility,
            message = c.Check.ShownToStudent ? c.Message : null,
            hint = c.Check.ShownToStudent && !c.Passed ? c.Check.Hint : null,
        }),
    }, new JsonSerializerOptions { WriteIndented = true });

    public static Command GradeClass()
    {
        var lab = new Argument<string>("lab") { Description = "Lab id, number or topic" };
        var submissions = new Argument<string>("submissions") { Description = "A folder with one folder per student, each holding that student's exercise (.cs files)" };
        var parallel = new Option<int>("-j", "--jobs") { Description = "Submissions graded at once (default: the number of cores)", DefaultValueFactory = _ => Environment.ProcessorCount };
        var output = new Option<string>("--out") { Description = "Where to write the results (per student and for the class)", Required = true };
        var timeout = TestTimeoutOption();
        var submissionTimeout = SubmissionTimeoutOption();
        var memory = MemoryOption();
        var seed = SeedOption();
        var labs = LabsOption();
        var command = new Command("grade-class", "Grade every student's submission against the reference solution: per-student reports, a class summary with a histogram, CSV, JUnit XML and Gradescope results.json")
        {
            lab, submissions, parallel, output, timeout, submissionTimeout, memory, seed, labs,
        };
        command.SetAction(parse =>
        {
            var graded = GradedExercise.Of(LabCatalog.Locate(parse.GetValue(labs)).Find(parse.GetValue(lab)!));
            if (parse.GetValue(parallel) is < 1 or > 64) throw new UserError($"-j {parse.GetValue(parallel)}: give between 1 and 64 submissions at once");
            var folder = Path.GetFullPath(parse.GetValue(submissions)!);
            ClassGrader.Students(folder); // a clear error before anything is built
            var grader = Grader(GradingBuild.For(graded), Limits(parse.GetValue(timeout), parse.GetValue(memory), parse.GetValue(submissionTimeout)), judged: true, parse.GetValue(seed));
            Console.Error.WriteLine($"grading {folder} against {graded.Lab.Id} ({grader.Build.Checks.Count} checks), {parse.GetValue(parallel)} at a time; contained by: {grader.Containment.Describe()}");
            var target = Path.GetFullPath(parse.GetValue(output)!);
            var reports = new ClassGrader(grader).Grade(folder, parse.GetValue(parallel), r =>
                Console.Error.WriteLine($"  {r.Submission}: {TextReport.Points(r.Score)}/{TextReport.Points(r.MaxScore)} in {r.Elapsed.TotalSeconds:0.0} s"), target);
            ClassGrader.Write(target, graded.Lab.Id, reports);
            Console.Write(TextReport.Class(graded.Lab.Id, reports));
            Console.WriteLine($"results in {target}: summary.txt, grades.csv, junit.xml, and STUDENT/report.txt, STUDENT/results.json");
            return 0;
        });
        return command;
    }

    public static Command Kit()
    {
        var command = new Command("kit", "What instructors hand out: the student copy of the repository, and a Gradescope autograder");
        var target = new Argument<string>("dir") { Description = "A new (or empty) folder for the student copy" };
        var export = new Command("export", "Copy the repository for students, without any Solution/ folder") { target };
        export.SetAction(parse =>
        {
            var repository = Repository(LabCatalog.Locate());
            var count = StudentKit.Export(repository, parse.GetValue(target)!);
            Console.WriteLine($"student kit: {Path.GetFullPath(parse.GetValue(target)!)} ({count} files; no Solution/ folders, no build output)");
            return 0;
        });
        command.Add(export);

        var lab = new Argument<string>("lab") { Description = "Lab id, number or topic" };
        var folder = new Argument<string>("dir") { Description = "Where to write run_autograder and setup.sh" };
        var labs = LabsOption();
        var autograder = new Command("autograder", "Write Gradescope's run_autograder and setup.sh for a lab (any CI can run them too)") { lab, folder, labs };
        autograder.SetAction(parse =>
        {
            var graded = GradedExercise.Of(LabCatalog.Locate(parse.GetValue(labs)).Find(parse.GetValue(lab)!));
            foreach (var path in GradescopeAutograder.Write(graded, parse.GetValue(folder)!)) Console.WriteLine(path);
            return 0;
        });
        command.Add(autograder);
        return command;
    }

    private static string Repository(LabCatalog catalog)
    {
        var root = Path.GetDirectoryName(catalog.LabsFolder)!;
        if (!File.Exists(Path.Combine(root, "Workbench.sln")))
        {
            throw new UserError($"kit export copies a checkout of the repository, and {root} is not one (no Workbench.sln); run it from the repository");
        }
        return root;
    }

    /// <summary>The contained side of grading; the grader starts it, users do not.</summary>
    public static Command Worker()
    {
        var tests = new Option<string>("--tests") { Required = true };
        var submission = new Option<string>("--submission") { Required = true };
        var assembly = new Option<string>("--assembly") { Required = true };
        var output = new Option<string>("--output") { Required = true };
        var results = new Option<string>("--results") { Required = true };
        var test = new Option<string[]>("--test") { AllowMultipleArgumentsPerToken = false };
        var seed = new Option<ulong>("--seed");
        var command = new Command("grade-worker", "(internal) compile one submission and run grading tests on it, inside the grader's containment")
        {
            tests, submission, assembly, output, results, test, seed,
        };
        command.Hidden = true;
        command.SetAction(parse => GradingWorker.Run(
            parse.GetValue(tests)!, parse.GetValue(submission)!, parse.GetValue(assembly)!, parse.GetValue(output)!, parse.GetValue(results)!,
            parse.GetValue(test) ?? [], parse.GetValue(seed)));
        return command;
    }
}
