using VirtualizationWorkbench.Sandbox.FileSystem;

namespace VirtualizationWorkbench.Grading;

/// <summary>Gradescope's autograder for a lab (<c>run_autograder</c> and <c>setup.sh</c>, which any CI can run
/// too), written from the templates in <c>Autograder/</c>.</summary>
public static class GradescopeAutograder
{
    private static readonly string[] Files = ["run_autograder", "setup.sh"];

    /// <summary>Writes the two scripts for <paramref name="exercise"/> into <paramref name="folder"/> (made if
    /// missing), executable; returns their paths.</summary>
    public static IReadOnlyList<string> Write(GradedExercise exercise, string folder)
    {
        var dir = Path.GetFullPath(folder);
        Directory.CreateDirectory(dir);
        var written = new List<string>();
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
