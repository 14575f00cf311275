using VirtualizationWorkbench.Sandbox.FileSystem;

namespace VirtualizationWorkbench.Packager.Running;

/// <summary>Which extraction a package file was last found to be, keyed by the file's full path and valid only
/// while its length and modification time stay as they were: a start that finds a valid stamp runs the checked
/// extraction without reopening the package (the zip, its manifest and its hashes cost more than the rest of a
/// start). Any change to the file, a missing extraction or an unreadable stamp means a full open.</summary>
internal static class PackageStamp
{
    private const string Format = "vwb-stamp/1";

    /// <summary>The package id the stamp names, or null when there is no stamp for this file as it is now.</summary>
    public static string? Find(string fullPath, FileInfo file)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllText(PathFor(fullPath)).Split('\n');
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
        return lines.Length >= 5 && lines[0] == Format && lines[1] == fullPath && lines[2] == Stat(file) && lines[3] == file.LastWriteTimeUtc.Ticks.ToString(System.Globalization.CultureInfo.InvariantCulture)
            ? lines[4]
            : null;
    }

    /// <summary>Records that the file, as <paramref name="file"/> saw it before it was opened, is the package
    /// <paramref name="packageId"/>. A stamp that cannot be written only costs the next start a full open.</summary>
    public static void Write(string fullPath, FileInfo file, string packageId)
    {
        var text = string.Join('\n', Format, fullPath, Stat(file), file.LastWriteTimeUtc.Ticks.ToString(System.Globalization.CultureInfo.InvariantCulture), packageId, "");
        try
        {
            var stamp = PathFor(fullPath);
            Directory.CreateDirectory(Path.GetDirectoryName(stamp)!);
            AtomicFile.WriteAllText(stamp, text);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }

    private static string Stat(FileInfo file) => file.Length.ToString(System.Globalization.CultureInfo.InvariantCulture);

    // Named by a 64-bit FNV-1a hash of the path: stable across processes (string.GetHashCode is not), and free of
    // the cryptographic library whose first load alone costs a start 5 ms. The full path inside guards against
    // the rare collision.
    private static string PathFor(string fullPath)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in fullPath)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }
        return Path.Combine(SandboxLocation.DataRoot, "stamps", hash.ToString("x16", System.Globalization.CultureInfo.InvariantCulture));
    }
}
