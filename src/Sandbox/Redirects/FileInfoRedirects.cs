using System.Runtime.Versioning;

namespace VirtualizationWorkbench.Sandbox.Redirects;

/// <summary>Stands in for the members of <see cref="FileInfo"/> that touch the disk.</summary>
[RedirectsCallsTo(typeof(FileInfo))]
public static class FileInfoRedirects
{
    /// <summary><c>new FileInfo(path)</c>: a relative path is made absolute against the application's (virtual)
    /// current folder, so <see cref="FileSystemInfo.FullName"/> reads as <see cref="Path.GetFullPath(string)"/> does,
    /// not as the sandbox folder the process really stands in.</summary>
    public static FileInfo New(string fileName)
    {
        ArgumentNullException.ThrowIfNull(fileName);
        return new FileInfo(fileName.Length == 0 ? fileName : FileRedirects.Full(fileName));
    }

    public static long get_Length(FileInfo info) => new FileInfo(FileRedirects.Find(info.FullName)).Length;

    // As the framework's: the attributes of a missing file are -1, so it reads as read-only.
    public static bool get_IsReadOnly(FileInfo info) => (FileSystemInfoRedirects.get_Attributes(info) & FileAttributes.ReadOnly) != 0;

    public static void set_IsReadOnly(FileInfo info, bool value)
    {
        var attributes = FileSystemInfoRedirects.get_Attributes(info);
        FileRedirects.SetAttributes(info.FullName, value ? attributes | FileAttributes.ReadOnly : attributes & ~FileAttributes.ReadOnly);
    }

    public static FileStream OpenRead(FileInfo info) => FileRedirects.OpenRead(info.FullName);

    public static StreamReader OpenText(FileInfo info) => FileRedirects.OpenText(info.FullName);

    public static FileStream OpenWrite(FileInfo info) => FileRedirects.OpenWrite(info.FullName);

    public static FileStream Open(FileInfo info, FileMode mode) => FileRedirects.Open(info.FullName, mode);

    public static FileStream Open(FileInfo info, FileMode mode, FileAccess access) => FileRedirects.Open(info.FullName, mode, access);

    public static FileStream Open(FileInfo info, FileMode mode, FileAccess access, FileShare share) => FileRedirects.Open(info.FullName, mode, access, share);

    public static FileStream Open(FileInfo info, FileStreamOptions options) => FileRedirects.Open(info.FullName, options);

    public static FileStream Create(FileInfo info) => FileRedirects.Create(info.FullName);

    public static StreamWriter CreateText(FileInfo info) => FileRedirects.CreateText(info.FullName);

    public static StreamWriter AppendText(FileInfo info) => FileRedirects.AppendText(info.FullName);

    public static FileInfo CopyTo(FileInfo info, string destFileName) => CopyTo(info, destFileName, false);

    public static FileInfo CopyTo(FileInfo info, string destFileName, bool overwrite)
    {
        FileRedirects.Copy(info.FullName, destFileName, overwrite);
        return new FileInfo(FileRedirects.Full(destFileName));
    }

    public static void MoveTo(FileInfo info, string destFileName) => MoveTo(info, destFileName, false);

    public static void MoveTo(FileInfo info, string destFileName, bool overwrite) => FileRedirects.Move(info.FullName, destFileName, overwrite);

    public static FileInfo Replace(FileInfo info, string destinationFileName, string? destinationBackupFileName) =>
        Replace(info, destinationFileName, destinationBackupFileName, false);

    public static FileInfo Replace(FileInfo info, string destinationFileName, string? destinationBackupFileName, bool ignoreMetadataErrors)
    {
        FileRedirects.Replace(info.FullName, destinationFileName, destinationBackupFileName, ignoreMetadataErrors);
        return new FileInfo(FileRedirects.Full(destinationFileName));
    }

    [SupportedOSPlatform("windows")]
    public static void Encrypt(FileInfo info) => FileRedirects.Encrypt(info.FullName);

    [SupportedOSPlatform("windows")]
    public static void Decrypt(FileInfo info) => FileRedirects.Decrypt(info.FullName);
}
