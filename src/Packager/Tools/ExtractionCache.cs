using VirtualizationWorkbench.Packager.Running;

namespace VirtualizationWorkbench.Packager.Tools;

/// <summary>One extraction in the cache: a package's files as <c>app run</c> runs them, kept per content id.</summary>
/// <param name="Id">The package's content id.</param>
/// <param name="Folder">The extraction's folder.</param>
/// <param name="Bytes">What it takes on disk.</param>
/// <param name="Packages">The package files known to be this content now (those a start recorded and that have
/// not changed since); none means no package file on this machine is known to use it.</param>
public sealed record Extraction(string Id, string Folder, long Bytes, IReadOnlyList<string> Packages);

/// <summary>
/// The extraction cache (<c>extracted/</c> in the workbench's data folder): every package that was run is kept
/// extracted by content, so the next start skips the unzipping. <see cref="Collect"/> removes the extractions no
/// package file uses any more (deleted, or rebuilt into other content), as <c>app gc</c>; what a package uses is
/// known from the stamps its starts leave (<see cref="PackageStamp"/>).
/// </summary>
public static class ExtractionCache
{
    /// <summary>The cache's folder.</summary>
    public static string Folder => Path.GetDirectoryName(SandboxLocation.PackageCache("x"))!;

    /// <summary>Every extraction, with the package files that use it.</summary>
    public static IReadOnlyList<Extraction> List()
    {
        if (!Directory.Exists(Folder))
        {
            return [];
        }
        var users = PackageStamp.All().Where(stamp => stamp.Holds)
            .GroupBy(stamp => stamp.PackageId, StringComparer.Ordinal)
            .ToDictionary(group => group.Key, group => (IReadOnlyList<string>)[.. group.Select(stamp => stamp.PackagePath).Order(StringComparer.Ordinal)], StringComparer.Ordinal);
        return [.. Directory.EnumerateDirectories(Folder)
            .Select(folder => Path.GetFileName(folder))
            // Extractions are named by their 16-digit id; anything else (a temporary or a changed folder being
            // removed by a start right now) is not one.
            .Where(name => name.Length == 16 && name.All(Uri.IsHexDigit))
            .Order(StringComparer.Ordinal)
            .Select(id => new Extraction(id, Path.Combine(Folder, id), FolderUsage.Of(Path.Combine(Folder, id)).Bytes, users.GetValueOrDefault(id) ?? []))];
    }

    /// <summary>Removes the extractions no package file uses (or, with <paramref name="dryRun"/>, only says which)
    /// and the stamps that no longer hold. Each is renamed aside before it is deleted, so a start at the same
    /// moment never sees half of one: it extracts its package again. Returns the extractions removed.</summary>
    public static IReadOnlyList<Extraction> Collect(bool dryRun)
    {
        var unused = List().Where(extraction => extraction.Packages.Count == 0).ToList();
        if (dryRun)
        {
            return unused;
        }
        foreach (var extraction in unused)
        {
            var aside = $"{extraction.Folder}.{Guid.NewGuid():N}.changed";
            try
            {
                Directory.Move(extraction.Folder, aside);
            }
            catch (DirectoryNotFoundException)
            {
                continue;
            }
            Directory.Delete(aside, recursive: true);
        }
        foreach (var stamp in PackageStamp.All().Where(stamp => !stamp.Holds))
        {
            File.Delete(stamp.StampFile);
        }
        return unused;
    }
}
