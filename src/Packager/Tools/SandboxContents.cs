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

    /// <summary>The files the application wrote, by location key, with their sizes: those the rewritten calls
    /// wrote (<c>files/</c>) and those that reached the kernel's overlay layers (<c>kernel/</c>, written by native
    /// code or child processes); where both hold a location, the rewritten calls' copy is the one the application
    /// reads first, so it is the one listed.</summary>
    public IReadOnlyList<(string Key, long Size)> ChangedFiles() => [.. ChangedFilePaths().Select(entry => (entry.Key, entry.Value.Size))];

    /// <summary>The locations whose package and host contents the application deleted: those in
    /// <c>deleted.txt</c> and the kernel layers' whiteouts and opaque folders.</summary>
    public IReadOnlyList<string> DeletedLocations()
    {
        if (!Exists)
        {
            return [];
        }
        var deleted = new SortedSet<string>(new SandboxLayer(Folder).HiddenKeys, StringComparer.Ordinal);
        deleted.UnionWith(KernelLayer.Changes(Folder).Deleted);
        return [.. deleted];
    }

    /// <summary>The files the application wrote at <paramref name="location"/> (a file) or below it (a folder),
    /// by location key, with their copies in the sandbox and their sizes.</summary>
    public IReadOnlyList<(string Key, string PhysicalPath, long Size)> WrittenAt(VirtualLocation location)
    {
        var prefix = location.Key + "/";
        return [.. ChangedFilePaths()
            .Where(entry => string.Equals(entry.Key, location.Key, FolderMacros.PathComparison) || entry.Key.StartsWith(prefix, FolderMacros.PathComparison))
            .Select(entry => (entry.Key, entry.Value.Path, entry.Value.Size))];
    }

    private SortedDictionary<string, (string Path, long Size)> ChangedFilePaths()
    {
        var changed = new SortedDictionary<string, (string Path, long Size)>(StringComparer.Ordinal);
        foreach (var change in KernelLayer.Changes(Folder).Written)
        {
            changed[change.Key] = (change.PhysicalPath!, change.Size);
        }
        var files = Path.Combine(Folder, "files");
        if (Directory.Exists(files))
        {
            foreach (var path in Directory.EnumerateFiles(files, "*", SearchOption.AllDirectories))
            {
                if (!AtomicFile.IsTemporaryName(Path.GetFileName(path)))
                {
                    changed[Path.GetRelativePath(files, path).Replace(Path.DirectorySeparatorChar, '/')] = (path, new FileInfo(path).Length);
                }
            }
        }
        return changed;
    }

    /// <summary>The registry changes as a <c>.reg</c> document (empty when there are none), read from the journal
    /// without writing anything.</summary>
    public RegFileDocument RegistryChanges() => Exists ? RegistryJournal.ReadChanges(Folder).ToDocument() : new RegFileDocument();

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
        foreach (var (key, (path, _)) in ChangedFilePaths())
        {
            files[key] = path;
        }
        var hive = new RegistryTree();
        hive.Apply(package.Registry, asChanges: false);
        // The application's own view (package hive under the sandbox's changes) is exactly the merged registry.
        var merged = new VirtualRegistry(hive);
        merged.Changes.Apply(RegistryChanges(), asChanges: true);
        new PackageSource { Settings = package.Settings, Files = files, Registry = merged.Snapshot().ToDocument() }.WriteProject(projectFolder);
    }
}
