using VirtualizationWorkbench.Sandbox.FileSystem;

namespace VirtualizationWorkbench.Grading;

/// <summary>
/// Grades a folder of submissions, one sub-folder per student, several at a time, and writes the class's
/// results: per student <c>STUDENT/report.txt</c>, <c>STUDENT/results.json</c> (Gradescope); for the class
/// <c>summary.txt</c> (with a histogram), <c>grades.csv</c> and <c>junit.xml</c>. Every file is written
/// atomically, so an interrupted run never leaves half a file.
/// </summary>
public sealed class ClassGrader(SubmissionGrader grader)
{
    /// <summary>The students' folders in <paramref name="submissions"/>, by name.</summary>
    public static IReadOnlyList<string> Students(string submissions)
    {
        if (!Directory.Exists(submissions)) throw new GradingError($"{submissions}: no such folder (expected one folder per student)");
        var folders = Directory.EnumerateDirectories(submissions)
            .Where(d => !Path.GetFileName(d).StartsWith('.'))
            .Order(StringComparer.Ordinal)
            .ToList();
        if (folders.Count == 0) throw new GradingError($"{submissions}: no submissions (expected one folder per student, each holding the exercise's .cs files)");
        return folders;
    }

    /// <summary>Grades every student with at most <paramref name="parallel"/> at once; <paramref name="graded"/>
    /// hears of each as it finishes. With <paramref name="output"/>, each student's <c>report.txt</c> and
    /// <c>results.json</c> are written there as soon as that student is graded, so a submission that holds out to its
    /// time limit (or a grader stopped midway) costs no one else their report. Returns the reports in the students'
    /// order.</summary>
    public IReadOnlyList<GradeReport> Grade(string submissions, int parallel, Action<GradeReport>? graded = null, string? output = null)
    {
        var students = Students(submissions);
        var reports = new GradeReport[students.Count];
        Parallel.For(0, students.Count, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, parallel) }, i =>
        {
            reports[i] = GradeOne(students[i]);
            if (output is not null) WriteStudent(output, reports[i]);
            graded?.Invoke(reports[i]);
        });
        return reports;
    }

    /// <summary>How long a whole-lab submission's step checks may take in all.</summary>
    public static readonly TimeSpan LabWorkTimeLimit = TimeSpan.FromMinutes(2);

    // A folder of .cs files is an exercise alone; a folder made by `lab submit` is the whole lab: its steps and
    // questions re-checked for the student the folder is named after, and its exercise/ graded.
    private GradeReport GradeOne(string folder)
    {
        var student = Path.GetFileName(folder);
        if (!LabSubmission.IsOne(folder)) return grader.Grade(folder, student);
        var problems = new List<string>();
        var labWork = LabWorkReport.Check(grader.Build.Exercise.Lab, folder, student, LabWorkTimeLimit, problems);
        var exercise = Path.Combine(folder, LabSubmission.ExerciseFolder);
        GradeReport report;
        if (Directory.Exists(exercise) && new DirectoryInfo(exercise).LinkTarget is null)
        {
            report = grader.Grade(exercise, student);
        }
        else
        {
            var empty = Directory.CreateTempSubdirectory("workbench-noexercise-").FullName;
            try
            {
                report = grader.Grade(empty, student);
            }
            finally
            {
                Directory.Delete(empty, recursive: true);
            }
            problems.Add($"no {LabSubmission.ExerciseFolder}/ folder: the exercise was not submitted");
        }
        return report with { Submission = student, Checks = [.. labWork.AsChecks(), .. report.Checks], Problems = [.. report.Problems, .. problems], LabWork = labWork };
    }

    /// <summary>Writes one student's <c>report.txt</c> and <c>results.json</c> into <paramref name="output"/>.</summary>
    public static void WriteStudent(string output, GradeReport report)
    {
        var folder = Path.Combine(output, report.Submission);
        Directory.CreateDirectory(folder);
        AtomicFile.WriteAllText(Path.Combine(folder, "report.txt"), $"{report.Submission}\n{TextReport.Submission(report, showHidden: true)}contained by: {report.Containment}\n");
        AtomicFile.WriteAllText(Path.Combine(folder, "results.json"), GradescopeResults.Write(report));
    }

    /// <summary>Writes the class's results into <paramref name="output"/> (see the class remarks).</summary>
    public static void Write(string output, string lab, IReadOnlyList<GradeReport> reports)
    {
        Directory.CreateDirectory(output);
        foreach (var r in reports) WriteStudent(output, r);
        AtomicFile.WriteAllText(Path.Combine(output, "summary.txt"), TextReport.Class(lab, reports));
        AtomicFile.WriteAllText(Path.Combine(output, "grades.csv"), CsvReport.Write(reports));
        AtomicFile.Write(Path.Combine(output, "junit.xml"), stream => JUnitReport.Write(lab, reports).Save(stream));
    }
}
