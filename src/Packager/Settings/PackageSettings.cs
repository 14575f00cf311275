using System.Text;
using VirtualizationWorkbench.Sandbox.FileSystem;
using VirtualizationWorkbench.Sandbox.Paths;

namespace VirtualizationWorkbench.Packager.Settings;

/// <summary>A package's settings, kept in a readable file modeled on ThinApp's Package.ini:
/// <code>
/// [BuildOptions]
/// InventoryName=Notes
/// SandboxName=Notes
/// SandboxPath=
/// DirectoryIsolationMode=WriteCopy
///
/// [Isolation]
/// %AppData%\Notes=Full
///
/// [Environment]
/// NOTES_MODE=portable
///
/// [Notes]
/// Source=%ProgramFilesDir%\Notes\Notes.dll
/// </code>
/// Every section other than BuildOptions, Isolation and Environment is an entry point named after it; one whose
/// Source is a Linux program rather than a .NET assembly says <c>Kind=native</c>.</summary>
public sealed class PackageSettings
{
    /// <summary>The file name inside a project folder and a package.</summary>
    public const string FileName = "Package.ini";

    private static readonly string[] ReservedSections = ["BuildOptions", "Isolation", "Environment"];

    /// <summary>The package's name.</summary>
    public required string Name { get; init; }

    /// <summary>The sandbox folder's name (defaults to the package name).</summary>
    public required string SandboxName { get; init; }

    /// <summary>Where sandboxes live instead of the user's data folder; empty for the default.</summary>
    public string SandboxPath { get; init; } = "";

    /// <summary>The isolation mode of folders no rule covers.</summary>
    public IsolationMode DefaultIsolation { get; init; } = IsolationMode.WriteCopy;

    /// <summary>Isolation per folder key (<c>%AppData%/App</c>), inherited by subfolders.</summary>
    public Dictionary<string, IsolationMode> FolderIsolation { get; init; } = new(StringComparer.Ordinal);

    /// <summary>Environment variables set for the application.</summary>
    public Dictionary<string, string> Environment { get; init; } = new(StringComparer.Ordinal);

    /// <summary>The entry points, in file order; the first is the default.</summary>
    public List<EntryPoint> EntryPoints { get; init; } = [];

    /// <summary>The isolation policy these settings describe.</summary>
    public IsolationPolicy IsolationPolicy => new(DefaultIsolation, FolderIsolation);

    /// <summary>Finds an entry point by name (without case); null takes the first.</summary>
    public EntryPoint FindEntryPoint(string? name)
    {
        if (EntryPoints.Count == 0)
        {
            throw new PackageSettingsException($"The package {Name} has no entry point.");
        }
        return name is null ? EntryPoints[0]
            : EntryPoints.FirstOrDefault(entry => string.Equals(entry.Name, name, StringComparison.OrdinalIgnoreCase))
              ?? throw new PackageSettingsException($"The package {Name} has no entry point named '{name}'; it has: {string.Join(", ", EntryPoints.Select(entry => entry.Name))}.");
    }

