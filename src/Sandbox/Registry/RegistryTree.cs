namespace VirtualizationWorkbench.Sandbox.Registry;

/// <summary>A tree of registry keys under the five hives: a package's hive (plain keys and values) or a sandbox's
/// changes (which may also hold tombstones and deleted values; see <see cref="RegistryKeyNode"/>).</summary>
public sealed class RegistryTree
{
    /// <summary>The hives' root keys by full hive name.</summary>
    public Dictionary<string, RegistryKeyNode> Hives { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The key at <paramref name="path"/>, or null. Tombstones are returned as they are.</summary>
    public RegistryKeyNode? Find(string path)
    {
        var parts = RegistryKeyPath.Split(path);
        if (!Hives.TryGetValue(parts[0], out var node))
        {
            return null;
        }
        foreach (var part in parts.Skip(1))
        {
            if (node.IsTombstone || !node.SubKeys.TryGetValue(part, out var child))
            {
                return null;
            }
            node = child;
        }
        return node;
    }

    /// <summary>The key at <paramref name="path"/>, made with every key above it when missing.</summary>
    public RegistryKeyNode GetOrAdd(string path)
    {
        var parts = RegistryKeyPath.Split(path);
        if (!Hives.TryGetValue(parts[0], out var node))
        {
            node = new RegistryKeyNode(parts[0]);
            Hives[parts[0]] = node;
        }
        foreach (var part in parts.Skip(1))
        {
            node = node.GetOrAddSubKey(part);
        }
        return node;
    }

    /// <summary>Applies a <c>.reg</c> document: key deletions, key creations, value sets and deletions, in order.</summary>
    /// <param name="document">The document.</param>
    /// <param name="asChanges">True to record deletions as tombstones (a sandbox's changes, laid over a package);
    /// false to simply remove (a package's own hive).</param>
    public void Apply(RegFileDocument document, bool asChanges)
    {
        foreach (var key in document.Keys)
        {
            if (key.Delete)
            {
                if (asChanges)
                {
                    GetOrAdd(key.Path).MakeTombstone();
                }
                else
                {
                    Remove(key.Path);
                }
                continue;
            }
            var node = GetOrAdd(key.Path);
            foreach (var (name, value) in key.Values)
            {
                if (value is null && !asChanges)
                {
                    node.Values.Remove(name);
                }
                else
                {
                    node.Values[name] = value;
                }
            }
        }
    }

    /// <summary>Removes the key at <paramref name="path"/> and everything below it.</summary>
    public void Remove(string path)
    {
        var parts = RegistryKeyPath.Split(path);
        if (parts.Length == 1)
        {
            Hives.Remove(parts[0]);
            return;
        }
        Find(string.Join('\\', parts[..^1]))?.SubKeys.Remove(parts[^1]);
    }

    /// <summary>The tree as a <c>.reg</c> document: parents before children, names in order, tombstones as
    /// <c>[-KEY]</c> (followed by <c>[KEY]</c> when the key was made again), deleted values as <c>"name"=-</c>.</summary>
    public RegFileDocument ToDocument()
    {
        var document = new RegFileDocument();
        foreach (var hive in RegistryKeyPath.Hives)
        {
            if (Hives.TryGetValue(hive, out var root))
            {
                AddKey(document, hive, root);
            }
        }
        return document;
    }

    private static void AddKey(RegFileDocument document, string path, RegistryKeyNode node)
    {
        if (node.IsTombstone || node.IsOpaque)
        {
            document.Keys.Add(new RegFileKey(path, Delete: true, []));
            if (node.IsTombstone)
            {
                return;
            }
        }
        var values = node.Values.OrderBy(pair => pair.Key, StringComparer.OrdinalIgnoreCase).Select(pair => (pair.Key, pair.Value)).ToList();
        // A hive root is written only when it has values of its own: regedit does not write bare hive roots.
        if (values.Count > 0 || path.Contains('\\', StringComparison.Ordinal))
        {
            document.Keys.Add(new RegFileKey(path, Delete: false, values));
        }
        foreach (var child in node.SubKeys.Values.OrderBy(child => child.Name, StringComparer.OrdinalIgnoreCase))
        {
            AddKey(document, path + "\\" + child.Name, child);
        }
    }
}
