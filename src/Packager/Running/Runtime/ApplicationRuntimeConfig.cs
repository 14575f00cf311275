using System.Runtime.InteropServices;
using System.Text.Json;

namespace VirtualizationWorkbench.Packager.Running.Runtime;

/// <summary>What an application's own <c>runtimeconfig.json</c> and <c>deps.json</c> ask of the runtime, given to it
/// inside the workbench's process: the frameworks and the roll-forward policy (checked as the .NET host checks
/// them, so an application that would not start unpackaged does not start packaged), the configuration properties
/// (<see cref="AppContext.GetData"/>), and its dependency context (<c>APP_CONTEXT_DEPS_FILES</c>, which
/// <c>DependencyContext.Default</c> reads: plugin scanners find the application's libraries through it).</summary>
public sealed class ApplicationRuntimeConfig
{
    /// <summary>The host's exit status for a missing framework on Unix (0x80008096 as a byte).</summary>
    public const int FrameworkMissingExitCode = 150;

    private const string DepsFilesKey = "APP_CONTEXT_DEPS_FILES";
    private readonly string _entryPath;

    private ApplicationRuntimeConfig(string entryPath, IReadOnlyList<(string Name, Version Version)> frameworks, string rollForward, IReadOnlyDictionary<string, string> properties)
    {
        _entryPath = entryPath;
        Frameworks = frameworks;
        RollForward = rollForward;
        Properties = properties;
    }

    /// <summary>The frameworks the application names, with the version each asks for.</summary>
    public IReadOnlyList<(string Name, Version Version)> Frameworks { get; }

    /// <summary>The roll-forward policy in force: <c>DOTNET_ROLL_FORWARD</c>, else the file's, else <c>Minor</c>.</summary>
    public string RollForward { get; }

    /// <summary>The configuration properties, as the host hands them to the runtime (every value as text).</summary>
    public IReadOnlyDictionary<string, string> Properties { get; }

