using VirtualizationWorkbench.Sandbox.Runtime;
namespace VirtualizationWorkbench.Sandbox.Registry;

/// <summary>The registry the packaged application sees: the sandbox's changes over the package's hive, which is
/// never modified. It never touches the host's registry, so it works the same on Linux, where there is none.
/// <para>Changes are kept in the sandbox's <see cref="RegistryJournal"/>: each change appends one record under the
/// sandbox lock, after applying what other instances appended since, so instances sharing the sandbox see and keep
/// each other's changes, and a write costs what it changes. Threads of one application share this object; a gate
/// keeps them from reading the tree while one of them changes it.</para></summary>
public sealed class VirtualRegistry
{
    private readonly Lazy<RegistryTree> _package;
    private readonly RegistryJournal? _journal;
    private readonly RegistryTree _memory = new();
    private readonly Lock _gate = new();

    /// <summary>Creates the view.</summary>
    /// <param name="package">The package's hive (read-only).</param>
    /// <param name="journal">Where the sandbox keeps the changes, or null to keep them in memory only.</param>
    public VirtualRegistry(RegistryTree package, RegistryJournal? journal = null)
        : this(() => package, journal)
    {
    }

    /// <summary>Creates the view over a package hive read on first use: most applications never touch the
    /// registry, and reading the hive is time their start would otherwise spend.</summary>
    /// <param name="package">Reads the package's hive (read-only); called at most once.</param>
    /// <param name="journal">Where the sandbox keeps the changes, or null to keep them in memory only.</param>
    public VirtualRegistry(Func<RegistryTree> package, RegistryJournal? journal = null)
    {
        _package = new Lazy<RegistryTree>(package);
        _journal = journal;
    }

    /// <summary>The sandbox's changes (tombstones included).</summary>
    public RegistryTree Changes => _journal?.Changes ?? _memory;

    /// <summary>The log monitor, when <c>app run --trace</c> asked for one.</summary>
    public AccessTrace? Trace { get; set; }

    /// <summary>Whether the key exists.</summary>
    public bool KeyExists(string path)
    {
        lock (_gate)
        {
            return View(path) is not null;
        }
    }

    /// <summary>The value, or null when the key or the value does not exist.</summary>
    public RegistryValue? GetValue(string path, string name)
    {
        lock (_gate)
        {
            if (View(path) is not { } view)
            {
                Trace?.Registry("get", "none", path, name);
                return null;
            }
            if (view.Changes is { } changes && changes.Values.TryGetValue(name, out var changed))
            {
                Trace?.Registry("get", changed is null ? "none (deleted)" : "sandbox", path, name);
                return changed;
            }
            var packaged = view.Package?.Values.GetValueOrDefault(name);
            Trace?.Registry("get", packaged is null ? "none" : "package", path, name);
            return packaged;
        }
    }

    /// <summary>The names of the key's values (the default value as the empty name, when set).</summary>
    public IReadOnlyList<string> GetValueNames(string path) => Names(path, node => node.Values.Where(pair => pair.Value is not null).Select(pair => pair.Key),
        node => node.Values.Where(pair => pair.Value is null).Select(pair => pair.Key));

    /// <summary>The names of the key's subkeys.</summary>
    public IReadOnlyList<string> GetSubKeyNames(string path) => Names(path, node => node.SubKeys.Values.Where(child => !child.IsTombstone).Select(child => child.Name),
        node => node.SubKeys.Values.Where(child => child.IsTombstone).Select(child => child.Name));

    /// <summary>Creates the key and those above it.</summary>
    public void CreateKey(string path)
    {
        Trace?.Registry("create", "sandbox", path);
        Change(new RegFileKey(RegistryKeyPath.Normalize(path), Delete: false, []));
    }

    /// <summary>Sets a value, creating the key when missing.</summary>
    public void SetValue(string path, string name, RegistryValue value)
    {
        Trace?.Registry("set", "sandbox", path, name);
        Change(new RegFileKey(RegistryKeyPath.Normalize(path), Delete: false, [(name, value)]));
    }

