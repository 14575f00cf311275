using System.Runtime.Versioning;
using System.Text;
using Microsoft.Win32.SafeHandles;
using VirtualizationWorkbench.Sandbox.FileSystem;
using VirtualizationWorkbench.Sandbox.Runtime;

namespace VirtualizationWorkbench.Sandbox.Redirects;

/// <summary>Stands in for <see cref="File"/>. Whole-file writes land atomically (temporary file and rename).</summary>
[RedirectsCallsTo(typeof(File))]
public static class FileRedirects
{
    private static SandboxSession Session => SandboxRuntime.Current;

    private static VirtualFileSystem Vfs => Session.FileSystem;

    internal static string Full(string path) => Session.FullPath(path);

    /// <summary>The file to read; a missing host file is reported by the read itself, with the same path.</summary>
    internal static string Find(string path) =>
        Vfs.PathToRead(Full(path)) ?? throw new FileNotFoundException($"Could not find file '{Full(path)}'.", Full(path));

    public static bool Exists(string? path)
    {
        if (string.IsNullOrEmpty(path))
        {
            return false;
        }
        try
        {
            return Vfs.FileExists(Full(path));
        }
        catch (Exception e) when (e is ArgumentException or UnauthorizedAccessException or IOException)
        {
            // File.Exists answers false for every path it cannot check, and so does its stand-in.
            return false;
        }
    }

    public static string ReadAllText(string path) => File.ReadAllText(Find(path));

    public static string ReadAllText(string path, Encoding encoding) => File.ReadAllText(Find(path), encoding);

    public static byte[] ReadAllBytes(string path) => File.ReadAllBytes(Find(path));

    public static string[] ReadAllLines(string path) => File.ReadAllLines(Find(path));

    public static string[] ReadAllLines(string path, Encoding encoding) => File.ReadAllLines(Find(path), encoding);

    public static IEnumerable<string> ReadLines(string path) => File.ReadLines(Find(path));

    public static IEnumerable<string> ReadLines(string path, Encoding encoding) => File.ReadLines(Find(path), encoding);

    public static Task<string> ReadAllTextAsync(string path, CancellationToken cancellationToken) => File.ReadAllTextAsync(Find(path), cancellationToken);

    public static Task<string> ReadAllTextAsync(string path, Encoding encoding, CancellationToken cancellationToken) => File.ReadAllTextAsync(Find(path), encoding, cancellationToken);

    public static Task<byte[]> ReadAllBytesAsync(string path, CancellationToken cancellationToken) => File.ReadAllBytesAsync(Find(path), cancellationToken);

    public static Task<string[]> ReadAllLinesAsync(string path, CancellationToken cancellationToken) => File.ReadAllLinesAsync(Find(path), cancellationToken);

    public static Task<string[]> ReadAllLinesAsync(string path, Encoding encoding, CancellationToken cancellationToken) => File.ReadAllLinesAsync(Find(path), encoding, cancellationToken);

    public static IAsyncEnumerable<string> ReadLinesAsync(string path, CancellationToken cancellationToken) => File.ReadLinesAsync(Find(path), cancellationToken);

    public static IAsyncEnumerable<string> ReadLinesAsync(string path, Encoding encoding, CancellationToken cancellationToken) => File.ReadLinesAsync(Find(path), encoding, cancellationToken);

    public static void WriteAllText(string path, string? contents) => WriteAllText(path, contents, new UTF8Encoding(false));

    public static void WriteAllText(string path, string? contents, Encoding encoding) =>
        Vfs.WriteAtomically(Full(path), stream => WriteText(stream, contents ?? "", encoding));

    public static void WriteAllText(string path, ReadOnlySpan<char> contents) => WriteAllText(path, contents.ToString());

    public static void WriteAllText(string path, ReadOnlySpan<char> contents, Encoding encoding) => WriteAllText(path, contents.ToString(), encoding);

    public static void WriteAllBytes(string path, byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        Vfs.WriteAtomically(Full(path), stream => stream.Write(bytes));
    }

    public static void WriteAllBytes(string path, ReadOnlySpan<byte> bytes) => WriteAllBytes(path, bytes.ToArray());

