using System.Runtime.Versioning;

namespace VirtualizationWorkbench.Sandbox.Redirects;

/// <summary>Stands in for the members of <see cref="FileSystemInfo"/> that touch the disk. The info objects keep
/// the application's own (virtual) path; every question is answered by the virtual filesystem, afresh each time.</summary>
[RedirectsCallsTo(typeof(FileSystemInfo))]
public static class FileSystemInfoRedirects
{
    public static bool get_Exists(FileSystemInfo info) =>
        info is DirectoryInfo ? DirectoryRedirects.Exists(info.FullName) : FileRedirects.Exists(info.FullName);

    public static void Delete(FileSystemInfo info)
    {
        if (info is DirectoryInfo)
        {
            DirectoryRedirects.Delete(info.FullName);
        }
        else
        {
            FileRedirects.Delete(info.FullName);
        }
    }

    public static void Refresh(FileSystemInfo info)
    {
        // Nothing is cached: every property asks the virtual filesystem afresh.
        _ = info;
    }

    /// <summary>As the framework's: a path that exists nowhere has the attributes -1, it does not throw (PowerShell's
    /// <c>New-Item -ItemType Directory</c> asks before it creates).</summary>
    public static FileAttributes get_Attributes(FileSystemInfo info) =>
        FileRedirects.LinkEntryOrNull(info.FullName) is { } entry ? File.GetAttributes(entry) : (FileAttributes)(-1);

    public static void set_Attributes(FileSystemInfo info, FileAttributes value) => FileRedirects.SetAttributes(info.FullName, value);

    public static DateTime get_LastWriteTime(FileSystemInfo info) => FileRedirects.GetLastWriteTime(info.FullName);

    public static DateTime get_LastWriteTimeUtc(FileSystemInfo info) => FileRedirects.GetLastWriteTimeUtc(info.FullName);

    public static void set_LastWriteTime(FileSystemInfo info, DateTime value) => FileRedirects.SetLastWriteTime(info.FullName, value);

    public static void set_LastWriteTimeUtc(FileSystemInfo info, DateTime value) => FileRedirects.SetLastWriteTimeUtc(info.FullName, value);

    public static DateTime get_CreationTime(FileSystemInfo info) => FileRedirects.GetCreationTime(info.FullName);

    public static DateTime get_CreationTimeUtc(FileSystemInfo info) => FileRedirects.GetCreationTimeUtc(info.FullName);

    public static DateTime get_LastAccessTime(FileSystemInfo info) => FileRedirects.GetLastAccessTime(info.FullName);

    public static DateTime get_LastAccessTimeUtc(FileSystemInfo info) => FileRedirects.GetLastAccessTimeUtc(info.FullName);

    // The File setters update a file or a folder alike (copying either up first), as the framework's do on both.
    public static void set_CreationTime(FileSystemInfo info, DateTime value) => FileRedirects.SetCreationTime(info.FullName, value);

    public static void set_CreationTimeUtc(FileSystemInfo info, DateTime value) => FileRedirects.SetCreationTimeUtc(info.FullName, value);

    public static void set_LastAccessTime(FileSystemInfo info, DateTime value) => FileRedirects.SetLastAccessTime(info.FullName, value);

    public static void set_LastAccessTimeUtc(FileSystemInfo info, DateTime value) => FileRedirects.SetLastAccessTimeUtc(info.FullName, value);

    [UnsupportedOSPlatform("windows")]
    public static UnixFileMode get_UnixFileMode(FileSystemInfo info) =>
        FileRedirects.LinkEntryOrNull(info.FullName) is { } entry ? new FileInfo(entry).UnixFileMode : (UnixFileMode)(-1);

    [UnsupportedOSPlatform("windows")]
    public static void set_UnixFileMode(FileSystemInfo info, UnixFileMode value) => FileRedirects.SetUnixFileMode(info.FullName, value);

    // LinkTarget is null for a path that does not exist.
    public static string? get_LinkTarget(FileSystemInfo info) =>
        FileRedirects.LinkEntryOrNull(info.FullName) is { } entry ? new FileInfo(entry).LinkTarget : null;

    public static FileSystemInfo? ResolveLinkTarget(FileSystemInfo info, bool returnFinalTarget) =>
        info is DirectoryInfo
            ? DirectoryRedirects.ResolveLinkTarget(info.FullName, returnFinalTarget)
            : FileRedirects.ResolveLinkTarget(info.FullName, returnFinalTarget);
}
