namespace VirtualizationWorkbench.Grading;

/// <summary>Copies what a student hands in: the regular files of a folder, never a symbolic link (which could lead
/// anywhere on the grader's machine) nor build output, and never by opening a file of length zero (a FIFO or a
/// device has that length too, and reading one would block the grader or never end: an empty file is made
/// instead).</summary>
internal static class PlainFiles
{
    /// <summary>Copies the files below <paramref name="from"/> that <paramref name="take"/> accepts (all when null)
    /// and that are at most <paramref name="maxFileBytes"/> long to <paramref name="to"/>, which is made even when
    /// nothing is copied. The links left out are added to <paramref name="links"/>. Returns why the copy stopped
    /// when the files copied would exceed <paramref name="maxTotalBytes"/>, or null.</summary>
    public static string? Copy(string from, string to, Func<string, bool>? take = null, long maxFileBytes = long.MaxValue,
        long maxTotalBytes = long.MaxValue, List<string>? links = null)
    {
        Directory.CreateDirectory(to);
        long bytes = 0;
        foreach (var path in CSharpSources.Files(from, links ?? []))
        {
            var info = new FileInfo(path);
            if (take?.Invoke(path) == false || info.Length > maxFileBytes) continue;
            bytes += info.Length;
            if (bytes > maxTotalBytes) return $"the submission holds more than {maxTotalBytes / (1024 * 1024)} MiB";
            var target = Path.Combine(to, Path.GetRelativePath(from, path));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            if (info.Length == 0) File.WriteAllBytes(target, []);
            else File.Copy(path, target);
        }
        return null;
    }
}
