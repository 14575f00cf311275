using VirtualizationWorkbench.Packager.Format;
using VirtualizationWorkbench.Packager.Settings;
using VirtualizationWorkbench.Packager.Tools;
using VirtualizationWorkbench.Sandbox.FileSystem;
using VirtualizationWorkbench.Sandbox.Paths;
using VirtualizationWorkbench.Sandbox.Registry;

namespace VirtualizationWorkbench.Workbench.Terminal.ViewModels;

/// <summary>The packager screen's tabs.</summary>
public enum PackagerTab
{
    /// <summary>The package's files as a tree, each folder with its isolation mode.</summary>
    Files,
    /// <summary>The package's registry as a tree of keys and values.</summary>
    Registry,
    /// <summary>What the application changed in its sandbox.</summary>
    Sandbox,
    /// <summary>Every file as the sandbox, the package and the host hold it, and the layer the application reads.</summary>
    Layers,
}

/// <summary>
/// One package opened for browsing: its files and registry as trees (each folder with the isolation mode
/// Package.ini gives it), and its sandbox's changes, which can be reset — what <c>workbench app inspect</c>,
/// <c>sandbox list</c> and <c>sandbox reset</c> show and do, through the same packager API.
/// </summary>
public sealed class PackagerViewModel
{
    private readonly SandboxContents sandbox;
    private readonly Dictionary<PackagerTab, ListCursor> cursors = new()
    {
        [PackagerTab.Files] = new(),
        [PackagerTab.Registry] = new(),
        [PackagerTab.Sandbox] = new(),
        [PackagerTab.Layers] = new(),
    };
    private readonly IReadOnlyCollection<string> fileKeys;
    private readonly FolderMacros macros;

    /// <summary>Opens the package at <paramref name="path"/>; a missing or broken file is a <see cref="UserError"/>.</summary>
    public PackagerViewModel(string path, string? sandboxFolder = null, FolderMacros? macros = null)
    {
        this.macros = macros ?? FolderMacros.ForThisMachine();
        try
        {
            using var file = PackageFile.Open(path);
            Name = file.Settings.Name;
            PackagePath = file.Path;
            Settings = file.Settings;
            EntryPoints = [.. file.Settings.EntryPoints.Select(e => $"{e.Name} → {e.Source}")];
            Files = FileTree(file);
            fileKeys = [.. file.FileKeys];
            Registry = RegistryTree(file.Registry);
            sandbox = SandboxContents.Of(file, sandboxFolder);
        }
        catch (Exception e) when (e is PackageFormatException or PackageSettingsException or RegFileFormatException or InvalidDataException)
        {
            throw new UserError($"{path}: {e.Message}");
        }
        Files.Expanded = true;
        foreach (var top in Files.Children) top.Expanded = true;
        RefreshSandbox();
    }

    /// <summary>The package's name.</summary>
    public string Name { get; }

    /// <summary>The package file.</summary>
    public string PackagePath { get; }

    /// <summary>Its settings (Package.ini).</summary>
    public PackageSettings Settings { get; }

    /// <summary>Its entry points, as "name → file".</summary>
    public IReadOnlyList<string> EntryPoints { get; }

    /// <summary>The file tree (its root's children are the folder macros, e.g. <c>%ProgramFilesDir%</c>).</summary>
    public TreeNode Files { get; }

    /// <summary>The registry tree (its root's children are the hives).</summary>
    public TreeNode Registry { get; }

    /// <summary>The sandbox folder.</summary>
    public string SandboxFolder => sandbox.Folder;

    /// <summary>The sandbox's changes, one row each: written files, deleted locations, registry keys.</summary>
    public IReadOnlyList<string> Changes { get; private set; } = [];

    /// <summary>Each location any layer holds, with the layer the application reads it from (the layers tab).</summary>
    public IReadOnlyList<LayeredFile> Layers { get; private set; } = [];

    /// <summary>The tab shown.</summary>
    public PackagerTab Tab { get; private set; }

    /// <summary>Whether a reset waits for the student to confirm with <c>y</c>.</summary>
    public bool ConfirmingReset { get; private set; }

    /// <summary>A line of news.</summary>
    public string? Message { get; private set; }

    /// <summary>The selection on the shown tab.</summary>
    public ListCursor Cursor
    {
        get
        {
            var cursor = cursors[Tab];
            cursor.Resize(RowCount);
            return cursor;
        }
    }

    private int RowCount => Tab switch
    {
        PackagerTab.Sandbox => Changes.Count,
        PackagerTab.Layers => Layers.Count,
        _ => Rows.Count,
    };

    /// <summary>The rows of the shown tab's tree (empty on the sandbox and layers tabs).</summary>
    public IReadOnlyList<(TreeNode Node, int Depth)> Rows => Tab switch
    {
        PackagerTab.Files => [.. Files.Visible()],
        PackagerTab.Registry => [.. Registry.Visible()],
        _ => [],
    };

