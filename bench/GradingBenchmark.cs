using System.Diagnostics;
using VirtualizationWorkbench.Grading;
using VirtualizationWorkbench.Workbench;

namespace VirtualizationWorkbench.Bench;

/// <summary>
/// <c>workbench bench-grading</c>: the figures docs/benchmarks.md records. Grading one exercise with a warm cache
/// (the grading build already made: what a student waits for on each save), then a class of N submissions,
/// alternately the reference solution and the untouched exercise, so both full and zero scores are exercised,
/// judged against the reference solution as <c>grade-class</c> judges them.
/// </summary>
public static class GradingBenchmark
{
    /// <summary>Runs the benchmark and prints the figures; exit code 0 when both goals are met.</summary>
    public static int Run(GradedExercise exercise, int submissions, int parallel, TextWriter output)
    {
        if (!Directory.Exists(exercise.SolutionFolder)) throw new UserError($"{exercise.SolutionFolder}: the benchmark grades copies of the reference solution, which this copy of the labs lacks");
        var clock = Stopwatch.StartNew();
        var build = GradingBuild.For(exercise);
        output.WriteLine($"grading build (cold or cached): {clock.Elapsed.TotalSeconds:0.00} s, {build.Checks.Count} checks");
        var grader = new SubmissionGrader(build, new Containment());
        output.WriteLine($"contained by: {grader.Containment.Describe()}");

        grader.Grade(exercise.SolutionFolder, "warm-up");
        var single = new List<double>();
        for (var i = 0; i < 3; i++)
        {
            clock.Restart();
            var report = grader.Grade(exercise.SolutionFolder, "solution");
            single.Add(clock.Elapsed.TotalSeconds);
            if (!report.FullMarks) throw new InvalidOperationException($"the reference solution scored {report.Score}/{report.MaxScore}: {string.Join("; ", report.Problems)}");
        }
        single.Sort();
        output.WriteLine($"one exercise, warm: median {single[1]:0.00} s (runs: {string.Join(", ", single.Select(s => s.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture)))}); goal ≤ 10 s");

        var folder = Directory.CreateTempSubdirectory("workbench-bench-class-").FullName;
        try
        {
            for (var i = 0; i < submissions; i++)
            {
                var source = i % 2 == 0 ? exercise.SolutionFolder : exercise.ExerciseFolder;
                Copy(source, Path.Combine(folder, $"student{i + 1:000}"));
            }
            // As grade-class grades: judged against the reference solution, graded once first with a fresh seed
            // (its time is part of the class's).
            clock.Restart();
            var judged = new SubmissionGrader(build, grader.Containment) { Judge = ReferenceJudge.Prepare(build, grader.Containment, ReferenceJudge.NewSeed()) };
            var reports = new ClassGrader(judged).Grade(folder, parallel);
            var elapsed = clock.Elapsed.TotalSeconds;
            var full = reports.Count(r => r.FullMarks);
            output.WriteLine($"class of {submissions}, -j {parallel}: {elapsed:0.0} s ({elapsed / submissions:0.00} s per submission; {full} full marks, {reports.Count(r => r.Score == 0)} zero); goal ≤ 300 s");
            return single[1] <= 10 && elapsed <= 300 ? 0 : 1;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static void Copy(string from, string to)
    {
        foreach (var file in CSharpSources.In(from).Concat(Directory.EnumerateFiles(from, "*.csproj")))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
