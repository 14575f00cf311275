using VirtualizationWorkbench.Packager.Settings;
using VirtualizationWorkbench.Sandbox.FileSystem;
using VirtualizationWorkbench.Sandbox.Paths;
using VirtualizationWorkbench.Sandbox.Registry;

namespace VirtualizationWorkbench.Packager.Building;

/// <summary>What a package is built from: settings, the application's files by location key, and the registry.
/// It comes from a package project folder (what capture writes and users edit) or straight from an application
/// folder (<c>workbench pack</c>).</summary>
public sealed class PackageSource
{
    /// <summary>The registry file's name in a project folder.</summary>
    public const string RegistryFileName = "Registry.reg";

    /// <summary>The settings.</summary>
    public required PackageSettings Settings { get; init; }

    /// <summary>The files: location key (<c>%ProgramFilesDir%/App/App.dll</c>) → file on disk.</summary>
    public required SortedDictionary<string, string> Files { get; init; }

    /// <summary>The registry the package carries.</summary>
    public required RegFileDocument Registry { get; init; }

    /// <summary>Reads a project folder: Package.ini, an optional Registry.reg, and one folder per macro.</summary>
    /// <exception cref="PackagerException">The folder is not a project.</exception>
    public static PackageSource FromProject(string folder)
    {
        if (!Directory.Exists(folder))
        {
            throw new PackagerException($"The project folder '{folder}' does not exist.");
        }
        var settingsPath = Path.Combine(folder, PackageSettings.FileName);
        if (!File.Exists(settingsPath))
        {
            throw new PackagerException($"'{folder}' has no {PackageSettings.FileName}; a project folder is what `workbench capture end` writes (or `workbench sandbox merge` updates).");
        }
        var settings = PackageSettings.Parse(File.ReadAllText(settingsPath), settingsPath);
        var registryPath = Path.Combine(folder, RegistryFileName);
        var registry = File.Exists(registryPath) ? RegFileParser.ParseFile(registryPath) : new RegFileDocument();
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in new DirectoryInfo(folder).EnumerateFileSystemInfos())
        {
            if (entry.Name is PackageSettings.FileName or RegistryFileName)
            {
                continue;
            }
            if (entry is not DirectoryInfo macroFolder || !IsMacroName(entry.Name))
            {
                throw new PackagerException($"'{entry.FullName}' is not a folder macro; a project holds only {PackageSettings.FileName}, {RegistryFileName} and folders such as %ProgramFilesDir% or %AppData%.");
            }
            foreach (var file in macroFolder.EnumerateFiles("*", SearchOption.AllDirectories))
            {
                files[entry.Name + "/" + Path.GetRelativePath(macroFolder.FullName, file.FullName).Replace(Path.DirectorySeparatorChar, '/')] = file.FullName;
            }
        }
        return new PackageSource { Settings = settings, Files = files, Registry = registry };
    }

    /// <summary>Takes an application folder as it is: its files go under <c>%ProgramFilesDir%\NAME</c>.</summary>
    /// <param name="folder">The application folder (a build or publish output).</param>
    /// <param name="entries">The entry files' names, relative to the folder (.NET assemblies or Linux programs);
    /// none to find them: the .NET entry assemblies, or where there are none, the executable programs.</param>
    /// <param name="name">The package name; defaults to the first entry's name.</param>
    /// <param name="isolation">The default isolation.</param>
    /// <param name="registryFile">A <c>.reg</c> file to carry as the package's registry.</param>
    public static PackageSource FromApplicationFolder(string folder, IReadOnlyList<string> entries, string? name, IsolationMode isolation, string? registryFile)
    {
        if (!Directory.Exists(folder))
        {
            throw new PackagerException($"The application folder '{folder}' does not exist.");
        }
        var found = entries.Count > 0 ? entries : EntryAssemblies.Find(folder);
        if (found.Count == 0)
        {
            found = NativePrograms.Find(folder);
        }
        if (found.Count == 0)
        {
            throw new PackagerException($"'{folder}' holds no entry point: neither a .NET assembly with a Main method and a .runtimeconfig.json beside it, nor an executable Linux program (ELF or #! script) at its top level. Point at a build or publish output folder, or name the entry with --entry App.dll or --entry tool.");
        }
        var native = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in found)
        {
            var path = Path.Combine(folder, entry);
            if (!File.Exists(path))
            {
                throw new PackagerException($"The entry '{entry}' is not in '{folder}'.");
            }
            if (EntryAssemblies.HasEntryPoint(path))
            {
                continue;
            }
            if (NativePrograms.Describe(path) is not { } kind)
            {
                throw new PackagerException($"The entry '{entry}' is neither a .NET assembly with a Main method nor a Linux program (an ELF executable or a #! script).");
            }
            if (!NativePrograms.IsExecutable(path))
            {
                throw new PackagerException($"The entry '{entry}' is {kind} but not marked executable; make it so (chmod +x '{path}') and pack again.");
            }
            native.Add(entry);
        }
        if (found.GroupBy(Path.GetFileNameWithoutExtension, StringComparer.OrdinalIgnoreCase).FirstOrDefault(group => group.Count() > 1) is { } twins)
        {
            throw new PackagerException($"Two entries would both be named '{twins.Key}' ({string.Join(", ", twins)}); name the one to package with --entry.");
        }
        var packageName = name ?? Path.GetFileNameWithoutExtension(found[0]);
        if (PackageSettings.NameProblem(packageName) is { } problem)
        {
            throw new PackagerException($"'{packageName}' cannot be a package name: it {problem}. Choose a plain name with --name.");
        }
        var root = $"%ProgramFilesDir%/{packageName}";
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
        {
            files[root + "/" + Path.GetRelativePath(folder, file).Replace(Path.DirectorySeparatorChar, '/')] = Path.GetFullPath(file);
        }
        var settings = new PackageSettings
        {
            Name = packageName,
            SandboxName = packageName,
            DefaultIsolation = isolation,
            EntryPoints = [.. found.Select(entry => new EntryPoint(Path.GetFileNameWithoutExtension(entry), root + "/" + entry.Replace(Path.DirectorySeparatorChar, '/'),
                !native.Contains(entry) && EntryAssemblies.UsesInvariantGlobalization(Path.Combine(folder, entry)), native.Contains(entry),
                !native.Contains(entry) && EntryAssemblies.IsWindowed(Path.Combine(folder, entry))))],
        };
        var registry = registryFile is null ? new RegFileDocument() : RegFileParser.ParseFile(registryFile);
        return new PackageSource { Settings = settings, Files = files, Registry = registry };
    }

    /// <summary>Writes the source as a project folder (settings, registry, macro folders), replacing what is there.</summary>
    public void WriteProject(string folder)
    {
        Directory.CreateDirectory(folder);
        AtomicFile.WriteAllText(Path.Combine(folder, PackageSettings.FileName), Settings.ToIni());
        var registryBytes = RegFileWriter.Write(Registry);
        AtomicFile.Write(Path.Combine(folder, RegistryFileName), stream => stream.Write(registryBytes));
        foreach (var (key, source) in Files)
        {
            var location = VirtualLocation.ParseKey(key);
            var target = Path.Combine(folder, location.Macro, location.Relative.Replace('/', Path.DirectorySeparatorChar));
            if (!string.Equals(Path.GetFullPath(source), Path.GetFullPath(target), FolderMacros.PathComparison))
            {
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                AtomicFile.Copy(source, target);
            }
        }
    }

    internal static bool IsMacroName(string name) => name.Length > 2 && name[0] == '%' && name[^1] == '%';
}
