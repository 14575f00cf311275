namespace VirtualizationWorkbench.Workbench.Terminal.ViewModels;

/// <summary>A folder or leaf of a browsable tree (package files, registry keys).</summary>
public sealed class TreeNode(string name, string detail, bool isFolder)
{
    /// <summary>Its name within its parent.</summary>
    public string Name { get; } = name;

    /// <summary>What stands beside it: a folder's isolation mode, a file's size, a value's data.</summary>
    public string Detail { get; set; } = detail;

    /// <summary>Whether it can hold children.</summary>
    public bool IsFolder { get; } = isFolder;

    /// <summary>Whether its children are shown.</summary>
    public bool Expanded { get; set; }

    /// <summary>Its children, folders first, by name.</summary>
    public List<TreeNode> Children { get; } = [];

    /// <summary>The child folder <paramref name="childName"/>, created if missing.</summary>
    public TreeNode Folder(string childName, string childDetail = "")
    {
        var existing = Children.FirstOrDefault(c => c.IsFolder && string.Equals(c.Name, childName, StringComparison.OrdinalIgnoreCase));
        if (existing is not null) return existing;
        var node = new TreeNode(childName, childDetail, isFolder: true);
        Children.Add(node);
        return node;
    }

    /// <summary>Sorts the tree: folders first, then by name.</summary>
    public void Sort()
    {
        Children.Sort((a, b) => a.IsFolder != b.IsFolder ? (a.IsFolder ? -1 : 1) : string.Compare(a.Name, b.Name, StringComparison.OrdinalIgnoreCase));
        foreach (var child in Children) child.Sort();
    }

    /// <summary>The rows shown for this node's children: each with its depth, expanded folders opened.</summary>
    public IEnumerable<(TreeNode Node, int Depth)> Visible(int depth = 0)
    {
        foreach (var child in Children)
        {
            yield return (child, depth);
            if (child.Expanded)
            {
                foreach (var row in child.Visible(depth + 1)) yield return row;
            }
        }
    }
}
