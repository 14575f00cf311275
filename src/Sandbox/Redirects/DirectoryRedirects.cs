using System.Runtime.Versioning;
using VirtualizationWorkbench.Sandbox.FileSystem;
using VirtualizationWorkbench.Sandbox.Runtime;

namespace VirtualizationWorkbench.Sandbox.Redirects;

/// <summary>Stands in for <see cref="Directory"/>: listings merge the sandbox, the package and the visible host.</summary>
[RedirectsCallsTo(typeof(Directory))]
public static class DirectoryRedirects
{
    private static SandboxSession Session => SandboxRuntime.Current;

    private static VirtualFileSystem Vfs => Session.FileSystem;

    public static bool Exists(string? path)
    {
        if (string.IsNullOrEmpty(path))
        {
            return false;
        }
        try
        {
            return Vfs.DirectoryExists(Session.FullPath(path));
        }
        catch (Exception e) when (e is ArgumentException or UnauthorizedAccessException or IOException)
        {
            return false;
        }
    }

    public static DirectoryInfo CreateDirectory(string path)
    {
        Vfs.CreateDirectory(Session.FullPath(path));
        return new DirectoryInfo(Session.FullPath(path));
    }

    /// <summary>The folders above are created as <see cref="CreateDirectory(string)"/> creates them; the folder
    /// itself is created with <paramref name="unixCreateMode"/> (less the umask), on the layer a write there goes to.</summary>
    [UnsupportedOSPlatform("windows")]
    public static DirectoryInfo CreateDirectory(string path, UnixFileMode unixCreateMode)
    {
        var full = Session.FullPath(path);
        if (Vfs.FileExists(full))
        {
            throw new IOException($"The file '{full}' already exists.");
        }
        if (!Vfs.DirectoryExists(full))
        {
            if (Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(full)) is { } parent)
            {
                Vfs.CreateDirectory(parent);
            }
            Directory.CreateDirectory(Vfs.PrepareWrite(full, keepContent: false), unixCreateMode);
        }
        return new DirectoryInfo(full);
    }

    /// <summary>A new folder in the virtual temporary folder (<see cref="PathRedirects.GetTempPath"/>).</summary>
    public static DirectoryInfo CreateTempSubdirectory(string? prefix)
    {
        if (prefix is not null && prefix.AsSpan().IndexOfAny(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar) >= 0)
        {
            throw new ArgumentException("The value may not contain directory separator characters.", nameof(prefix));
        }
        var temp = PathRedirects.GetTempPath();
        while (true)
        {
            var candidate = Path.Join(temp, prefix + Path.GetRandomFileName().Replace(".", "", StringComparison.Ordinal)[..6]);
            if (!Vfs.FileExists(candidate) && !Vfs.DirectoryExists(candidate))
            {
                // Private to the user, as the framework makes it.
                return OperatingSystem.IsWindows()
                    ? CreateDirectory(candidate)
                    : CreateDirectory(candidate, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
        }
    }

    public static void Delete(string path) => Vfs.DeleteDirectory(Session.FullPath(path), recursive: false);

    public static void Delete(string path, bool recursive) => Vfs.DeleteDirectory(Session.FullPath(path), recursive);

    public static void Move(string sourceDirName, string destDirName)
    {
        var source = Session.FullPath(sourceDirName);
        // As the framework's on Unix (a rename), it moves a file too.
        if (Vfs.FileExists(source) && !Vfs.DirectoryExists(source))
        {
            Vfs.MoveFile(source, Session.FullPath(destDirName), overwrite: false);
            return;
        }
        Vfs.MoveDirectory(source, Session.FullPath(destDirName));
    }

    public static string GetCurrentDirectory() => Session.Environment.CurrentDirectory;

    public static void SetCurrentDirectory(string path)
    {
        var full = Session.FullPath(path);
        if (!Vfs.DirectoryExists(full))
        {
            throw new DirectoryNotFoundException($"Could not find a part of the path '{full}'.");
        }
        Session.Environment.CurrentDirectory = full;
    }

    public static string[] GetFiles(string path) => [.. EnumerateFiles(path)];

    public static string[] GetFiles(string path, string searchPattern) => [.. EnumerateFiles(path, searchPattern)];

    public static string[] GetFiles(string path, string searchPattern, SearchOption searchOption) => [.. EnumerateFiles(path, searchPattern, searchOption)];

    public static string[] GetFiles(string path, string searchPattern, EnumerationOptions enumerationOptions) => [.. EnumerateFiles(path, searchPattern, enumerationOptions)];

    public static string[] GetDirectories(string path) => [.. EnumerateDirectories(path)];

    public static string[] GetDirectories(string path, string searchPattern) => [.. EnumerateDirectories(path, searchPattern)];

    public static string[] GetDirectories(string path, string searchPattern, SearchOption searchOption) => [.. EnumerateDirectories(path, searchPattern, searchOption)];

    public static string[] GetDirectories(string path, string searchPattern, EnumerationOptions enumerationOptions) => [.. EnumerateDirectories(path, searchPattern, enumerationOptions)];

    public static string[] GetFileSystemEntries(string path) => [.. EnumerateFileSystemEntries(path)];

    public static string[] GetFileSystemEntries(string path, string searchPattern) => [.. EnumerateFileSystemEntries(path, searchPattern)];

    public static string[] GetFileSystemEntries(string path, string searchPattern, SearchOption searchOption) => [.. EnumerateFileSystemEntries(path, searchPattern, searchOption)];

    public static string[] GetFileSystemEntries(string path, string searchPattern, EnumerationOptions enumerationOptions) => [.. EnumerateFileSystemEntries(path, searchPattern, enumerationOptions)];

    public static IEnumerable<string> EnumerateFiles(string path) => EnumerateFiles(path, "*");

    public static IEnumerable<string> EnumerateFiles(string path, string searchPattern) => EnumerateFiles(path, searchPattern, SearchOption.TopDirectoryOnly);

    public static IEnumerable<string> EnumerateFiles(string path, string searchPattern, SearchOption searchOption) => List(path, searchPattern, searchOption, files: true, directories: false);

    public static IEnumerable<string> EnumerateFiles(string path, string searchPattern, EnumerationOptions enumerationOptions) =>
        List(path, searchPattern, enumerationOptions, files: true, directories: false);

    public static IEnumerable<string> EnumerateDirectories(string path) => EnumerateDirectories(path, "*");

    public static IEnumerable<string> EnumerateDirectories(string path, string searchPattern) => EnumerateDirectories(path, searchPattern, SearchOption.TopDirectoryOnly);

    public static IEnumerable<string> EnumerateDirectories(string path, string searchPattern, SearchOption searchOption) => List(path, searchPattern, searchOption, files: false, directories: true);

    public static IEnumerable<string> EnumerateDirectories(string path, string searchPattern, EnumerationOptions enumerationOptions) =>
        List(path, searchPattern, enumerationOptions, files: false, directories: true);

    public static IEnumerable<string> EnumerateFileSystemEntries(string path) => EnumerateFileSystemEntries(path, "*");

    public static IEnumerable<string> EnumerateFileSystemEntries(string path, string searchPattern) => EnumerateFileSystemEntries(path, searchPattern, SearchOption.TopDirectoryOnly);

    public static IEnumerable<string> EnumerateFileSystemEntries(string path, string searchPattern, SearchOption searchOption) => List(path, searchPattern, searchOption, files: true, directories: true);

    public static IEnumerable<string> EnumerateFileSystemEntries(string path, string searchPattern, EnumerationOptions enumerationOptions) =>
        List(path, searchPattern, enumerationOptions, files: true, directories: true);

    public static DateTime GetLastWriteTimeUtc(string path) => Directory.GetLastWriteTimeUtc(Vfs.FindEntry(Session.FullPath(path)) ?? Vfs.Resolve(Session.FullPath(path)).SandboxPath);

    public static DateTime GetLastWriteTime(string path) => GetLastWriteTimeUtc(path).ToLocalTime();

    public static DateTime GetCreationTime(string path) => Directory.GetCreationTime(FileRedirects.Entry(path));

    public static DateTime GetCreationTimeUtc(string path) => Directory.GetCreationTimeUtc(FileRedirects.Entry(path));

    public static DateTime GetLastAccessTime(string path) => Directory.GetLastAccessTime(FileRedirects.Entry(path));

    public static DateTime GetLastAccessTimeUtc(string path) => Directory.GetLastAccessTimeUtc(FileRedirects.Entry(path));

    public static void SetCreationTime(string path, DateTime creationTime) => Directory.SetCreationTime(FileRedirects.PrepareUpdate(path), creationTime);

    public static void SetCreationTimeUtc(string path, DateTime creationTimeUtc) => Directory.SetCreationTimeUtc(FileRedirects.PrepareUpdate(path), creationTimeUtc);

    public static void SetLastAccessTime(string path, DateTime lastAccessTime) => Directory.SetLastAccessTime(FileRedirects.PrepareUpdate(path), lastAccessTime);

    public static void SetLastAccessTimeUtc(string path, DateTime lastAccessTimeUtc) => Directory.SetLastAccessTimeUtc(FileRedirects.PrepareUpdate(path), lastAccessTimeUtc);

    public static void SetLastWriteTime(string path, DateTime lastWriteTime) => Directory.SetLastWriteTime(FileRedirects.PrepareUpdate(path), lastWriteTime);

    public static void SetLastWriteTimeUtc(string path, DateTime lastWriteTimeUtc) => Directory.SetLastWriteTimeUtc(FileRedirects.PrepareUpdate(path), lastWriteTimeUtc);

    /// <summary>The parent of the path made absolute against the virtual current folder, not the process's.</summary>
    public static DirectoryInfo? GetParent(string path) =>
        Path.GetDirectoryName(Session.FullPath(path)) is { } parent ? new DirectoryInfo(parent) : null;

    public static string GetDirectoryRoot(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return Path.GetPathRoot(Session.FullPath(path))!;
    }

    public static FileSystemInfo? ResolveLinkTarget(string linkPath, bool returnFinalTarget) =>
        Directory.ResolveLinkTarget(FileRedirects.LinkEntry(linkPath), returnFinalTarget);

    private static IEnumerable<string> List(string path, string searchPattern, SearchOption searchOption, bool files, bool directories) =>
        List(path, searchPattern, Legacy(searchOption), files, directories);

    /// <summary>What the <see cref="SearchOption"/> overloads mean, as the framework maps them: DOS-style
    /// wildcards, no attribute skipped, inaccessible folders an error.</summary>
    private static EnumerationOptions Legacy(SearchOption searchOption) => new()
    {
        RecurseSubdirectories = searchOption == SearchOption.AllDirectories,
        MatchType = MatchType.Win32,
        AttributesToSkip = 0,
        IgnoreInaccessible = false,
    };

    private static IEnumerable<string> List(string path, string searchPattern, EnumerationOptions enumerationOptions, bool files, bool directories)
    {
        ArgumentNullException.ThrowIfNull(searchPattern);
        ArgumentNullException.ThrowIfNull(enumerationOptions);
        // Entries are spelled from the folder as the caller spelled it, as Directory does.
        var full = Session.FullPath(path);
        return Vfs.Enumerate(full, searchPattern, enumerationOptions, files, directories)
            // By slicing rather than Path.GetRelativePath, which would fold the special "sub/." into "sub".
            .Select(entry => Path.Join(path, entry.AsSpan(full.Length).TrimStart(Path.DirectorySeparatorChar)));
    }
}
