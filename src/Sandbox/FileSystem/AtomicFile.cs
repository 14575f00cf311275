namespace VirtualizationWorkbench.Sandbox.FileSystem;

/// <summary>Whole-file writes that land all at once: the content goes to a temporary file beside the target,
/// which is then renamed over it. A crash leaves the old file or the new one, and at worst a stray temporary
/// file, never a half-written target. Otherwise the write behaves as writing the file in place would: the file
/// keeps its permissions, and on request a symbolic link is written through (the link stays, its target changes).</summary>
public static class AtomicFile
{
    /// <summary>Writes <paramref name="path"/> with what <paramref name="write"/> puts into the stream.</summary>
    /// <param name="path">The file to write.</param>
    /// <param name="write">Writes the new content.</param>
    /// <param name="throughLinks">When <paramref name="path"/> is a symbolic link, write the file it leads to (as
    /// writing in place would), rather than replace the link with a file. Only for the host's own files: in the
    /// sandbox a link may have been planted to lead out of it, and is replaced.</param>
    public static void Write(string path, Action<Stream> write, bool throughLinks = false)
    {
        if (throughLinks)
        {
            path = FinalTarget(path);
        }
        var temporary = TemporaryNameFor(path);
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                write(stream);
                // No fsync: rename alone makes a killed writer leave the old file or the new one; durability across a
                // power cut would cost a disk flush per write, more than the whole write of a small file.
                stream.Flush();
            }
            KeepPermissions(path, temporary);
            File.Move(temporary, path, overwrite: true);
        }
        catch (DirectoryNotFoundException e)
        {
            throw MissingFolder(path, e);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }

    /// <summary>Writes text as UTF-8 without a byte-order mark.</summary>
    public static void WriteAllText(string path, string text) =>
        Write(path, stream =>
        {
            using var writer = new StreamWriter(stream, leaveOpen: true);
            writer.Write(text);
        });

    /// <summary>Copies <paramref name="source"/> to <paramref name="destination"/>, keeping the source's
    /// last-write time, so that a copy-on-write copy looks like the file it copies.</summary>
    public static void Copy(string source, string destination)
    {
        var temporary = TemporaryNameFor(destination);
        try
        {
            File.Copy(source, temporary);
            File.SetLastWriteTimeUtc(temporary, File.GetLastWriteTimeUtc(source));
            File.Move(temporary, destination, overwrite: true);
        }
        catch (DirectoryNotFoundException e)
        {
            throw MissingFolder(destination, e);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }

    /// <summary>The file a write of <paramref name="path"/> changes: the final target when it is a symbolic link
    /// (renaming over the link would replace the link and leave its target as it was).</summary>
    private static string FinalTarget(string path)
    {
        var file = new FileInfo(path);
        return file.LinkTarget is not null && file.ResolveLinkTarget(returnFinalTarget: true) is { } target ? target.FullName : path;
    }

    /// <summary>Gives the new content the permissions of the file it replaces (a fresh file would get the
    /// default ones, opening a private file to other users).</summary>
    private static void KeepPermissions(string path, string temporary)
    {
        if (!OperatingSystem.IsWindows() && File.Exists(path))
        {
            File.SetUnixFileMode(temporary, File.GetUnixFileMode(path));
        }
    }

    // The framework's message names the temporary file, which the user never asked for; name the target's folder.
    // Nothing was created, as the folder the temporary file would go in does not exist.
    private static DirectoryNotFoundException MissingFolder(string path, DirectoryNotFoundException inner) =>
        new($"Cannot write '{path}': the folder '{Path.GetDirectoryName(Path.GetFullPath(path))}' does not exist; create it first or write somewhere else.", inner);

    /// <summary>A name beside <paramref name="path"/> that no other writer uses; it starts with ".~" so listings
    /// of the sandbox can tell it from the application's files.</summary>
    public static string TemporaryNameFor(string path) =>
        Path.Combine(Path.GetDirectoryName(path) ?? ".", $".~{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");

    /// <summary>Whether a file name is one of the temporary names above.</summary>
    public static bool IsTemporaryName(string name) => name.StartsWith(".~", StringComparison.Ordinal) && name.EndsWith(".tmp", StringComparison.Ordinal);
}
