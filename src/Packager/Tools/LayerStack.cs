using VirtualizationWorkbench.Packager.Format;
using VirtualizationWorkbench.Sandbox.FileSystem;
using VirtualizationWorkbench.Sandbox.Paths;

namespace VirtualizationWorkbench.Packager.Tools;

/// <summary>The layer a packaged application's read of a file is served from.</summary>
public enum VisibleLayer
{
    /// <summary>None: the application sees no file there (never had one, deleted it, or isolation hides the host's).</summary>
    None,
    /// <summary>The sandbox: the application's own changes, on top of everything.</summary>
    Sandbox,
    /// <summary>The package: the files captured when it was built, read-only.</summary>
    Package,
    /// <summary>The host's real file, where the folder's isolation mode lets the application see it.</summary>
    Host,
}

/// <summary>One location as the three layers hold it, and which of them the application reads.</summary>
/// <param name="Key">The location, as the package names it (<c>%AppData%/Notes/settings.json</c>).</param>
/// <param name="Mode">The isolation mode of its folder.</param>
/// <param name="InSandbox">Whether the application wrote it (its sandbox holds a copy).</param>
/// <param name="InPackage">Whether the package carries a file there.</param>
/// <param name="OnHost">Whether the host has a file there (visible to the application or not).</param>
/// <param name="Deleted">Whether the application deleted it: the package's and the host's files are hidden.</param>
/// <param name="Serves">The layer a read is served from.</param>
public readonly record struct LayeredFile(string Key, IsolationMode Mode, bool InSandbox, bool InPackage, bool OnHost, bool Deleted, VisibleLayer Serves);

/// <summary>
/// A package's layers side by side, as ThinApp's documentation draws them: the sandbox above the package above the
/// host, with each folder's isolation mode deciding whether the host shows through. For every file the package or
/// the sandbox holds, and every host file in the package's folders, it says which layer the application's read is served from, by the same rule <c>app run</c> applies
/// (<see cref="VirtualFileSystem.FindFile(in VirtualFileSystem.Target)"/>). Reading it changes nothing: a sandbox
/// that does not exist yet is not made.
/// </summary>
public static class LayerStack
{
    /// <summary>The most host files listed from one folder of the package.</summary>
    public const int HostFilesPerFolder = 200;

    /// <summary>The layers of <paramref name="package"/> with <paramref name="sandbox"/>'s changes, on this machine's
    /// folders, sorted by location.</summary>
    public static IReadOnlyList<LayeredFile> Of(PackageFile package, SandboxContents sandbox) =>
        Of(package, sandbox, FolderMacros.ForThisMachine());

    /// <summary>The layers with the host folders <paramref name="macros"/> gives.</summary>
    public static IReadOnlyList<LayeredFile> Of(PackageFile package, SandboxContents sandbox, FolderMacros macros) =>
        Of([.. package.FileKeys], package.Settings.IsolationPolicy, sandbox, macros);

    /// <summary>The layers of a package with these files (<paramref name="fileKeys"/>, as
    /// <see cref="PackageFile.FileKeys"/> lists them) and isolation rules (<paramref name="policy"/>).</summary>
    /// <param name="fileKeys">The package's files.</param>
    /// <param name="policy">Its isolation rules.</param>
    /// <param name="sandbox">Its sandbox, or null for the package as built (no changes).</param>
    /// <param name="macros">This machine's folders.</param>
    public static IReadOnlyList<LayeredFile> Of(IReadOnlyCollection<string> fileKeys, IsolationPolicy policy, SandboxContents? sandbox, FolderMacros macros)
    {
        // The package's files are only looked up, never opened: where the extraction would put them does not matter.
        var packageLayer = new PackageLayer(Path.Combine(Path.GetTempPath(), "vwb-layers-unextracted"), fileKeys, macros);
        var sandboxLayer = sandbox is { Exists: true } ? new SandboxLayer(sandbox.Folder) : null;
        var fileSystem = sandboxLayer is null ? null : new VirtualFileSystem(macros, policy, packageLayer, sandboxLayer);
        var written = (sandbox?.ChangedFiles() ?? []).Select(c => c.Key).ToHashSet(StringComparer.Ordinal);
        var noSandbox = Path.Combine(Path.GetTempPath(), "vwb-layers-no-sandbox");

        var keys = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var key in fileKeys)
        {
            var stored = VirtualLocation.ParseKey(key);
            // A file under a folder this machine does not have (a Windows-only macro on Linux) is in no layer here.
            if (macros.HostFolder(stored.Macro) is not null) keys.Add(macros.Locate(macros.HostPath(stored)).Key);
        }
        // The host's files beside the package's, one folder deep: what shows through where isolation lets it (and,
        // under full isolation, what it hides). Not the macro folders themselves: a package with a file in
        // %AppData% would list the user's whole AppData.
        var folders = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var key in keys)
        {
            var parent = VirtualLocation.ParseKey(key).Parent;
            if (parent is { Relative.Length: > 0 } folder) folders.Add(folder.Key);
        }
        foreach (var folder in folders)
        {
            var hostFolder = macros.HostPath(VirtualLocation.ParseKey(folder));
            if (!Directory.Exists(hostFolder)) continue;
            foreach (var file in Directory.EnumerateFiles(hostFolder).Take(HostFilesPerFolder)) keys.Add(folder + "/" + Path.GetFileName(file));
        }
        keys.UnionWith(written);
        keys.UnionWith(sandbox?.DeletedLocations() ?? []);

        var rows = new List<LayeredFile>(keys.Count);
        foreach (var key in keys)
        {
            var location = VirtualLocation.ParseKey(key);
            if (macros.HostFolder(location.Macro) is null) continue;
            var hostPath = macros.HostPath(location);
            var target = fileSystem?.Resolve(hostPath)
                ?? new VirtualFileSystem.Target(location, policy.ModeOf(location), hostPath, Path.Combine(noSandbox, location.Macro, location.Relative), packageLayer.FindFile(location), LowerHidden: false);
            var inSandbox = written.Contains(key) || File.Exists(target.SandboxPath);
            var served = VirtualFileSystem.FindFile(target);
            var serves = inSandbox ? VisibleLayer.Sandbox
                : served is null ? VisibleLayer.None
                : served == target.PackagePath ? VisibleLayer.Package
                : VisibleLayer.Host;
            rows.Add(new LayeredFile(key, target.Mode, inSandbox, packageLayer.FindFile(location) is not null, File.Exists(hostPath), target.LowerHidden, serves));
        }
        return rows;
    }
}
