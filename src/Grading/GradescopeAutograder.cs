using VirtualizationWorkbench.Sandbox.FileSystem;

namespace VirtualizationWorkbench.Grading;

/// <summary>Gradescope's autograder for a lab (<c>run_autograder</c> and <c>setup.sh</c>, which any CI can run
/// too), written from the templates in <c>Autograder/</c>, with the instructor's copy of the lab beside them
/// (<c>labs/</c>: its reference solution and hidden checks, which the installed tool does not carry), so that
/// the autograder judges every submission against the reference, as <c>grade-class</c> does.</summary>
public static class GradescopeAutograder
{
    private static readonly string[] Files = ["run_autograder", "setup.sh"];

    /// <summary>Writes the two scripts for <paramref name="exercise"/> into <paramref name="folder"/> (made if
    /// missing), executable, and the lab (with its solution and hidden checks) and the shared guest programs into
    /// <c>labs/</c> there; returns what it wrote.</summary>
    /// <exception cref="GradingError">The lab has no reference solution (a student's copy).</exception>
    public static IReadOnlyList<string> Write(GradedExercise exercise, string folder)
    {
        if (!Directory.Exists(exercise.SolutionFolder))
        {
            throw new GradingError($"{exercise.SolutionFolder}: the reference solution is missing, and the autograder judges submissions against it; point --labs at the instructor's labs folder");
        }
        var dir = Path.GetFullPath(folder);
        Directory.CreateDirectory(dir);
        var written = new List<string>();
        var labs = Path.Combine(dir, "labs");
        var copy = Path.Combine(labs, Path.GetFileName(exercise.Lab.Folder));
        if (Directory.Exists(copy)) Directory.Delete(copy, recursive: true);
        PlainFiles.Copy(exercise.Lab.Folder, copy, maxFileBytes: LabSubmission.MaxFileBytes);
        written.Add(copy);
        var guests = Path.Combine(Path.GetDirectoryName(exercise.Lab.Folder)!, "guests");
        if (Directory.Exists(guests))
        {
            var target = Path.Combine(labs, "guests");
            if (Directory.Exists(target)) Directory.Delete(target, recursive: true);
            PlainFiles.Copy(guests, target, maxFileBytes: LabSubmission.MaxFileBytes);
            written.Add(target);
        }
        foreach (var name in Files)
        {
            var path = Path.Combine(dir, name);
            AtomicFile.WriteAllText(path, Template(name).Replace("{{LAB}}", exercise.Lab.Id, StringComparison.Ordinal));
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, File.GetUnixFileMode(path) | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
            written.Add(path);
        }
        return written;
    }

    private static string Template(string name)
    {
        using var stream = typeof(GradescopeAutograder).Assembly.GetManifestResourceStream($"Autograder.{name}")
            ?? throw new InvalidOperationException($"the autograder template {name} is missing from the build");
        return new StreamReader(stream).ReadToEnd();
    }
}