    public static void WriteAllLines(string path, string[] contents) => WriteAllLines(path, (IEnumerable<string>)contents);

    public static void WriteAllLines(string path, IEnumerable<string> contents) => WriteAllLines(path, contents, new UTF8Encoding(false));

    public static void WriteAllLines(string path, string[] contents, Encoding encoding) => WriteAllLines(path, (IEnumerable<string>)contents, encoding);

    public static void WriteAllLines(string path, IEnumerable<string> contents, Encoding encoding) =>
        Vfs.WriteAtomically(Full(path), stream =>
        {
            using var writer = new StreamWriter(stream, encoding, leaveOpen: true);
            foreach (var line in contents)
            {
                writer.WriteLine(line);
            }
        });

    public static Task WriteAllTextAsync(string path, string? contents, CancellationToken cancellationToken) => Completed(cancellationToken, () => WriteAllText(path, contents));

    public static Task WriteAllTextAsync(string path, string? contents, Encoding encoding, CancellationToken cancellationToken) => Completed(cancellationToken, () => WriteAllText(path, contents, encoding));

    public static Task WriteAllTextAsync(string path, ReadOnlyMemory<char> contents, CancellationToken cancellationToken) => Completed(cancellationToken, () => WriteAllText(path, contents.Span));

    public static Task WriteAllTextAsync(string path, ReadOnlyMemory<char> contents, Encoding encoding, CancellationToken cancellationToken) => Completed(cancellationToken, () => WriteAllText(path, contents.Span, encoding));

    public static Task WriteAllBytesAsync(string path, byte[] bytes, CancellationToken cancellationToken) => Completed(cancellationToken, () => WriteAllBytes(path, bytes));

    public static Task WriteAllBytesAsync(string path, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken) => Completed(cancellationToken, () => WriteAllBytes(path, bytes.Span));

    public static Task WriteAllLinesAsync(string path, IEnumerable<string> contents, CancellationToken cancellationToken) =>
        WriteAllLinesAsync(path, contents, new UTF8Encoding(false), cancellationToken);

    public static Task WriteAllLinesAsync(string path, IEnumerable<string> contents, Encoding encoding, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(contents);
        return Completed(cancellationToken, () => WriteAllLines(path, contents, encoding));
    }

    public static void AppendAllText(string path, string? contents) => AppendAllText(path, contents, new UTF8Encoding(false));

    public static void AppendAllText(string path, string? contents, Encoding encoding)
    {
        using var stream = Vfs.OpenFile(Full(path), FileMode.Append, FileAccess.Write, FileShare.Read);
        WriteText(stream, contents ?? "", encoding);
    }

    public static void AppendAllText(string path, ReadOnlySpan<char> contents) => AppendAllText(path, contents.ToString());

    public static void AppendAllText(string path, ReadOnlySpan<char> contents, Encoding encoding) => AppendAllText(path, contents.ToString(), encoding);

    public static void AppendAllLines(string path, IEnumerable<string> contents)
    {
        using var writer = new StreamWriter(Vfs.OpenFile(Full(path), FileMode.Append, FileAccess.Write, FileShare.Read));
        foreach (var line in contents)
        {
            writer.WriteLine(line);
        }
    }

    public static void AppendAllLines(string path, IEnumerable<string> contents, Encoding encoding)
    {
        ArgumentNullException.ThrowIfNull(contents);
        ArgumentNullException.ThrowIfNull(encoding);
        using var writer = new StreamWriter(Vfs.OpenFile(Full(path), FileMode.Append, FileAccess.Write, FileShare.Read), encoding);
        foreach (var line in contents)
        {
            writer.WriteLine(line);
        }
    }

    public static void AppendAllBytes(string path, byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        AppendAllBytes(path, (ReadOnlySpan<byte>)bytes);
    }

    public static void AppendAllBytes(string path, ReadOnlySpan<byte> bytes)
    {
        using var stream = Vfs.OpenFile(Full(path), FileMode.Append, FileAccess.Write, FileShare.Read);
        stream.Write(bytes);
    }

