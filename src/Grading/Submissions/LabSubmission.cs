using System.Text.Json;
using VirtualizationWorkbench.Labs;

namespace VirtualizationWorkbench.Grading;

/// <summary>
/// A student's whole lab in one folder, made by <c>workbench lab submit</c> and graded by <c>grade-class</c>:
/// <c>submission.json</c> (the lab, the student's id and their answers), <c>work/</c> (their work folder's files)
/// and <c>exercise/</c> (their graded exercise's <c>.cs</c> files). Nothing in it is trusted when graded: the grader
/// re-runs every step's checks and marks every answer with the numbers of the student the folder is named after.
/// </summary>
public sealed record LabSubmission(string Lab, string Student, IReadOnlyDictionary<string, string> Answers)
{
    /// <summary>The file that marks a folder as a whole-lab submission.</summary>
    public const string FileName = "submission.json";

    /// <summary>The folders beside it.</summary>
    public const string WorkFolder = "work", ExerciseFolder = "exercise";

    /// <summary>Limits on what is read back: a real submission is far smaller.</summary>
    public const int MaxAnswers = 1000, MaxAnswerLength = 1000, MaxFileBytes = 1024 * 1024;

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    /// <summary>Whether <paramref name="folder"/> holds a whole-lab submission.</summary>
    public static bool IsOne(string folder) => new FileInfo(Path.Combine(folder, FileName)) is { Exists: true, LinkTarget: null };

    /// <summary>Writes the submission of <paramref name="session"/>'s student into <c>OUT/STUDENT-ID</c>: their
    /// answers, the regular files of their work folder and the <c>.cs</c> files of <paramref name="exercise"/>
    /// (when given). Made beside and renamed into place; an earlier submission there is replaced only once the new
    /// one is complete. Returns the folder.</summary>
    /// <exception cref="GradingError">No student id yet, or nothing to submit.</exception>
    public static string Write(LabSession session, string? exercise, string output)
    {
        var student = session.StudentId
            ?? throw new GradingError($"give your student id first, so your numbers are the ones your instructor checks: workbench lab start {session.Lab.Id} --id YOUR-ID");
        var target = Path.Combine(Path.GetFullPath(output), student);
        var parent = Path.GetDirectoryName(target)!;
        Directory.CreateDirectory(parent);
        var staging = Path.Combine(parent, $".{student}.partial-{Guid.NewGuid():N}");
        try
        {
            Directory.CreateDirectory(staging);
            var answers = new SortedDictionary<string, string>(session.Progress.Answers, StringComparer.Ordinal);
            File.WriteAllText(Path.Combine(staging, FileName), JsonSerializer.Serialize(new LabSubmission(session.Lab.Id, student, answers), Json));
            if (session.WorkDirectory is { } work && Directory.Exists(work)) PlainFiles.Copy(work, Path.Combine(staging, WorkFolder), maxFileBytes: MaxFileBytes);
            if (exercise is not null)
            {
                if (!Directory.Exists(exercise)) throw new GradingError($"{exercise}: no such folder (your exercise)");
                PlainFiles.Copy(exercise, Path.Combine(staging, ExerciseFolder), f => f.EndsWith(".cs", StringComparison.Ordinal) || f.EndsWith(".csproj", StringComparison.Ordinal), MaxFileBytes);
            }
            var old = Path.Combine(parent, $".{student}.old-{Guid.NewGuid():N}");
            if (Directory.Exists(target)) Directory.Move(target, old);
            Directory.Move(staging, target);
            if (Directory.Exists(old)) Directory.Delete(old, recursive: true);
            return target;
        }
        finally
        {
            if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        }
    }

    /// <summary>Reads the submission in <paramref name="folder"/>; what is wrong with it goes to
    /// <paramref name="problems"/> and the answers it could read are kept.</summary>
    public static LabSubmission Read(string folder, List<string> problems)
    {
        var file = new FileInfo(Path.Combine(folder, FileName));
        if (file.LinkTarget is not null || !file.Exists || file.Length > MaxFileBytes)
        {
            problems.Add($"{FileName}: missing, a link, or over {MaxFileBytes / 1024} KiB: no answers read");
            return new LabSubmission("", "", new Dictionary<string, string>());
        }
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(file.FullName), new JsonDocumentOptions { MaxDepth = 8 });
            var root = document.RootElement;
            string Text(string name) => root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : "";
            var answers = new Dictionary<string, string>(StringComparer.Ordinal);
            if (root.TryGetProperty("answers", out var given) && given.ValueKind == JsonValueKind.Object)
            {
                foreach (var answer in given.EnumerateObject().Take(MaxAnswers))
                {
                    if (answer.Value.ValueKind == JsonValueKind.String && answer.Value.GetString() is { Length: <= MaxAnswerLength } value) answers[answer.Name] = value;
                    else problems.Add($"{FileName}: the answer to '{VirtualizationWorkbench.Machine.Assembler.Diagnostic.Printable(answer.Name)}' is not text of at most {MaxAnswerLength} characters; ignored");
                }
            }
            return new LabSubmission(Text("lab"), Text("student"), answers);
        }
        catch (JsonException e)
        {
            problems.Add($"{FileName}: not valid JSON ({e.Message}); no answers read");
            return new LabSubmission("", "", new Dictionary<string, string>());
        }
    }
}
