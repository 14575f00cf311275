namespace VirtualizationWorkbench.Containers.Filesystem;

/// <summary>A directory: named children, in name order.</summary>
public sealed class FsDirectory(string name, FsDirectory? parent) : FsNode(name, parent)
{
    private readonly SortedDictionary<string, FsNode> children = new(StringComparer.Ordinal);

    /// <summary>The children by name.</summary>
    public IReadOnlyDictionary<string, FsNode> Children => children;

    /// <summary>The child directory <paramref name="child"/>, made if missing; null if a file has that name.</summary>
    public FsDirectory? Directory(string child)
    {
        if (children.TryGetValue(child, out var node)) return node as FsDirectory;
        var made = new FsDirectory(child, this);
        children[child] = made;
        return made;
    }

    /// <summary>Adds or replaces the file <paramref name="child"/> with <paramref name="content"/>, which is shared,
    /// not copied (<paramref name="shared"/> says it is an image's).</summary>
    public FsFile PutFile(string child, byte[] content, bool shared)
    {
        var file = new FsFile(child, this, content, shared);
        children[child] = file;
        return file;
    }

    /// <summary>Removes <paramref name="child"/> (an image layer's whiteout).</summary>
    public void Remove(string child) => children.Remove(child);

    /// <summary>This directory and every node below it.</summary>
    public IEnumerable<FsNode> Walk()
    {
        yield return this;
        foreach (var child in children.Values)
        {
            if (child is FsDirectory d)
            {
                foreach (var n in d.Walk()) yield return n;
            }
            else yield return child;
        }
    }
}