    /// <summary>Shows the next (or previous) tab.</summary>
    public void NextTab(bool backwards = false)
    {
        var count = Enum.GetValues<PackagerTab>().Length;
        Tab = (PackagerTab)(((int)Tab + (backwards ? count - 1 : 1)) % count);
        Cursor.Resize(RowCount);
    }

    /// <summary>Selects row <paramref name="index"/> of the shown tab.</summary>
    public void Select(int index)
    {
        Cursor.Resize(RowCount);
        Cursor.Select(index);
    }

    /// <summary>Opens the selected folder, or closes it when it is open (<paramref name="open"/> null: toggles it).
    /// Closing a leaf or a closed folder selects its parent folder, as in file managers.</summary>
    public void Fold(bool? open = null)
    {
        var rows = Rows;
        Cursor.Resize(rows.Count);
        if (rows.Count == 0) return;
        var (node, depth) = rows[Cursor.Selected];
        if (node.IsFolder && open != false && (!node.Expanded || open is null))
        {
            node.Expanded = open ?? !node.Expanded;
        }
        else if (node.IsFolder && node.Expanded && open != true)
        {
            node.Expanded = false;
        }
        else if (open == false)
        {
            for (var i = Cursor.Selected - 1; i >= 0; i--)
            {
                if (rows[i].Depth < depth)
                {
                    Cursor.Select(i);
                    break;
                }
            }
        }
        Cursor.Resize(Rows.Count);
    }

    /// <summary>Asks to reset the sandbox; <see cref="ConfirmReset"/> does it.</summary>
    public void RequestReset()
    {
        if (Changes.Count == 0)
        {
            Message = "the sandbox holds no changes: nothing to reset";
            return;
        }
        ConfirmingReset = true;
        Message = $"reset the sandbox and forget {Changes.Count} change(s)? press y to confirm, any other key to keep them";
    }

    /// <summary>Resets the sandbox if <paramref name="confirmed"/>; either way the question is closed.</summary>
    public void ConfirmReset(bool confirmed)
    {
        ConfirmingReset = false;
        if (!confirmed)
        {
            Message = "kept the sandbox as it is";
            return;
        }
        sandbox.Reset();
        RefreshSandbox();
        Message = $"reset {sandbox.Folder}: the next run starts from the package as built";
    }

    /// <summary>Reads the sandbox's changes again.</summary>
    public void RefreshSandbox()
    {
        var rows = new List<string>();
        IReadOnlyList<LayeredFile> layers;
        try
        {
            foreach (var (key, size) in sandbox.ChangedFiles()) rows.Add($"written   {size,10:N0}  {key}");
            foreach (var key in sandbox.DeletedLocations()) rows.Add($"deleted               {key}");
            foreach (var key in sandbox.RegistryChanges().Keys) rows.Add($"registry  {(key.Delete ? "deleted" : "changed"),-10}  {key.Path}");
            layers = LayerStack.Of(fileKeys, Settings.IsolationPolicy, sandbox, macros);
        }
        catch (IOException e)
        {
            // The package's sandbox folder holds other files and is not a sandbox: none of it is shown as the
            // package's changes, so none of it can be reset from here.
            rows.Clear();
            layers = LayerStack.Of(fileKeys, Settings.IsolationPolicy, sandbox: null, macros);
            Message = e.Message;
        }
        Changes = rows;
        Layers = layers;
        Cursor.Resize(RowCount);
    }

    private static TreeNode FileTree(PackageFile file)
    {
        var policy = file.Settings.IsolationPolicy;
        var sizes = file.Manifest.Entries.ToDictionary(e => e.Path, e => e.Size, StringComparer.Ordinal);
        var root = new TreeNode("", "", isFolder: true);
        foreach (var key in file.FileKeys)
        {
            var parts = key.Split('/');
            var node = root;
            for (var i = 0; i < parts.Length - 1; i++)
            {
                var folderKey = string.Join('/', parts[..(i + 1)]);
                node = node.Folder(parts[i]);
                node.Detail = Describe(policy.ModeOf(VirtualLocation.ParseKey(folderKey)));
            }
            var size = sizes.GetValueOrDefault(PackageLayout.FilesPrefix + key);
            node.Children.Add(new TreeNode(parts[^1], $"{size:N0} bytes", isFolder: false));
        }
        root.Sort();
        return root;
    }

    private static TreeNode RegistryTree(RegFileDocument registry)
    {
        var root = new TreeNode("", "", isFolder: true);
        foreach (var key in registry.Keys.Where(k => !k.Delete))
        {
            var node = root;
            foreach (var part in key.Path.Split('\\', StringSplitOptions.RemoveEmptyEntries)) node = node.Folder(part);
            foreach (var (name, value) in key.Values)
            {
                var label = name.Length == 0 ? "(default)" : name;
                node.Children.Add(new TreeNode(label, value is null ? "(deleted)" : value.ToString(), isFolder: false));
            }
        }
        root.Sort();
        return root;
    }

    /// <summary>An isolation mode as Package.ini spells it.</summary>
    public static string Describe(IsolationMode mode) => mode switch
    {
        IsolationMode.Merged => "merged",
        IsolationMode.WriteCopy => "writecopy",
        _ => "full",
    };
}
