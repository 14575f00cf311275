namespace VirtualizationWorkbench.Sandbox.Redirects;

/// <summary>Stands in for the members of <see cref="DirectoryInfo"/> that touch the disk.</summary>
[RedirectsCallsTo(typeof(DirectoryInfo))]
public static class DirectoryInfoRedirects
{
    /// <summary><c>new DirectoryInfo(path)</c>: a relative path is made absolute against the application's (virtual)
    /// current folder, as <see cref="FileInfoRedirects.New"/> does for files.</summary>
    public static DirectoryInfo New(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return new DirectoryInfo(path.Length == 0 ? path : FileRedirects.Full(path));
    }

    public static void Create(DirectoryInfo info) => DirectoryRedirects.CreateDirectory(info.FullName);

    public static void Delete(DirectoryInfo info, bool recursive) => DirectoryRedirects.Delete(info.FullName, recursive);

    public static DirectoryInfo CreateSubdirectory(DirectoryInfo info, string path) => DirectoryRedirects.CreateDirectory(Path.Combine(info.FullName, path));

    public static void MoveTo(DirectoryInfo info, string destDirName) => DirectoryRedirects.Move(info.FullName, destDirName);

    public static FileInfo[] GetFiles(DirectoryInfo info) => GetFiles(info, "*");

    public static FileInfo[] GetFiles(DirectoryInfo info, string searchPattern) => GetFiles(info, searchPattern, SearchOption.TopDirectoryOnly);

    public static FileInfo[] GetFiles(DirectoryInfo info, string searchPattern, SearchOption searchOption) => [.. EnumerateFiles(info, searchPattern, searchOption)];

    public static IEnumerable<FileInfo> EnumerateFiles(DirectoryInfo info) => EnumerateFiles(info, "*");

    public static IEnumerable<FileInfo> EnumerateFiles(DirectoryInfo info, string searchPattern) => EnumerateFiles(info, searchPattern, SearchOption.TopDirectoryOnly);

    public static IEnumerable<FileInfo> EnumerateFiles(DirectoryInfo info, string searchPattern, SearchOption searchOption) =>
        DirectoryRedirects.EnumerateFiles(info.FullName, searchPattern, searchOption).Select(path => new FileInfo(path));

    public static DirectoryInfo[] GetDirectories(DirectoryInfo info) => GetDirectories(info, "*");

    public static DirectoryInfo[] GetDirectories(DirectoryInfo info, string searchPattern) => GetDirectories(info, searchPattern, SearchOption.TopDirectoryOnly);

    public static DirectoryInfo[] GetDirectories(DirectoryInfo info, string searchPattern, SearchOption searchOption) => [.. EnumerateDirectories(info, searchPattern, searchOption)];

    public static IEnumerable<DirectoryInfo> EnumerateDirectories(DirectoryInfo info) => EnumerateDirectories(info, "*");

    public static IEnumerable<DirectoryInfo> EnumerateDirectories(DirectoryInfo info, string searchPattern) => EnumerateDirectories(info, searchPattern, SearchOption.TopDirectoryOnly);

    public static IEnumerable<DirectoryInfo> EnumerateDirectories(DirectoryInfo info, string searchPattern, SearchOption searchOption) =>
        DirectoryRedirects.EnumerateDirectories(info.FullName, searchPattern, searchOption).Select(path => new DirectoryInfo(path));

    public static FileInfo[] GetFiles(DirectoryInfo info, string searchPattern, EnumerationOptions enumerationOptions) => [.. EnumerateFiles(info, searchPattern, enumerationOptions)];

    public static IEnumerable<FileInfo> EnumerateFiles(DirectoryInfo info, string searchPattern, EnumerationOptions enumerationOptions) =>
        DirectoryRedirects.EnumerateFiles(info.FullName, searchPattern, enumerationOptions).Select(path => new FileInfo(path));

    public static DirectoryInfo[] GetDirectories(DirectoryInfo info, string searchPattern, EnumerationOptions enumerationOptions) => [.. EnumerateDirectories(info, searchPattern, enumerationOptions)];

    public static IEnumerable<DirectoryInfo> EnumerateDirectories(DirectoryInfo info, string searchPattern, EnumerationOptions enumerationOptions) =>
        DirectoryRedirects.EnumerateDirectories(info.FullName, searchPattern, enumerationOptions).Select(path => new DirectoryInfo(path));

    public static FileSystemInfo[] GetFileSystemInfos(DirectoryInfo info) => [.. EnumerateFileSystemInfos(info)];

    public static FileSystemInfo[] GetFileSystemInfos(DirectoryInfo info, string searchPattern) => [.. EnumerateFileSystemInfos(info, searchPattern)];

    public static FileSystemInfo[] GetFileSystemInfos(DirectoryInfo info, string searchPattern, SearchOption searchOption) => [.. EnumerateFileSystemInfos(info, searchPattern, searchOption)];

    public static FileSystemInfo[] GetFileSystemInfos(DirectoryInfo info, string searchPattern, EnumerationOptions enumerationOptions) => [.. EnumerateFileSystemInfos(info, searchPattern, enumerationOptions)];

    public static IEnumerable<FileSystemInfo> EnumerateFileSystemInfos(DirectoryInfo info) => EnumerateFileSystemInfos(info, "*");

    public static IEnumerable<FileSystemInfo> EnumerateFileSystemInfos(DirectoryInfo info, string searchPattern) => EnumerateFileSystemInfos(info, searchPattern, SearchOption.TopDirectoryOnly);

    public static IEnumerable<FileSystemInfo> EnumerateFileSystemInfos(DirectoryInfo info, string searchPattern, SearchOption searchOption) =>
        Infos(DirectoryRedirects.EnumerateFileSystemEntries(info.FullName, searchPattern, searchOption));

    public static IEnumerable<FileSystemInfo> EnumerateFileSystemInfos(DirectoryInfo info, string searchPattern, EnumerationOptions enumerationOptions) =>
        Infos(DirectoryRedirects.EnumerateFileSystemEntries(info.FullName, searchPattern, enumerationOptions));

    private static IEnumerable<FileSystemInfo> Infos(IEnumerable<string> paths) =>
        paths.Select(path => DirectoryRedirects.Exists(path) ? (FileSystemInfo)new DirectoryInfo(path) : new FileInfo(path));
}