    /// <summary>Deletes a value; returns false when it did not exist.</summary>
    public bool DeleteValue(string path, string name)
    {
        if (GetValue(path, name) is null)
        {
            return false;
        }
        Trace?.Registry("delete", "sandbox", path, name);
        Change(new RegFileKey(RegistryKeyPath.Normalize(path), Delete: false, [(name, null)]));
        return true;
    }

    /// <summary>Deletes a key; without <paramref name="recursive"/> it must have no subkeys.</summary>
    /// <exception cref="InvalidOperationException">The key has subkeys and <paramref name="recursive"/> is false.</exception>
    /// <returns>False when the key did not exist.</returns>
    public bool DeleteKey(string path, bool recursive)
    {
        if (!KeyExists(path))
        {
            return false;
        }
        if (RegistryKeyPath.Split(path).Length == 1)
        {
            throw new ArgumentException($"Cannot delete the hive {path}.", nameof(path));
        }
        if (!recursive && GetSubKeyNames(path).Count > 0)
        {
            throw new InvalidOperationException($"Registry key {path} has subkeys and recursive removes are not supported by this method.");
        }
        Trace?.Registry("delete", "sandbox", path);
        Change(new RegFileKey(RegistryKeyPath.Normalize(path), Delete: true, []));
        return true;
    }

    /// <summary>The whole registry as the application sees it, as a tree without tombstones (for export).</summary>
    public RegistryTree Snapshot()
    {
        var snapshot = new RegistryTree();
        foreach (var hive in RegistryKeyPath.Hives)
        {
            if (KeyExists(hive))
            {
                CopyInto(snapshot, hive);
            }
        }
        return snapshot;
    }

    /// <summary>Rereads the changes other instances may have made.</summary>
    public void Refresh()
    {
        lock (_gate)
        {
            _journal?.Refresh();
        }
    }

    private void CopyInto(RegistryTree snapshot, string path)
    {
        var node = snapshot.GetOrAdd(path);
        foreach (var name in GetValueNames(path))
        {
            node.Values[name] = GetValue(path, name);
        }
        foreach (var child in GetSubKeyNames(path))
        {
            CopyInto(snapshot, path + "\\" + child);
        }
    }

    private IReadOnlyList<string> Names(string path, Func<RegistryKeyNode, IEnumerable<string>> present, Func<RegistryKeyNode, IEnumerable<string>> deleted)
    {
        lock (_gate)
        {
            if (View(path) is not { } view)
            {
                throw new KeyNotFoundException($"The registry key {path} does not exist.");
            }
            var names = new SortedSet<string>(StringComparer.OrdinalIgnoreCase);
            if (view.Package is { } package)
            {
                names.UnionWith(present(package));
            }
            if (view.Changes is { } changes)
            {
                names.ExceptWith(deleted(changes));
                names.UnionWith(present(changes));
            }
            return [.. names];
        }
    }

    /// <summary>The key in both layers: the change's node and the package's node (null where the package's is
    /// hidden by a deletion). Null when the key does not exist.</summary>
    private (RegistryKeyNode? Changes, RegistryKeyNode? Package)? View(string path)
    {
        var parts = RegistryKeyPath.Split(path);
        var changes = Changes.Hives.GetValueOrDefault(parts[0]);
        var package = _package.Value.Hives.GetValueOrDefault(parts[0]);
        foreach (var part in parts.Skip(1))
        {
            changes = changes?.SubKeys.GetValueOrDefault(part);
            if (changes is { IsTombstone: true })
            {
                return null;
            }
            package = changes is { IsOpaque: true } ? null : package?.SubKeys.GetValueOrDefault(part);
        }
        if (parts.Length > 1 && changes is null && package is null)
        {
            return null;
        }
        return (changes, package);
    }

    /// <summary>Records one change as a <c>.reg</c> key block would: in the journal (which applies it), or in memory.</summary>
    private void Change(RegFileKey change)
    {
        var document = new RegFileDocument();
        document.Keys.Add(change);
        lock (_gate)
        {
            if (_journal is null)
            {
                _memory.Apply(document, asChanges: true);
            }
            else
            {
                _journal.Append(change);
            }
        }
    }
}
