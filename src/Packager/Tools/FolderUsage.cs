namespace VirtualizationWorkbench.Packager.Tools;

/// <summary>What a folder of the workbench's own (an extraction, a sandbox) takes on disk: the bytes of every file
/// below it, hidden ones included, links not followed, and when one was last written.</summary>
/// <param name="Bytes">The files' total size.</param>
/// <param name="LastWrite">The newest file's last write (UTC), or null when the folder holds no file.</param>
public readonly record struct FolderUsage(long Bytes, DateTime? LastWrite)
{
    /// <summary>The usage of <paramref name="folder"/>; folders that cannot be read are left out.</summary>
    public static FolderUsage Of(string folder)
    {
        long bytes = 0;
        DateTime? last = null;
        foreach (var file in new DirectoryInfo(folder).EnumerateFiles("*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0, IgnoreInaccessible = true }))
        {
            bytes += file.Length;
            if (last is null || file.LastWriteTimeUtc > last) last = file.LastWriteTimeUtc;
        }
        return new FolderUsage(bytes, last);
    }
}
