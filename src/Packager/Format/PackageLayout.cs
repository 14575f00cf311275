namespace VirtualizationWorkbench.Packager.Format;

/// <summary>The entry names of the package format (docs/packager.md, "The package format").</summary>
public static class PackageLayout
{
    /// <summary>The settings.</summary>
    public const string Settings = "Package.ini";

    /// <summary>The package's registry hive, a version 5 <c>.reg</c> file.</summary>
    public const string Registry = "registry.reg";

    /// <summary>The rewrite report, as text.</summary>
    public const string Report = "rewrite-report.txt";

    /// <summary>The folder of the application's files, one subfolder per macro.</summary>
    public const string FilesPrefix = "files/";

    /// <summary>In an extracted package (the package cache), the folder beside the macro folders that holds the
    /// package's own <see cref="Settings"/>, <see cref="Registry"/> and <see cref="ExtractedFileList"/>, so that a
    /// start can use the extraction without reopening the package.</summary>
    public const string ExtractedMetadata = ".package";

    /// <summary>In <see cref="ExtractedMetadata"/>, the keys of the application's files, each ended by a NUL
    /// character (the one character no file name holds).</summary>
    public const string ExtractedFileList = "files";

    /// <summary>Every entry's time stamp, fixed so that the same input gives the same bytes.</summary>
    public static readonly DateTimeOffset EntryTime = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Why an entry name is unsafe to extract, or null when it is safe: no absolute path, no drive, no
    /// backslash, no empty, <c>.</c> or <c>..</c> segment (the "zip-slip" family).</summary>
    public static string? Unsafe(string entryName)
    {
        if (entryName.Length == 0)
        {
            return "an empty name";
        }
        if (entryName[0] == '/' || (entryName.Length > 1 && entryName[1] == ':'))
        {
            return "an absolute path";
        }
        if (entryName.Contains('\\', StringComparison.Ordinal))
        {
            return "a backslash";
        }
        if (entryName.Contains('\0', StringComparison.Ordinal))
        {
            return "a NUL character";
        }
        return entryName.Split('/').Any(segment => segment is "" or "." or "..") ? "a '..', '.' or empty segment" : null;
    }
}