    public static Task AppendAllTextAsync(string path, string? contents, CancellationToken cancellationToken) => Completed(cancellationToken, () => AppendAllText(path, contents));

    public static Task AppendAllTextAsync(string path, string? contents, Encoding encoding, CancellationToken cancellationToken) => Completed(cancellationToken, () => AppendAllText(path, contents, encoding));

    public static Task AppendAllTextAsync(string path, ReadOnlyMemory<char> contents, CancellationToken cancellationToken) => Completed(cancellationToken, () => AppendAllText(path, contents.Span));

    public static Task AppendAllTextAsync(string path, ReadOnlyMemory<char> contents, Encoding encoding, CancellationToken cancellationToken) => Completed(cancellationToken, () => AppendAllText(path, contents.Span, encoding));

    public static Task AppendAllLinesAsync(string path, IEnumerable<string> contents, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(contents);
        return Completed(cancellationToken, () => AppendAllLines(path, contents));
    }

    public static Task AppendAllLinesAsync(string path, IEnumerable<string> contents, Encoding encoding, CancellationToken cancellationToken) => Completed(cancellationToken, () => AppendAllLines(path, contents, encoding));

    public static Task AppendAllBytesAsync(string path, byte[] bytes, CancellationToken cancellationToken) => Completed(cancellationToken, () => AppendAllBytes(path, bytes));

    public static Task AppendAllBytesAsync(string path, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken) => Completed(cancellationToken, () => AppendAllBytes(path, bytes.Span));

    public static void Delete(string path) => Vfs.DeleteFile(Full(path));

    public static void Copy(string sourceFileName, string destFileName) => Copy(sourceFileName, destFileName, false);

    public static void Copy(string sourceFileName, string destFileName, bool overwrite) => Vfs.CopyFile(Full(sourceFileName), Full(destFileName), overwrite);

    public static void Move(string sourceFileName, string destFileName) => Move(sourceFileName, destFileName, false);

    public static void Move(string sourceFileName, string destFileName, bool overwrite) => Vfs.MoveFile(Full(sourceFileName), Full(destFileName), overwrite);

    public static void Replace(string sourceFileName, string destinationFileName, string? destinationBackupFileName) =>
        Replace(sourceFileName, destinationFileName, destinationBackupFileName, false);

    /// <summary>As on Unix: the destination is kept as the backup (when one is named), then the source is moved over
    /// the destination. Both steps are the virtual filesystem's copy and move, so they land on the write layer.</summary>
    public static void Replace(string sourceFileName, string destinationFileName, string? destinationBackupFileName, bool ignoreMetadataErrors)
    {
        _ = ignoreMetadataErrors;
        ArgumentNullException.ThrowIfNull(sourceFileName);
        ArgumentNullException.ThrowIfNull(destinationFileName);
        var source = Full(sourceFileName);
        var destination = Full(destinationFileName);
        if (!Vfs.FileExists(source) || !Vfs.FileExists(destination))
        {
            throw new FileNotFoundException("Unable to find the specified file.", Vfs.FileExists(source) ? destination : source);
        }
        if (destinationBackupFileName is not null)
        {
            Vfs.CopyFile(destination, Full(destinationBackupFileName), overwrite: true);
        }
        Vfs.MoveFile(source, destination, overwrite: true);
    }

    public static FileStream Open(string path, FileMode mode) =>
        Open(path, mode, mode == FileMode.Append ? FileAccess.Write : FileAccess.ReadWrite, FileShare.None);

    public static FileStream Open(string path, FileMode mode, FileAccess access) => Open(path, mode, access, FileShare.None);

    public static FileStream Open(string path, FileMode mode, FileAccess access, FileShare share) => Vfs.OpenFile(Full(path), mode, access, share);

    public static FileStream Open(string path, FileStreamOptions options) =>
        Vfs.OpenFile(Full(path), options.Mode, options.Access, options.Share, Math.Max(options.BufferSize, 1), options.Options);

    public static FileStream OpenRead(string path) => Open(path, FileMode.Open, FileAccess.Read, FileShare.Read);

