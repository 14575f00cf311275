using System.IO.Compression;

namespace VirtualizationWorkbench.Sandbox.Redirects;

/// <summary>Stands in for <see cref="ZipFile"/>: archives are read and written through the virtual filesystem.</summary>
[RedirectsCallsTo(typeof(ZipFile))]
public static class ZipFileRedirects
{
    public static ZipArchive OpenRead(string archiveFileName) => new(FileRedirects.OpenRead(archiveFileName), ZipArchiveMode.Read);

    public static ZipArchive Open(string archiveFileName, ZipArchiveMode mode) => mode switch
    {
        ZipArchiveMode.Read => OpenRead(archiveFileName),
        ZipArchiveMode.Create => new ZipArchive(FileRedirects.Open(archiveFileName, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None), mode),
        _ => new ZipArchive(FileRedirects.Open(archiveFileName, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None), mode),
    };

    public static void ExtractToDirectory(string sourceArchiveFileName, string destinationDirectoryName) =>
        ExtractToDirectory(sourceArchiveFileName, destinationDirectoryName, false);

    public static void ExtractToDirectory(string sourceArchiveFileName, string destinationDirectoryName, bool overwriteFiles)
    {
        using var archive = OpenRead(sourceArchiveFileName);
        ZipFileExtensionsRedirects.ExtractToDirectory(archive, destinationDirectoryName, overwriteFiles);
    }

    public static void CreateFromDirectory(string sourceDirectoryName, string destinationArchiveFileName)
    {
        var source = FileRedirects.Full(sourceDirectoryName);
        using var archive = new ZipArchive(FileRedirects.Open(destinationArchiveFileName, FileMode.CreateNew, FileAccess.Write, FileShare.None), ZipArchiveMode.Create);
        foreach (var file in DirectoryRedirects.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            ZipFileExtensionsRedirects.CreateEntryFromFile(archive, file, Path.GetRelativePath(source, file).Replace(Path.DirectorySeparatorChar, '/'));
        }
    }
}

/// <summary>Stands in for <see cref="ZipFileExtensions"/>' path-taking members.</summary>
[RedirectsCallsTo(typeof(ZipFileExtensions))]
public static class ZipFileExtensionsRedirects
{
    public static void ExtractToFile(ZipArchiveEntry source, string destinationFileName) => ExtractToFile(source, destinationFileName, false);

    public static void ExtractToFile(ZipArchiveEntry source, string destinationFileName, bool overwrite)
    {
        using var input = source.Open();
        using var output = FileRedirects.Open(destinationFileName, overwrite ? FileMode.Create : FileMode.CreateNew, FileAccess.Write, FileShare.None);
        input.CopyTo(output);
    }

    public static void ExtractToDirectory(ZipArchive source, string destinationDirectoryName) => ExtractToDirectory(source, destinationDirectoryName, false);

    public static void ExtractToDirectory(ZipArchive source, string destinationDirectoryName, bool overwriteFiles)
    {
        var root = FileRedirects.Full(destinationDirectoryName);
        foreach (var entry in source.Entries)
        {
            var target = Path.GetFullPath(Path.Combine(root, entry.FullName));
            // The same zip-slip rule as the framework's: no entry may land outside the destination.
            if (!target.StartsWith(Path.TrimEndingDirectorySeparator(root) + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            {
                throw new IOException($"Extracting Zip entry would have resulted in a file outside the specified destination directory: {entry.FullName}");
            }
            if (entry.FullName.EndsWith('/'))
            {
                DirectoryRedirects.CreateDirectory(target);
                continue;
            }
            DirectoryRedirects.CreateDirectory(Path.GetDirectoryName(target)!);
            ExtractToFile(entry, target, overwriteFiles);
        }
    }

    public static ZipArchiveEntry CreateEntryFromFile(ZipArchive destination, string sourceFileName, string entryName)
    {
        var entry = destination.CreateEntry(entryName);
        using var input = FileRedirects.OpenRead(sourceFileName);
        using var output = entry.Open();
        input.CopyTo(output);
        return entry;
    }
}