    /// <summary>Reads Package.ini text; <paramref name="file"/> names it in error messages.</summary>
    /// <exception cref="PackageSettingsException">A line cannot be understood.</exception>
    public static PackageSettings Parse(string text, string file)
    {
        var sections = new List<IniSection>();
        var lines = text.Split('\n');
        for (var index = 0; index < lines.Length; index++)
        {
            var line = lines[index].Trim().TrimEnd('\r');
            if (line.Length == 0 || line[0] is ';' or '#')
            {
                continue;
            }
            if (line[0] == '[')
            {
                if (line[^1] != ']' || line.Length < 3)
                {
                    throw new PackageSettingsException($"{file}:{index + 1}: a section line must look like [Name].");
                }
                sections.Add(new IniSection(line[1..^1].Trim(), index + 1, new Dictionary<string, IniValue>(StringComparer.OrdinalIgnoreCase)));
                continue;
            }
            var equals = line.IndexOf('=');
            if (equals <= 0)
            {
                throw new PackageSettingsException($"{file}:{index + 1}: expected Key=Value, found '{line}'.");
            }
            if (sections.Count == 0)
            {
                throw new PackageSettingsException($"{file}:{index + 1}: '{line}' stands before any [Section].");
            }
            sections[^1].Keys[line[..equals].Trim()] = new IniValue(line[(equals + 1)..].Trim(), index + 1);
        }

        var build = sections.Find(section => section.Name.Equals("BuildOptions", StringComparison.OrdinalIgnoreCase));
        if (build is null)
        {
            throw new PackageSettingsException($"{file}: there is no [BuildOptions] section; it names the package (InventoryName=…).");
        }
        string? Get(string key) => build.Keys.TryGetValue(key, out var entry) && entry.Value.Length > 0 ? entry.Value : null;
        var name = Get("InventoryName") ?? throw new PackageSettingsException($"{file}:{build.Line}: [BuildOptions] has no InventoryName=; it names the package.");
        foreach (var key in (string[])["InventoryName", "SandboxName"])
        {
            // Both name folders (the sandbox is named after the package by default): a path here would put the
            // sandbox, and what `sandbox reset` clears, anywhere on the machine.
            if (build.Keys.TryGetValue(key, out var named) && named.Value.Length > 0 && NameProblem(named.Value) is { } problem)
            {
                throw new PackageSettingsException($"{file}:{named.Line}: {key}={named.Value} {problem}; use a plain name such as MyApp (SandboxPath= chooses where sandboxes go).");
            }
        }
        var defaultIsolation = IsolationMode.WriteCopy;
        if (build.Keys.TryGetValue("DirectoryIsolationMode", out var isolation) && !IsolationModes.TryParse(isolation.Value, out defaultIsolation))
        {
            throw new PackageSettingsException($"{file}:{isolation.Line}: '{isolation.Value}' is not an isolation mode; use one of {IsolationModes.Accepted}.");
        }
        var settings = new PackageSettings
        {
            Name = name,
            SandboxName = Get("SandboxName") ?? name,
            SandboxPath = Get("SandboxPath") ?? "",
            DefaultIsolation = defaultIsolation,
        };
        foreach (var section in sections)
        {
            if (section.Name.Equals("Isolation", StringComparison.OrdinalIgnoreCase))
            {
                foreach (var (folder, (value, line)) in section.Keys)
                {
                    if (!IsolationModes.TryParse(value, out var mode))
                    {
                        throw new PackageSettingsException($"{file}:{line}: '{value}' is not an isolation mode; use one of {IsolationModes.Accepted}.");
                    }
                    settings.FolderIsolation[ParseKey(folder, file, line)] = mode;
                }
            }
            else if (section.Name.Equals("Environment", StringComparison.OrdinalIgnoreCase))
            {
                foreach (var (variable, (value, _)) in section.Keys)
                {
                    settings.Environment[variable] = value;
                }
            }
            else if (!ReservedSections.Contains(section.Name, StringComparer.OrdinalIgnoreCase))
            {
                if (!section.Keys.TryGetValue("Source", out var source) || source.Value.Length == 0)
                {
                    throw new PackageSettingsException($"{file}:{section.Line}: the entry point [{section.Name}] has no Source= naming its assembly, e.g. Source=%ProgramFilesDir%\\{name}\\{name}.dll.");
                }
                if (settings.EntryPoints.Exists(entry => entry.Name.Equals(section.Name, StringComparison.OrdinalIgnoreCase)))
                {
                    throw new PackageSettingsException($"{file}:{section.Line}: the entry point [{section.Name}] is defined twice.");
                }
                var invariant = false;
                if (section.Keys.TryGetValue("InvariantGlobalization", out var globalization) && !bool.TryParse(globalization.Value, out invariant))
                {
                    throw new PackageSettingsException($"{file}:{globalization.Line}: InvariantGlobalization={globalization.Value} is not true or false.");
                }
                var native = false;
                if (section.Keys.TryGetValue("Kind", out var kind))
                {
                    native = kind.Value.ToLowerInvariant() switch
                    {
                        "native" => true,
                        "dotnet" => false,
                        _ => throw new PackageSettingsException($"{file}:{kind.Line}: Kind={kind.Value} is not dotnet (a .NET assembly with Main) or native (a Linux program or script)."),
                    };
                }
                var windowed = false;
                if (section.Keys.TryGetValue("Windowed", out var window) && !bool.TryParse(window.Value, out windowed))
                {
                    throw new PackageSettingsException($"{file}:{window.Line}: Windowed={window.Value} is not true or false.");
                }
                settings.EntryPoints.Add(new EntryPoint(section.Name, ParseKey(source.Value, file, source.Line), invariant, native, windowed));
            }
        }
        return settings;
    }

