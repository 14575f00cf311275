using System.Reflection;
using VirtualizationWorkbench.Packager.Format;
using VirtualizationWorkbench.Packager.Running.Runtime;
using VirtualizationWorkbench.Packager.Settings;
using VirtualizationWorkbench.Sandbox.FileSystem;
using VirtualizationWorkbench.Sandbox.Paths;
using VirtualizationWorkbench.Sandbox.Registry;
using VirtualizationWorkbench.Sandbox.Runtime;

namespace VirtualizationWorkbench.Packager.Running;

/// <summary>Runs a package's entry point in this process: extracts the package once (shared by every run of the
/// same content), opens its sandbox, activates the session the rewritten calls go to, points the process
/// environment into the sandbox, and calls Main with the arguments. Standard streams are the process's own,
/// and Main's result is the exit code.</summary>
public static class PackageLauncher
{
    /// <summary>Runs the entry point <paramref name="entryName"/> (null: the first) of the package at
    /// <paramref name="packagePath"/> and returns its exit code.</summary>
    /// <exception cref="PackageFormatException">The package is unusable.</exception>
    /// <exception cref="PackageSettingsException">The entry point does not exist.</exception>
    /// <exception cref="UnauthorizedAccessException">The sandbox folder cannot be written.</exception>
    /// <exception cref="ApplicationLaunchException">The application's runtimeconfig.json cannot be satisfied.</exception>
    public static int Run(string packagePath, string? entryName, string[] arguments, string? sandboxOverride)
    {
        var (session, entryPath, entry) = Prepare(packagePath, entryName, arguments, sandboxOverride);
        if (entry.Native)
        {
            throw new PackageSettingsException($"The entry point {entry.Name} is a Linux program: it runs in its own process inside the kernel boundary (`workbench app run`), never in this one.");
        }
        return Start(session, entryPath, arguments);
    }

    /// <summary>Loads the prepared application and calls its Main; exceptions it leaves unhandled propagate.</summary>
    public static int Start(SandboxSession session, string entryPath, string[] arguments)
    {
        PointProcessIntoSandbox(session);
        RuntimeConfigOf(entryPath).Apply();
        var context = new ApplicationLoadContext(entryPath);
        var assembly = context.LoadFromAssemblyPath(entryPath);
        SandboxRuntime.Activate(session with { EntryAssembly = assembly });
        var main = assembly.EntryPoint ?? throw new PackageFormatException($"{Path.GetFileName(entryPath)} has no entry point.");
        Environment.ExitCode = 0;
        // DoNotWrapExceptions: an exception the application leaves unhandled reaches the caller as itself.
        var result = main.Invoke(null, BindingFlags.DoNotWrapExceptions, null, main.GetParameters().Length == 0 ? [] : [arguments], null);
        return result is int code ? code : Environment.ExitCode;
    }

    /// <summary>Everything up to loading the application: the session, the entry file's extracted path, and the
    /// entry point.</summary>
    /// <remarks><paramref name="trust"/>: the signers that may run it (<see cref="PackageTrust.ForThisUser"/> when null).</remarks>
    public static (SandboxSession Session, string EntryPath, EntryPoint Entry) Prepare(string packagePath, string? entryName, string[] arguments, string? sandboxOverride, PackageTrust? trust = null)
    {
        var package = ExtractedPackage.Open(packagePath, settings => new Checks(FindEntryPoint(settings, entryName), OpenSandbox(settings, packagePath, sandboxOverride)), out var checks, trust);
        var (entry, sandbox) = checks;
        var cache = package.Folder;
        var macros = FolderMacros.ForThisMachine();
        var packageLayer = new PackageLayer(cache, package.FileKeys, macros);
        var fileSystem = new VirtualFileSystem(macros, package.Settings.IsolationPolicy, packageLayer, sandbox);
        var registry = new VirtualRegistry(() =>
        {
            var hive = new RegistryTree();
            hive.Apply(package.ReadRegistry(), asChanges: false);
            return hive;
        }, sandbox.OpenRegistryJournal());

        var source = VirtualLocation.ParseKey(entry.Source);
        var entryPath = Path.Combine(cache, source.Macro, source.Relative.Replace('/', Path.DirectorySeparatorChar));
        if (!File.Exists(entryPath))
        {
            // The extraction was checked when it was made; something has removed files from it since.
            throw new PackageFormatException($"The extraction of '{packagePath}' at '{cache}' lacks its entry assembly {entry.Source}: it was changed after it was made. Delete that folder; the next start extracts the package again.");
        }
        // Before anything of the application is loaded: one that would not start unpackaged does not start here.
        if (!entry.Native)
        {
            RuntimeConfigOf(entryPath).CheckFrameworks(DotnetRoot(), Environment.Version);
        }
        var environment = new VirtualEnvironment(package.Settings.Environment, Environment.CurrentDirectory) { ChildProcessesInherit = true };
        var applicationBase = Path.GetDirectoryName(entryPath)! + Path.DirectorySeparatorChar;
        return (new SandboxSession(fileSystem, registry, environment, applicationBase, null, [entryPath, .. arguments]), entryPath, entry);
    }

