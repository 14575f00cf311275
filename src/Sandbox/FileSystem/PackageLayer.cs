using VirtualizationWorkbench.Sandbox.Paths;

namespace VirtualizationWorkbench.Sandbox.FileSystem;

/// <summary>The package's files, read-only: an index of locations kept in memory (so a lookup that misses the
/// package costs no filesystem call) over the folder the package was extracted to.</summary>
public sealed class PackageLayer
{
    private readonly Dictionary<string, string> _files = new(FolderMacros.PathComparer);
    private readonly Dictionary<string, SortedDictionary<string, bool>> _children = new(FolderMacros.PathComparer);
    private readonly List<string> _unplaced = [];

    /// <summary>Indexes the package files extracted under <paramref name="root"/>.</summary>
    /// <param name="root">The extraction folder: one subfolder per macro, as in the package.</param>
    /// <param name="fileKeys">The keys of the package's files (<c>%AppData%/App/x.json</c>).</param>
    /// <param name="macros">This machine's macros; files are indexed at their location here, so a file stored
    /// under <c>%Personal%</c> is found at the home folder on Linux, where <c>%Profile%</c> names it.</param>
    public PackageLayer(string root, IEnumerable<string> fileKeys, FolderMacros macros)
    {
        Root = Path.GetFullPath(root);
        foreach (var key in fileKeys)
        {
            var stored = VirtualLocation.ParseKey(key);
            if (macros.HostFolder(stored.Macro) is null)
            {
                _unplaced.Add(key);
                continue;
            }
            var location = macros.Locate(macros.HostPath(stored));
            _files[location.Key] = Path.Combine(Root, stored.Macro, stored.Relative.Replace('/', Path.DirectorySeparatorChar));
            for (var child = location; child.Parent is { } parent; child = parent)
            {
                if (!_children.TryGetValue(parent.Key, out var names))
                {
                    names = new SortedDictionary<string, bool>(FolderMacros.PathComparer);
                    _children[parent.Key] = names;
                }
                names[child.Name] = child.Key != location.Key;
            }
        }
    }

    /// <summary>A layer with no files.</summary>
    public static PackageLayer Empty(FolderMacros macros) =>
        new(Path.Combine(Path.GetTempPath(), $"vwb-no-package-{Guid.NewGuid():N}"), [], macros);

    /// <summary>The extraction folder.</summary>
    public string Root { get; }

    /// <summary>Package files whose macro has no folder on this platform (a Windows-only <c>%SystemRoot%</c> file
    /// on Linux): they are in the package but nowhere in the virtual filesystem.</summary>
    public IReadOnlyList<string> UnplacedFiles => _unplaced;

    /// <summary>The extracted copy of the file at <paramref name="location"/>, or null.</summary>
    public string? FindFile(VirtualLocation location) => _files.GetValueOrDefault(location.Key);

    /// <summary>Whether the package has a folder at <paramref name="location"/> (a folder holding package files).</summary>
    public bool HasDirectory(VirtualLocation location) => _children.ContainsKey(location.Key);

    /// <summary>The names directly inside a package folder, and whether each is a folder.</summary>
    public IEnumerable<KeyValuePair<string, bool>> Children(VirtualLocation location) =>
        _children.TryGetValue(location.Key, out var names) ? names : [];

    /// <summary>Whether <paramref name="fullPath"/> points into the extraction folder; if so, its location. The
    /// application is loaded from there, so paths built from its own assembly's location arrive here.</summary>
    public bool TryAlias(string fullPath, FolderMacros macros, out VirtualLocation location)
    {
        location = default;
        if (!FolderMacros.IsUnder(fullPath, Root, out var relative) || relative.Length == 0)
        {
            return false;
        }
        var macroEnd = relative.IndexOf('/');
        var macro = macros.CanonicalName(macroEnd < 0 ? relative : relative[..macroEnd]);
        if (macro is null)
        {
            return false;
        }
        var stored = VirtualLocation.ParseKey(macro + (macroEnd < 0 ? "" : relative[macroEnd..]));
        location = macros.Locate(macros.HostPath(stored));
        return true;
    }
}