    // Classes rather than value tuples: the parser runs at every package start, and generic collections of
    // reference types share the framework's precompiled code where tuples would each be JIT-compiled.
    private sealed record IniSection(string Name, int Line, Dictionary<string, IniValue> Keys);

    private sealed record IniValue(string Value, int Line);

    /// <summary>The settings as Package.ini text (backslashes in paths, as ThinApp writes them).</summary>
    public string ToIni()
    {
        static string Windows(string key) => key.Replace('/', '\\');
        var text = new StringBuilder();
        text.Append("; Virtualization Workbench package settings, modeled on ThinApp's Package.ini.\n");
        text.Append("; Isolation modes: Merged (host visible and writable), WriteCopy (host visible, writes go to the sandbox),\n");
        text.Append("; Full (host invisible). [Isolation] sets them per folder; subfolders inherit.\n\n");
        text.Append("[BuildOptions]\n");
        text.Append($"InventoryName={Name}\nSandboxName={SandboxName}\nSandboxPath={SandboxPath}\nDirectoryIsolationMode={DefaultIsolation}\n\n");
        text.Append("[Isolation]\n");
        foreach (var (folder, mode) in FolderIsolation.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            text.Append($"{Windows(folder)}={mode}\n");
        }
        text.Append('\n');
        if (Environment.Count > 0)
        {
            text.Append("[Environment]\n");
            foreach (var (variable, value) in Environment.OrderBy(pair => pair.Key, StringComparer.Ordinal))
            {
                text.Append($"{variable}={value}\n");
            }
            text.Append('\n');
        }
        foreach (var entry in EntryPoints)
        {
            text.Append($"[{entry.Name}]\nSource={Windows(entry.Source)}\n{(entry.InvariantGlobalization ? "InvariantGlobalization=true\n" : "")}{(entry.Native ? "Kind=native\n" : "")}{(entry.Windowed ? "Windowed=true\n" : "")}\n");
        }
        return text.ToString();
    }

    /// <summary>Why <paramref name="name"/> cannot name a package or a sandbox (it must be one plain folder
    /// name), or null when it can.</summary>
    public static string? NameProblem(string name)
    {
        if (name.Length == 0 || name is "." or "..")
        {
            return "is not a name";
        }
        // A loop rather than LINQ over the characters: this runs at every package start.
        var invalid = Path.GetInvalidFileNameChars();
        foreach (var c in name)
        {
            if (c is '/' or '\\' or ':' or '%' || char.IsControl(c) || invalid.AsSpan().Contains(c))
            {
                return "holds a character that cannot stand in a folder name (/, \\, :, % or a control character)";
            }
        }
        return null;
    }

    private static string ParseKey(string key, string file, int line)
    {
        try
        {
            return VirtualLocation.ParseKey(key).Key;
        }
        catch (ArgumentException e)
        {
            throw new PackageSettingsException($"{file}:{line}: {e.Message}");
        }
    }
}
