namespace VirtualizationWorkbench.Containers.Filesystem;

/// <summary>A node of the kernel's one in-memory file tree: a directory or a file. Every node but the tree's top
/// has a parent, which is what <c>..</c> follows (see <see cref="Namespaces.NamespaceLookup.Resolve"/> for where it
/// stops).</summary>
public abstract class FsNode(string name, FsDirectory? parent)
{
    /// <summary>The name in its directory ("" for the top).</summary>
    public string Name { get; } = name;

    /// <summary>The directory holding it; null only for the top of the tree.</summary>
    public FsDirectory? Parent { get; } = parent;

    /// <summary>The absolute path from the top of the whole tree (what the host sees).</summary>
    public string HostPath => Parent is null ? "/" : Parent.Parent is null ? "/" + Name : Parent.HostPath + "/" + Name;
}