    public static FileStream OpenWrite(string path) => Open(path, FileMode.OpenOrCreate, FileAccess.Write, FileShare.None);

    public static StreamReader OpenText(string path) => new(OpenRead(path));

    public static FileStream Create(string path) => Open(path, FileMode.Create, FileAccess.ReadWrite, FileShare.None);

    public static FileStream Create(string path, int bufferSize) => Vfs.OpenFile(Full(path), FileMode.Create, FileAccess.ReadWrite, FileShare.None, bufferSize);

    public static FileStream Create(string path, int bufferSize, FileOptions options) =>
        Vfs.OpenFile(Full(path), FileMode.Create, FileAccess.ReadWrite, FileShare.None, bufferSize, options);

    /// <summary>The handle of a file opened on the layer <see cref="VirtualFileSystem.OpenFile"/> chooses. The
    /// preallocation size is a hint the framework may ignore, and is ignored here.</summary>
    public static SafeFileHandle OpenHandle(string path, FileMode mode, FileAccess access, FileShare share, FileOptions options, long preallocationSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(preallocationSize);
        // Unbuffered, the stream is only the way to the handle: it is dropped undisposed, and the handle lives
        // until the caller disposes it (a finalized FileStream does not close its handle).
        var stream = Vfs.OpenFile(Full(path), mode, access, share, 1, options);
        GC.SuppressFinalize(stream);
        return stream.SafeFileHandle;
    }

    public static StreamWriter CreateText(string path) => new(Create(path));

    public static StreamWriter AppendText(string path) => new(Open(path, FileMode.Append, FileAccess.Write, FileShare.Read));

    public static FileAttributes GetAttributes(string path) =>
        File.GetAttributes(Vfs.FindEntry(Full(path)) ?? throw Vfs.Missing(Full(path)));

    public static void SetAttributes(string path, FileAttributes fileAttributes)
    {
        // Checked before the file is looked for, as the framework checks (FileInfo.IsReadOnly = false on a missing
        // file sets the attributes -1 without the read-only bit, and gets this error).
        const FileAttributes valid = FileAttributes.Archive | FileAttributes.Compressed | FileAttributes.Device | FileAttributes.Directory
            | FileAttributes.Encrypted | FileAttributes.Hidden | FileAttributes.IntegrityStream | FileAttributes.Normal | FileAttributes.NoScrubData
            | FileAttributes.NotContentIndexed | FileAttributes.Offline | FileAttributes.ReadOnly | FileAttributes.ReparsePoint
            | FileAttributes.SparseFile | FileAttributes.System | FileAttributes.Temporary;
        if ((fileAttributes & ~valid) != 0)
        {
            throw new ArgumentException("Invalid File or Directory attributes value.", nameof(fileAttributes));
        }
        File.SetAttributes(PrepareUpdate(path), fileAttributes);
    }

    [UnsupportedOSPlatform("windows")]
    public static UnixFileMode GetUnixFileMode(string path) =>
        File.GetUnixFileMode(Vfs.FindEntry(Full(path)) ?? throw Vfs.Missing(Full(path)));

    [UnsupportedOSPlatform("windows")]
    public static void SetUnixFileMode(string path, UnixFileMode mode) => File.SetUnixFileMode(PrepareUpdate(path), mode);

    [SupportedOSPlatform("windows")]
    public static void Encrypt(string path) => File.Encrypt(PrepareUpdate(path));

    [SupportedOSPlatform("windows")]
    public static void Decrypt(string path) => File.Decrypt(PrepareUpdate(path));

    /// <summary>Only the host can hold links (the sandbox and the package keep plain copies), so a link is looked
    /// for where the entry is found; a dangling host link is found too, as the framework finds it.</summary>
    public static FileSystemInfo? ResolveLinkTarget(string linkPath, bool returnFinalTarget) => File.ResolveLinkTarget(LinkEntry(linkPath), returnFinalTarget);

    public static DateTime GetLastWriteTime(string path) => File.GetLastWriteTime(Entry(path));

    public static DateTime GetLastWriteTimeUtc(string path) => File.GetLastWriteTimeUtc(Entry(path));

