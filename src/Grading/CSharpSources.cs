namespace VirtualizationWorkbench.Grading;

/// <summary>The C# files of a project folder, as the SDK would take them: every <c>*.cs</c> below it, except
/// build output (<c>bin/</c>, <c>obj/</c>) and symbolic links. A link is never followed: a submission's
/// <c>loop -> .</c> would be read without end, and a link to a host folder would copy the host's files.</summary>
public static class CSharpSources
{
    /// <summary>The files, in a stable order.</summary>
    public static IReadOnlyList<string> In(string folder) =>
        Files(folder, []).Where(f => f.EndsWith(".cs", StringComparison.Ordinal)).ToList();

    /// <summary>Every file below <paramref name="folder"/> (relative paths in a stable order) except build output,
    /// without following a symbolic link; each link met (to a file or a folder) is added to
    /// <paramref name="links"/>, relative to <paramref name="folder"/>.</summary>
    public static IReadOnlyList<string> Files(string folder, List<string> links)
    {
        var files = new List<string>();
        var pending = new Stack<DirectoryInfo>([new DirectoryInfo(folder)]);
        while (pending.Count > 0)
        {
            foreach (var entry in pending.Pop().EnumerateFileSystemInfos())
            {
                var relative = Path.GetRelativePath(folder, entry.FullName);
                if (IsBuildOutput(relative)) continue;
                if (entry.LinkTarget is not null) links.Add(relative);
                else if (entry is DirectoryInfo directory) pending.Push(directory);
                else files.Add(entry.FullName);
            }
        }
        files.Sort(StringComparer.Ordinal);
        links.Sort(StringComparer.Ordinal);
        return files;
    }

    /// <summary>Whether a relative path lies in build output.</summary>
    public static bool IsBuildOutput(string relativePath) =>
        relativePath.Split(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar).Any(s => s is "bin" or "obj");
}
