using VirtualizationWorkbench.Packager.Building;
using VirtualizationWorkbench.Packager.Format;
using VirtualizationWorkbench.Packager.Running;
using VirtualizationWorkbench.Sandbox.FileSystem;
using VirtualizationWorkbench.Sandbox.Paths;
using VirtualizationWorkbench.Sandbox.Registry;

namespace VirtualizationWorkbench.Packager.Tools;

/// <summary>A package's sandbox seen from outside the application: what it changed (files written, locations
/// deleted, registry changes), and the two ways to end that state: reset (forget it) and merge (fold it into a
/// package project, from which a new package is built).</summary>
public sealed class SandboxContents
{
    private SandboxContents(string folder)
    {
        Folder = folder;
    }

    /// <summary>The sandbox folder.</summary>
    public string Folder { get; }

    /// <summary>Whether the sandbox exists yet (it is made on the first run).</summary>
    public bool Exists => Directory.Exists(Folder);

    /// <summary>The sandbox of <paramref name="package"/> (or <paramref name="sandboxOverride"/>).</summary>
    public static SandboxContents Of(PackageFile package, string? sandboxOverride) =>
        new(SandboxLocation.For(package.Settings, package.Path, sandboxOverride));

    /// <summary>The files the application wrote, by location key, with their sizes.</summary>
    public IReadOnlyList<(string Key, long Size)> ChangedFiles()
    {
        var files = Path.Combine(Folder, "files");
        if (!Directory.Exists(files))
        {
            return [];
        }
        return [.. Directory.EnumerateFiles(files, "*", SearchOption.AllDirectories)
            .Where(path => !AtomicFile.IsTemporaryName(Path.GetFileName(path)))
            .Select(path => (Path.GetRelativePath(files, path).Replace(Path.DirectorySeparatorChar, '/'), new FileInfo(path).Length))
            .OrderBy(entry => entry.Item1, StringComparer.Ordinal)];
    }

    /// <summary>The locations whose package and host contents the application deleted.</summary>
    public IReadOnlyList<string> DeletedLocations() => Exists ? [.. new SandboxLayer(Folder).HiddenKeys.Order(StringComparer.Ordinal)] : [];

    /// <summary>The registry changes as <c>.reg</c> text (empty when there are none).</summary>
    public RegFileDocument RegistryChanges()
    {
        var path = Path.Combine(Folder, "registry.reg");
        return File.Exists(path) ? RegFileParser.ParseFile(path) : new RegFileDocument();
    }

    /// <summary>Forgets every change: the next run starts from the package as built.</summary>
    /// <exception cref="IOException">The folder is not a sandbox (it holds other files).</exception>
    public void Reset()
    {
        if (Exists)
        {
            new SandboxLayer(Folder).Clear();
        }
    }

    /// <summary>Writes <paramref name="package"/> as a project folder with this sandbox's changes folded in:
    /// written files replace or join the package's, deleted locations leave it, registry changes apply to its
    /// hive. <c>workbench build</c> on the folder then makes a package that starts where the sandbox left off.</summary>
    public void MergeInto(PackageFile package, string projectFolder, string extractedFolder)
    {
        package.ExtractTo(extractedFolder);
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var key in package.FileKeys)
        {
            var location = VirtualLocation.ParseKey(key);
            files[key] = Path.Combine(extractedFolder, location.Macro, location.Relative.Replace('/', Path.DirectorySeparatorChar));
        }
        foreach (var deleted in DeletedLocations())
        {
            foreach (var key in files.Keys.Where(key => key == deleted || key.StartsWith(deleted + "/", StringComparison.Ordinal)).ToList())
            {
                files.Remove(key);
            }
        }
        foreach (var (key, _) in ChangedFiles())
        {
            files[key] = Path.Combine(Folder, "files", key.Replace('/', Path.DirectorySeparatorChar));
        }
        var hive = new RegistryTree();
        hive.Apply(package.Registry, asChanges: false);
        // The application's own view (package hive under the sandbox's changes) is exactly the merged registry.
        var changesFile = Path.Combine(Folder, "registry.reg");
        var merged = new VirtualRegistry(hive, File.Exists(changesFile) ? changesFile : null);
        new PackageSource { Settings = package.Settings, Files = files, Registry = merged.Snapshot().ToDocument() }.WriteProject(projectFolder);
    }
}
