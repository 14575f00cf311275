using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using VirtualizationWorkbench.Packager.Building;
using VirtualizationWorkbench.Packager.Running;
using VirtualizationWorkbench.Packager.Settings;
using VirtualizationWorkbench.Sandbox.FileSystem;
using VirtualizationWorkbench.Sandbox.Paths;
using VirtualizationWorkbench.Sandbox.Registry;

namespace VirtualizationWorkbench.Packager.Capture;

/// <summary>One file as the snapshot saw it.</summary>
/// <param name="Size">Its length.</param>
/// <param name="LastWriteUtcTicks">Its last-write time.</param>
public sealed record CapturedFile(long Size, long LastWriteUtcTicks);

/// <summary>ThinApp-style capture: the state of a folder tree (and optionally a registry export) before an
/// install, and after it the difference as a package project: the new and changed files under their macro
/// folders, the new and changed registry values in Registry.reg, and a Package.ini naming the entry points found.
/// A file counts as changed when its size or last-write time differs.</summary>
/// <param name="Root">The captured folder.</param>
/// <param name="Files">Relative path → what the snapshot saw.</param>
/// <param name="Registry">The registry export given at the start, as <c>.reg</c> text, or null.</param>
public sealed record CaptureSnapshot(string Root, Dictionary<string, CapturedFile> Files, string? Registry)
{
    /// <summary>Records <paramref name="folder"/> (and <paramref name="registryFile"/>) and saves the snapshot
    /// where <see cref="Finish"/> finds it.</summary>
    public static CaptureSnapshot Begin(string folder, string? registryFile)
    {
        var root = Path.GetFullPath(folder);
        if (!Directory.Exists(root))
        {
            throw new PackagerException($"The folder '{folder}' does not exist; capture a folder the installer will write to.");
        }
        string? registry = null;
        if (registryFile is not null)
        {
            // Parse now, so a bad file is reported before the install rather than after it.
            registry = RegFileWriter.ToText(RegFileParser.ParseFile(registryFile));
        }
        var snapshot = new CaptureSnapshot(root, Scan(root), registry);
        var path = StatePath(root);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        AtomicFile.Write(path, stream => JsonSerializer.Serialize(stream, snapshot));
        return snapshot;
    }

    /// <summary>Compares <paramref name="folder"/> (and <paramref name="registryFile"/>) with the snapshot taken by
    /// <see cref="Begin"/> and writes the difference as a project folder <paramref name="projectFolder"/>.</summary>
    /// <returns>The project's source and the number of files deleted by the install (which a package cannot express).</returns>
    public static (PackageSource Project, int DeletedFiles) Finish(string folder, string? registryFile, string projectFolder, string? name)
    {
        var root = Path.GetFullPath(folder);
        var statePath = StatePath(root);
        if (!File.Exists(statePath))
        {
            throw new PackagerException($"No capture was begun for '{root}'; run `workbench capture begin {folder}` before the install.");
        }
        if (Directory.Exists(projectFolder) && Directory.EnumerateFileSystemEntries(projectFolder).Any())
        {
            throw new PackagerException($"The project folder '{projectFolder}' exists and is not empty; choose a new folder so nothing of yours is overwritten.");
        }
        var before = JsonSerializer.Deserialize<CaptureSnapshot>(File.ReadAllBytes(statePath))
            ?? throw new PackagerException($"The capture state '{statePath}' is unreadable; begin the capture again.");
        var after = Scan(root);
        var macros = FolderMacros.ForThisMachine();
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (relative, file) in after.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            if (before.Files.TryGetValue(relative, out var old) && old == file)
            {
                continue;
            }
            var full = Path.Combine(root, relative);
            files[macros.Locate(full).Key] = full;
        }
        var deleted = before.Files.Keys.Count(relative => !after.ContainsKey(relative));
        var registry = new RegFileDocument();
        if (registryFile is not null)
        {
            registry = RegistryDifference(before.Registry is null ? new RegFileDocument() : RegFileParser.Parse(before.Registry, "capture begin"), RegFileParser.ParseFile(registryFile));
        }
        var entries = files.Where(pair => pair.Key.EndsWith(".dll", StringComparison.OrdinalIgnoreCase)
                && File.Exists(Path.ChangeExtension(pair.Value, ".runtimeconfig.json")) && EntryAssemblies.HasEntryPoint(pair.Value))
            .Select(pair => new EntryPoint(Path.GetFileNameWithoutExtension(pair.Value), pair.Key, EntryAssemblies.UsesInvariantGlobalization(pair.Value), Windowed: EntryAssemblies.IsWindowed(pair.Value)))
            .ToList();
        var packageName = name ?? entries.FirstOrDefault()?.Name ?? Path.GetFileName(root);
        var settings = new PackageSettings { Name = packageName, SandboxName = packageName, EntryPoints = entries };
        var project = new PackageSource { Settings = settings, Files = files, Registry = registry };
        project.WriteProject(projectFolder);
        File.Delete(statePath);
        return (project, deleted);
    }

    /// <summary>The keys and values present or changed in <paramref name="after"/> relative to <paramref name="before"/>.</summary>
    public static RegFileDocument RegistryDifference(RegFileDocument before, RegFileDocument after)
    {
        var old = new RegistryTree();
        old.Apply(before, asChanges: false);
        var current = new RegistryTree();
        current.Apply(after, asChanges: false);
        var difference = new RegFileDocument();
        foreach (var (hive, root) in current.Hives)
        {
            Compare(difference, hive, root, old.Find(hive));
        }
        return difference;
    }

    private static void Compare(RegFileDocument difference, string path, RegistryKeyNode now, RegistryKeyNode? then)
    {
        var values = now.Values.Where(pair => pair.Value is not null && (then is null || !then.Values.TryGetValue(pair.Key, out var was) || !Equals(was, pair.Value)))
            .OrderBy(pair => pair.Key, StringComparer.OrdinalIgnoreCase)
            .Select(pair => (pair.Key, pair.Value))
            .ToList();
        if (path.Contains('\\', StringComparison.Ordinal) && (then is null || values.Count > 0))
        {
            difference.Keys.Add(new RegFileKey(path, false, values));
        }
        foreach (var child in now.SubKeys.Values.OrderBy(child => child.Name, StringComparer.OrdinalIgnoreCase))
        {
            Compare(difference, path + "\\" + child.Name, child, then?.SubKeys.GetValueOrDefault(child.Name));
        }
    }

    // The workbench's own data (capture state, sandboxes, extracted packages) is never part of an install.
    private static Dictionary<string, CapturedFile> Scan(string root) =>
        new DirectoryInfo(root).EnumerateFiles("*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint, IgnoreInaccessible = true })
            .Where(file => !FolderMacros.IsUnder(file.FullName, SandboxLocation.DataRoot, out _))
            .ToDictionary(file => Path.GetRelativePath(root, file.FullName), file => new CapturedFile(file.Length, file.LastWriteTimeUtc.Ticks), StringComparer.Ordinal);

    private static string StatePath(string root) =>
        Path.Combine(SandboxLocation.DataRoot, "captures", Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(root)))[..16] + ".json");
}