    private static ApplicationRuntimeConfig RuntimeConfigOf(string entryPath) =>
        ApplicationRuntimeConfig.Read(entryPath, Environment.GetEnvironmentVariable("DOTNET_ROLL_FORWARD"));

    /// <summary>The .NET installation this process runs from: its <c>shared/Microsoft.NETCore.App/VERSION</c> holds
    /// the core library.</summary>
    private static string DotnetRoot() =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(typeof(object).Assembly.Location)!, "..", "..", ".."));

    /// <summary>What a start needs from the settings before the package is extracted.</summary>
    private sealed record Checks(EntryPoint Entry, SandboxLayer Sandbox);

    private static EntryPoint FindEntryPoint(PackageSettings settings, string? entryName)
    {
        var entry = settings.FindEntryPoint(entryName);
        if (entry.InvariantGlobalization)
        {
            // As early as the launcher knows it: before this, nothing has used a culture (see ApplicationGlobalization).
            ApplicationGlobalization.UseInvariant();
        }
        return entry;
    }

    private static SandboxLayer OpenSandbox(PackageSettings settings, string packagePath, string? sandboxOverride)
    {
        var folder = SandboxLocation.For(settings, packagePath, sandboxOverride);
        try
        {
            return new SandboxLayer(folder);
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            throw new UnauthorizedAccessException($"The sandbox folder '{folder}' cannot be written ({e.Message}). Choose another with --sandbox DIR.", e);
        }
    }

    private static void PointProcessIntoSandbox(SandboxSession session)
    {
        var fileSystem = session.FileSystem;
        string SandboxCopy(string macro, string hostFallback)
        {
            var host = fileSystem.Macros.HostFolder(macro) ?? hostFallback;
            var physical = fileSystem.Resolve(host).SandboxPath;
            Directory.CreateDirectory(physical);
            return physical;
        }
        // The package's own variables reach the processes the application starts, as ThinApp's do.
        foreach (var name in session.Environment.PackageVariableNames)
        {
            if (session.Environment.GetVariable(name) is { } value)
            {
                ProcessEnvironment.Set(name, value);
            }
        }
        var home = SandboxCopy("%Profile%", Path.GetTempPath());
        ProcessEnvironment.Set("HOME", home);
        if (OperatingSystem.IsWindows())
        {
            ProcessEnvironment.Set("USERPROFILE", home);
            ProcessEnvironment.Set("APPDATA", SandboxCopy("%AppData%", home));
            ProcessEnvironment.Set("LOCALAPPDATA", SandboxCopy("%Local AppData%", home));
            ProcessEnvironment.Set("TEMP", SandboxCopy("%Temp%", home));
            ProcessEnvironment.Set("TMP", SandboxCopy("%Temp%", home));
        }
        else
        {
            ProcessEnvironment.Set("XDG_CONFIG_HOME", SandboxCopy("%AppData%", home));
            ProcessEnvironment.Set("XDG_DATA_HOME", SandboxCopy("%Local AppData%", home));
            ProcessEnvironment.Set("XDG_CACHE_HOME", Path.Combine(home, ".cache"));
            ProcessEnvironment.Set("TMPDIR", SandboxCopy("%Temp%", home));
        }
        var currentDirectory = fileSystem.Resolve(session.Environment.CurrentDirectory).SandboxPath;
        Directory.CreateDirectory(currentDirectory);
        Directory.SetCurrentDirectory(currentDirectory);
    }
}
