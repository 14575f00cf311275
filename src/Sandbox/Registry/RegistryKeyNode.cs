namespace VirtualizationWorkbench.Sandbox.Registry;

/// <summary>One key of a <see cref="RegistryTree"/>: subkeys and values by name, compared without case.
/// In a tree of changes (a sandbox's), a key may be a tombstone (deleted: it and everything the package had
/// below it are gone) or opaque (deleted and made again: the package's contents below it stay gone), and a value
/// may be null (deleted).</summary>
public sealed class RegistryKeyNode(string name)
{
    /// <summary>The key's name as first written.</summary>
    public string Name { get; } = name;

    /// <summary>Subkeys by name.</summary>
    public Dictionary<string, RegistryKeyNode> SubKeys { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Values by name; the default value has the empty name. Null marks a deleted value.</summary>
    public Dictionary<string, RegistryValue?> Values { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The key was deleted: it does not exist, and hides the package's key of the same path.</summary>
    public bool IsTombstone { get; set; }

    /// <summary>The key exists, but the package's key of the same path, and everything below, is hidden.</summary>
    public bool IsOpaque { get; set; }

    /// <summary>The subkey named <paramref name="childName"/>, made when missing (a tombstone is brought back as
    /// an opaque key).</summary>
    public RegistryKeyNode GetOrAddSubKey(string childName)
    {
        if (!SubKeys.TryGetValue(childName, out var child))
        {
            child = new RegistryKeyNode(childName);
            SubKeys[childName] = child;
        }
        if (child.IsTombstone)
        {
            child.IsTombstone = false;
            child.IsOpaque = true;
        }
        return child;
    }

    /// <summary>Empties the key and marks it deleted.</summary>
    public void MakeTombstone()
    {
        SubKeys.Clear();
        Values.Clear();
        IsTombstone = true;
        IsOpaque = false;
    }
}
