namespace VirtualizationWorkbench.Grading;

/// <summary>
/// The student's copy of the repository: everything but the reference solutions (every <c>Solution/</c>
/// folder), the hidden checks (every <c>Grading/Hidden/</c> folder), version control and build output. Made in a temporary folder beside the target and renamed into
/// place, so an interrupted export leaves nothing half-made.
/// </summary>
public static class StudentKit
{
    private static readonly HashSet<string> Left = new(StringComparer.Ordinal) { "Solution", ".git", "bin", "obj", "TestResults", "artifacts", "BenchmarkDotNet.Artifacts" };

    /// <summary>Copies <paramref name="repository"/> to <paramref name="target"/> (which must not exist or be
    /// empty). Returns the number of files copied.</summary>
    public static int Export(string repository, string target)
    {
        target = Path.GetFullPath(target);
        repository = Path.GetFullPath(repository);
        if (Directory.Exists(target) && Directory.EnumerateFileSystemEntries(target).Any())
        {
            throw new GradingError($"{target}: the folder is not empty; choose a new folder for the student kit");
        }
        if (File.Exists(target)) throw new GradingError($"{target}: a file is in the way; choose a new folder for the student kit");
        if ((target + Path.DirectorySeparatorChar).StartsWith(repository + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new GradingError($"{target}: the kit cannot go inside the repository it copies ({repository})");
        }
        var parent = Path.GetDirectoryName(target)!;
        Directory.CreateDirectory(parent);
        var staging = Path.Combine(parent, $".{Path.GetFileName(target)}.partial-{Guid.NewGuid():N}");
        try
        {
            var count = Copy(new DirectoryInfo(repository), staging);
            if (Directory.Exists(target)) Directory.Delete(target);
            Directory.Move(staging, target);
            return count;
        }
        finally
        {
            if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        }
    }

    /// <summary>Whether a folder of that name stays out of the kit.</summary>
    public static bool IsLeftOut(string folderName) => Left.Contains(folderName);

    /// <summary>Whether <paramref name="folder"/> stays out of the kit: a left-out name, or the hidden checks of a
    /// lab's grading tests.</summary>
    public static bool IsLeftOut(DirectoryInfo folder) =>
        IsLeftOut(folder.Name) || (folder.Name == "Hidden" && folder.Parent?.Name == "Grading");

    private static int Copy(DirectoryInfo from, string to)
    {
        Directory.CreateDirectory(to);
        var count = 0;
        foreach (var file in from.EnumerateFiles())
        {
            if (file.LinkTarget is not null) continue;
            file.CopyTo(Path.Combine(to, file.Name));
            count++;
        }
        foreach (var dir in from.EnumerateDirectories())
        {
            if (IsLeftOut(dir) || dir.LinkTarget is not null) continue;
            count += Copy(dir, Path.Combine(to, dir.Name));
        }
        return count;
    }
}