    /// <summary>Reads the runtimeconfig.json beside <paramref name="entryPath"/> (none: no framework is checked).</summary>
    /// <exception cref="ApplicationLaunchException">The file is not valid, as the host would refuse it.</exception>
    public static ApplicationRuntimeConfig Read(string entryPath, string? rollForwardVariable)
    {
        var path = Path.ChangeExtension(entryPath, ".runtimeconfig.json");
        var frameworks = new List<(string, Version)>();
        var properties = new Dictionary<string, string>(StringComparer.Ordinal);
        string? rollForward = null;
        if (File.Exists(path))
        {
            try
            {
                using var document = JsonDocument.Parse(File.ReadAllBytes(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
                if (document.RootElement.TryGetProperty("runtimeOptions", out var options))
                {
                    ReadFrameworks(options, frameworks);
                    rollForward = ReadRollForward(options);
                    if (options.TryGetProperty("configProperties", out var config) && config.ValueKind == JsonValueKind.Object)
                    {
                        foreach (var property in config.EnumerateObject())
                        {
                            properties[property.Name] = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString()! : property.Value.GetRawText();
                        }
                    }
                }
            }
            catch (Exception e) when (e is JsonException or FormatException or OverflowException or InvalidOperationException or ArgumentException)
            {
                throw new ApplicationLaunchException($"Invalid runtimeconfig.json [{path}] [{path.Replace(".runtimeconfig.json", ".runtimeconfig.dev.json", StringComparison.Ordinal)}]: {e.Message}", 140);
            }
        }
        if (!string.IsNullOrEmpty(rollForwardVariable))
        {
            rollForward = rollForwardVariable;
        }
        rollForward ??= "Minor";
        if (!RollForwardPolicy.Names.Contains(rollForward, StringComparer.OrdinalIgnoreCase))
        {
            throw new ApplicationLaunchException($"Invalid value for roll-forward: '{rollForward}'; use one of {string.Join(", ", RollForwardPolicy.Names)}.", 140);
        }
        return new ApplicationRuntimeConfig(entryPath, frameworks, rollForward, properties);
    }

    /// <summary>Checks every framework against the installed ones under <paramref name="dotnetRoot"/>; the
    /// application runs in this process, so <c>Microsoft.NETCore.App</c> must roll forward to the version this
    /// process runs on, <paramref name="running"/>.</summary>
    /// <exception cref="ApplicationLaunchException">A framework is missing (the host's message and status), or the
    /// host would choose another installed version of .NET than this process's.</exception>
    public void CheckFrameworks(string dotnetRoot, Version running)
    {
        foreach (var (name, requested) in Frameworks)
        {
            var folder = Path.Combine(dotnetRoot, "shared", name);
            var installed = InstalledVersions(folder);
            var chosen = RollForwardPolicy.Choose(requested, RollForward, installed);
            if (chosen is null)
            {
                throw new ApplicationLaunchException(MissingFramework(dotnetRoot, name, requested, installed, folder), FrameworkMissingExitCode);
            }
            if (name == "Microsoft.NETCore.App" && chosen != running)
            {
                throw new ApplicationLaunchException(
                    $"This application runs on {name} {chosen} (it asks for {requested}, roll-forward {RollForward}), and `app run` runs applications in the workbench's runtime, {running}. " +
                    $"Set DOTNET_ROLL_FORWARD=LatestMajor (or rollForward in its runtimeconfig.json) to run it on {running}, as it would run unpackaged with that setting.", FrameworkMissingExitCode);
            }
        }
    }

    /// <summary>Gives this process the application's configuration properties and dependency context: done just before
    /// its Main is called, after the workbench has read its own.</summary>
    public void Apply()
    {
        foreach (var (name, value) in Properties)
        {
            AppContext.SetData(name, value);
        }
        var deps = Path.ChangeExtension(_entryPath, ".deps.json");
        // The host lists the application's deps.json first, then the frameworks'; the frameworks' stay as they are.
        var frameworks = ((AppContext.GetData(DepsFilesKey) as string) ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries).Skip(1);
        AppContext.SetData(DepsFilesKey, string.Join(';', (File.Exists(deps) ? [deps] : Array.Empty<string>()).Concat(frameworks)) + ";");
    }

    private static void ReadFrameworks(JsonElement options, List<(string, Version)> frameworks)
    {
        void Add(JsonElement framework) =>
            frameworks.Add((framework.GetProperty("name").GetString()!, ParseVersion(framework.GetProperty("version").GetString()!)));
        if (options.TryGetProperty("framework", out var single))
        {
            Add(single);
        }
        if (options.TryGetProperty("frameworks", out var several))
        {
            foreach (var framework in several.EnumerateArray())
            {
                Add(framework);
            }
        }
    }

    private static string? ReadRollForward(JsonElement options)
    {
        if (options.TryGetProperty("rollForward", out var policy))
        {
            return policy.GetString();
        }
        // The settings before .NET Core 3.0: rollForwardOnNoCandidateFx (0 off, 1 minor, 2 major) and applyPatches.
        if (!options.TryGetProperty("rollForwardOnNoCandidateFx", out var legacy))
        {
            return null;
        }
        var patches = !options.TryGetProperty("applyPatches", out var apply) || apply.ValueKind != JsonValueKind.False;
        return legacy.GetInt32() switch
        {
            0 => patches ? "LatestPatch" : "Disable",
            2 => "Major",
            _ => "Minor",
        };
    }

    private static Version ParseVersion(string text)
    {
        // A pre-release suffix ("9.0.0-preview.1") compares as its release here.
        var release = text.Split('-', '+')[0];
        var version = Version.Parse(release);
        return new Version(version.Major, version.Minor, Math.Max(version.Build, 0));
    }

    private static List<Version> InstalledVersions(string folder)
    {
        var versions = new List<Version>();
        if (Directory.Exists(folder))
        {
            foreach (var entry in Directory.EnumerateDirectories(folder))
            {
                if (!Path.GetFileName(entry).Contains('-', StringComparison.Ordinal) && Version.TryParse(Path.GetFileName(entry), out var version) && version.Build >= 0)
                {
                    versions.Add(version);
                }
            }
        }
        versions.Sort();
        return versions;
    }

    private string MissingFramework(string dotnetRoot, string name, Version requested, List<Version> installed, string folder)
    {
        var architecture = RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant();
        var found = installed.Count == 0
            ? "No frameworks were found."
            : "The following frameworks were found:\n" + string.Concat(installed.Select(version => $"  {version} at [{folder}]\n")).TrimEnd('\n');
        return "You must install or update .NET to run this application.\n\n" +
            $"App: {_entryPath}\n" +
            $"Architecture: {architecture}\n" +
            $"Framework: '{name}', version '{requested}' ({architecture})\n" +
            $".NET location: {dotnetRoot.TrimEnd('/')}/\n\n" +
            found + "\n\n" +
            "Learn more:\nhttps://aka.ms/dotnet/app-launch-failed\n\n" +
            "To install missing framework, download:\n" +
            $"https://aka.ms/dotnet-core-applaunch?framework={name}&framework_version={requested}&arch={architecture}&rid={RuntimeInformation.RuntimeIdentifier}";
    }
}
