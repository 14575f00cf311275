using VirtualizationWorkbench.Sandbox.Runtime;

namespace VirtualizationWorkbench.Sandbox.Redirects;

/// <summary>Stands in for the members of <see cref="Path"/> that depend on the process or the disk: the temporary
/// folder, the current folder (the process's real one points into the sandbox) and <c>Exists</c>.</summary>
[RedirectsCallsTo(typeof(Path))]
public static class PathRedirects
{
    public static string GetTempPath()
    {
        var temp = SandboxRuntime.Current.FileSystem.Macros.HostFolder("%Temp%") ?? Path.GetTempPath();
        return Path.EndsInDirectorySeparator(temp) ? temp : temp + Path.DirectorySeparatorChar;
    }

    public static string GetTempFileName()
    {
        var path = Path.Combine(GetTempPath(), $"tmp{Guid.NewGuid().ToString("N")[..8].ToUpperInvariant()}.tmp");
        using (FileRedirects.Open(path, FileMode.CreateNew, FileAccess.Write, FileShare.None))
        {
        }
        return path;
    }

    public static string GetFullPath(string path) => SandboxRuntime.Current.FullPath(path);

    /// <summary>Whether a file or a folder is at the path in the virtual view.</summary>
    public static bool Exists(string? path) => FileRedirects.Exists(path) || DirectoryRedirects.Exists(path);
}
