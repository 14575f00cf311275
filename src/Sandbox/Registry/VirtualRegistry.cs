namespace VirtualizationWorkbench.Sandbox.Registry;

/// <summary>The registry the packaged application sees: the sandbox's changes over the package's hive, which is
/// never modified. It never touches the host's registry, so it works the same on Linux, where there is none.
/// <para>Changes are kept in the sandbox's <c>registry.reg</c>. Each change rereads that file under the
/// sandbox lock, applies itself and writes the file back by rename: a second instance's changes are merged,
/// and an application killed mid-write leaves the previous file whole.</para></summary>
public sealed class VirtualRegistry
{
    private readonly Lazy<RegistryTree> _package;
    private readonly string? _changesFile;
    private readonly Func<IDisposable> _acquireLock;
    private RegistryTree _changes;

    /// <summary>Creates the view.</summary>
    /// <param name="package">The package's hive (read-only).</param>
    /// <param name="changesFile">Where the sandbox keeps the changes, or null to keep them in memory only.</param>
    /// <param name="acquireLock">Takes the sandbox's lock around a change.</param>
    public VirtualRegistry(RegistryTree package, string? changesFile = null, Func<IDisposable>? acquireLock = null)
        : this(() => package, changesFile, acquireLock)
    {
    }

    /// <summary>Creates the view over a package hive read on first use: most applications never touch the
    /// registry, and reading the hive is time their start would otherwise spend.</summary>
    /// <param name="package">Reads the package's hive (read-only); called at most once.</param>
    /// <param name="changesFile">Where the sandbox keeps the changes, or null to keep them in memory only.</param>
    /// <param name="acquireLock">Takes the sandbox's lock around a change.</param>
    public VirtualRegistry(Func<RegistryTree> package, string? changesFile = null, Func<IDisposable>? acquireLock = null)
    {
        _package = new Lazy<RegistryTree>(package);
        _changesFile = changesFile;
        _acquireLock = acquireLock ?? (() => new NoLock());
        _changes = LoadChanges();
    }

    /// <summary>The sandbox's changes (tombstones included).</summary>
    public RegistryTree Changes => _changes;

    /// <summary>Whether the key exists.</summary>
    public bool KeyExists(string path) => View(path) is not null;

    /// <summary>The value, or null when the key or the value does not exist.</summary>
    public RegistryValue? GetValue(string path, string name)
    {
        if (View(path) is not { } view)
        {
            return null;
        }
        if (view.Changes is { } changes && changes.Values.TryGetValue(name, out var changed))
        {
            return changed;
        }
        return view.Package?.Values.GetValueOrDefault(name);
    }

    /// <summary>The names of the key's values (the default value as the empty name, when set).</summary>
    public IReadOnlyList<string> GetValueNames(string path) => Names(path, node => node.Values.Where(pair => pair.Value is not null).Select(pair => pair.Key),
        node => node.Values.Where(pair => pair.Value is null).Select(pair => pair.Key));

    /// <summary>The names of the key's subkeys.</summary>
    public IReadOnlyList<string> GetSubKeyNames(string path) => Names(path, node => node.SubKeys.Values.Where(child => !child.IsTombstone).Select(child => child.Name),
        node => node.SubKeys.Values.Where(child => child.IsTombstone).Select(child => child.Name));

    /// <summary>Creates the key and those above it.</summary>
    public void CreateKey(string path) => Change(changes => changes.GetOrAdd(path));

    /// <summary>Sets a value, creating the key when missing.</summary>
    public void SetValue(string path, string name, RegistryValue value) => Change(changes => changes.GetOrAdd(path).Values[name] = value);

    /// <summary>Deletes a value; returns false when it did not exist.</summary>
    public bool DeleteValue(string path, string name)
    {
        if (GetValue(path, name) is null)
        {
            return false;
        }
        Change(changes => changes.GetOrAdd(path).Values[name] = null);
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
        Change(changes => changes.GetOrAdd(path).MakeTombstone());
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
    public void Refresh() => _changes = LoadChanges();

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

    /// <summary>The key in both layers: the change's node and the package's node (null where the package's is
    /// hidden by a deletion). Null when the key does not exist.</summary>
    private (RegistryKeyNode? Changes, RegistryKeyNode? Package)? View(string path)
    {
        var parts = RegistryKeyPath.Split(path);
        var changes = _changes.Hives.GetValueOrDefault(parts[0]);
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

    private void Change(Action<RegistryTree> change)
    {
        using (_acquireLock())
        {
            _changes = LoadChanges();
            change(_changes);
            if (_changesFile is not null)
            {
                var bytes = RegFileWriter.Write(_changes.ToDocument());
                FileSystem.AtomicFile.Write(_changesFile, stream => stream.Write(bytes));
            }
        }
    }

    private RegistryTree LoadChanges()
    {
        var tree = new RegistryTree();
        if (_changesFile is not null && File.Exists(_changesFile))
        {
            tree.Apply(RegFileParser.ParseFile(_changesFile), asChanges: true);
        }
        return _changesFile is null ? _changes ?? tree : tree;
    }

    private sealed class NoLock : IDisposable
    {
        public void Dispose()
        {
        }
    }
}