    public static DateTime GetCreationTime(string path) => File.GetCreationTime(Entry(path));

    public static DateTime GetCreationTimeUtc(string path) => File.GetCreationTimeUtc(Entry(path));

    public static DateTime GetLastAccessTime(string path) => File.GetLastAccessTime(Entry(path));

    public static DateTime GetLastAccessTimeUtc(string path) => File.GetLastAccessTimeUtc(Entry(path));

    public static void SetLastWriteTime(string path, DateTime lastWriteTime) => File.SetLastWriteTime(PrepareUpdate(path), lastWriteTime);

    public static void SetLastWriteTimeUtc(string path, DateTime lastWriteTimeUtc) => File.SetLastWriteTimeUtc(PrepareUpdate(path), lastWriteTimeUtc);

    public static void SetCreationTime(string path, DateTime creationTime) => File.SetCreationTime(PrepareUpdate(path), creationTime);

    public static void SetCreationTimeUtc(string path, DateTime creationTimeUtc) => File.SetCreationTimeUtc(PrepareUpdate(path), creationTimeUtc);

    public static void SetLastAccessTime(string path, DateTime lastAccessTime) => File.SetLastAccessTime(PrepareUpdate(path), lastAccessTime);

    public static void SetLastAccessTimeUtc(string path, DateTime lastAccessTimeUtc) => File.SetLastAccessTimeUtc(PrepareUpdate(path), lastAccessTimeUtc);

    /// <summary>A missing entry reads as 1601-01-01 UTC, as <c>File.GetLastWriteTimeUtc</c> reports it;
    /// a path that exists nowhere is handed to the framework in the sandbox, where it does not exist either.</summary>
    internal static string Entry(string path) => Vfs.FindEntry(Full(path)) ?? Vfs.Resolve(Full(path)).SandboxPath;

    /// <summary>The entry a link question is asked of: the file or folder found, or a dangling link on the host.</summary>
    internal static string LinkEntry(string path) => LinkEntryOrNull(path) ?? throw Vfs.Missing(Full(path));

    /// <summary><see cref="LinkEntry"/>, or null when there is no entry.</summary>
    internal static string? LinkEntryOrNull(string path)
    {
        var full = Full(path);
        if (Vfs.FindEntry(full) is { } found)
        {
            return found;
        }
        var target = Vfs.Resolve(full);
        return target.HostVisible && new FileInfo(target.HostPath).LinkTarget is not null ? target.HostPath : null;
    }

    /// <summary>The physical entry whose attributes, times or mode an update changes: a file is copied to the
    /// write layer first (copy-on-write); a folder's existence is copied up, keeping its last-write time, as a
    /// file's copy keeps it. The framework's <c>File</c> and <c>Directory</c> setters both accept either kind.</summary>
    internal static string PrepareUpdate(string path)
    {
        var full = Full(path);
        if (Vfs.FindFile(full) is not null)
        {
            return Vfs.PrepareWrite(full, keepContent: true);
        }
        var target = Vfs.Resolve(full);
        if (Vfs.FindDirectory(target) is not { } lower)
        {
            throw Vfs.Missing(full);
        }
        var physical = Vfs.PrepareWrite(full, keepContent: false);
        if (!Directory.Exists(physical))
        {
            Directory.CreateDirectory(physical);
            // A macro folder that exists only in the virtual view has no time to keep.
            if (Directory.Exists(lower))
            {
                Directory.SetLastWriteTimeUtc(physical, Directory.GetLastWriteTimeUtc(lower));
            }
        }
        return physical;
    }

    private static void WriteText(Stream stream, string contents, Encoding encoding)
    {
        using var writer = new StreamWriter(stream, encoding, leaveOpen: true);
        writer.Write(contents);
    }

    /// <summary>The asynchronous writes: done, whole and atomic, before the task is returned, after the
    /// cancellation check the framework's own versions make first.</summary>
    private static Task Completed(CancellationToken cancellationToken, Action write)
    {
        cancellationToken.ThrowIfCancellationRequested();
        write();
        return Task.CompletedTask;
    }
}
