using System.Diagnostics;
using System.Runtime.InteropServices;
using VirtualizationWorkbench.Sandbox.FileSystem;
using VirtualizationWorkbench.Sandbox.Paths;

namespace VirtualizationWorkbench.Packager.Running.Boundary;

/// <summary>The sandbox as a boundary the kernel enforces (Linux): <c>app run</c> starts the workbench again inside
/// a new user and mount namespace whose mounts are the package's isolation rules (<see cref="MountPlan"/>), in a
/// new session and with no capabilities, so that native calls, reflection, child processes and every other way
/// around the rewritten calls meet the same rules. <c>enter-sandbox.pl</c> makes the namespace (Perl, because
/// it is in every Debian system and single-threaded; unshare(2) of a user namespace needs a single thread, which
/// a .NET process never is). Where that cannot be done, the rewriting is the only line and the boundary is
/// advisory; <see cref="SwitchVariable"/>=off chooses that.</summary>
public static class KernelBoundary
{
    /// <summary>Set to <c>off</c> to run without the kernel boundary (advisory sandbox only).</summary>
    public const string SwitchVariable = "VWB_KERNEL_BOUNDARY";

    /// <summary>Set, to the extraction's id, for the workbench started inside the boundary.</summary>
    public const string InsideVariable = "VWB_KERNEL_BOUNDARY_INSIDE";

    /// <summary>The exit status of the entry script when it could not make the boundary (nothing ran).</summary>
    private const int SetupFailed = 125;

    private const string Perl = "/usr/bin/perl";

    /// <summary>The one line <c>app run</c> prints when the application runs without the kernel boundary.</summary>
    public static string AdvisoryNotice(string reason) =>
        $"workbench: the sandbox is advisory here ({reason}): only the rewritten calls are redirected; see docs/packager.md, \"What is enforced\".";

    /// <summary>The extraction id this process was started inside the boundary for, or null outside it.</summary>
    public static string? InsideFor => Environment.GetEnvironmentVariable(InsideVariable) is { Length: > 0 } id ? id : null;

    /// <summary>Why the kernel boundary cannot be used here, or null when it can.</summary>
    public static string? Unavailable()
    {
        if (string.Equals(Environment.GetEnvironmentVariable(SwitchVariable), "off", StringComparison.OrdinalIgnoreCase))
        {
            return $"{SwitchVariable}=off";
        }
        if (!OperatingSystem.IsLinux())
        {
            return "kernel namespaces are a Linux feature";
        }
        if (RuntimeInformation.OSArchitecture is not (Architecture.X64 or Architecture.Arm64))
        {
            return $"no system call table for {RuntimeInformation.OSArchitecture}";
        }
        if (!File.Exists(Perl))
        {
            return $"{Perl} is missing";
        }
        if (ReadNumber("/proc/sys/user/max_user_namespaces") == 0)
        {
            return "user namespaces are turned off (user.max_user_namespaces=0)";
        }
        if (ReadNumber("/proc/sys/kernel/unprivileged_userns_clone") == 0 && getuid() != 0)
        {
            return "unprivileged user namespaces are turned off (kernel.unprivileged_userns_clone=0)";
        }
        if (ReadNumber("/proc/sys/kernel/apparmor_restrict_unprivileged_userns") == 1 && getuid() != 0)
        {
            return "AppArmor restricts unprivileged user namespaces (kernel.apparmor_restrict_unprivileged_userns=1)";
        }
        return null;
    }

    /// <summary>The process that runs <paramref name="commandLine"/> inside the boundary for the package whose view
    /// <paramref name="fileSystem"/> describes (the sandbox's kernel layers made ready); or null, with
    /// <paramref name="failure"/> saying why, when the package's paths cannot be mounted.</summary>
    public static ProcessStartInfo? Command(VirtualFileSystem fileSystem, string extractionId, IReadOnlyList<string> commandLine, out string? failure,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        failure = null;
        MountPlan plan;
        try
        {
            plan = MountPlan.For(fileSystem.Macros, fileSystem.Policy, fileSystem.Package.Root, fileSystem.Sandbox.Root, KeptFolders());
        }
        catch (PlatformNotSupportedException e)
        {
            failure = e.Message;
            return null;
        }
        var failureFile = FailureFile(fileSystem);
        File.Delete(failureFile);
        var start = new ProcessStartInfo(Perl) { UseShellExecute = false };
        // The architecture names the script's system call table (Unavailable has refused any other).
        var architecture = RuntimeInformation.OSArchitecture == Architecture.Arm64 ? "aarch64" : "x86_64";
        foreach (var argument in (string[])["-e", Script.Value, "--", failureFile, getuid().ToString(System.Globalization.CultureInfo.InvariantCulture), getgid().ToString(System.Globalization.CultureInfo.InvariantCulture), architecture])
        {
            start.ArgumentList.Add(argument);
        }
        foreach (var step in plan.Steps)
        {
            start.ArgumentList.Add(step);
        }
        start.ArgumentList.Add("--");
        start.ArgumentList.Add(Environment.CurrentDirectory);
        foreach (var argument in commandLine)
        {
            start.ArgumentList.Add(argument);
        }
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }
        start.Environment[InsideVariable] = extractionId;
        // The runtime's diagnostics socket would otherwise be made in the application's temporary folder, that
        // is, in its sandbox, at every start.
        start.Environment["DOTNET_EnableDiagnostics_IPC"] = "0";
        return start;
    }

    /// <summary>Where a package's program is started inside the boundary: at its own location as the application
    /// sees it (under <c>/opt</c> for <c>%ProgramFilesDir%</c>), where the overlay shows the package's files with
    /// the sandbox above them, so that a program writing beside itself writes into its sandbox as a .NET
    /// application's rewritten calls do; or, where no overlay shows them there (the macro's host folder is
    /// missing, or the rules merge that folder with the host's), from the read-only extraction.</summary>
    public static string ProgramPath(VirtualFileSystem fileSystem, string sourceKey, string extractedPath)
    {
        var location = VirtualLocation.ParseKey(sourceKey);
        var hostFolder = fileSystem.Macros.HostFolder(location.Macro);
        var shown = hostFolder is not null && Directory.Exists(hostFolder) && new DirectoryInfo(hostFolder).LinkTarget is null
            && fileSystem.Policy.ModeOf(location) != IsolationMode.Merged;
        return shown ? fileSystem.Macros.HostPath(location) : extractedPath;
    }

    private static string FailureFile(VirtualFileSystem fileSystem) => Path.Combine(KernelLayer.Folder(fileSystem.Sandbox.Root), ".setup-failure");

    /// <summary>Runs <paramref name="commandLine"/> (this workbench's own, again, or a package's Linux program)
    /// inside the boundary for the package whose view <paramref name="fileSystem"/> describes, with standard
    /// streams shared and <paramref name="environment"/> added to this process's variables, and returns its
    /// exit code; or null, with <paramref name="failure"/> saying why, when the boundary could not be made (then
    /// nothing ran).</summary>
    public static int? Run(VirtualFileSystem fileSystem, string extractionId, IReadOnlyList<string> commandLine, out string? failure,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        if (Command(fileSystem, extractionId, commandLine, out failure, environment) is not { } start)
        {
            return null;
        }
        var failureFile = FailureFile(fileSystem);
        using var process = Process.Start(start)!;
        // The application is in a session of its own, so the terminal's Ctrl-C reaches this process only: it is
        // passed on, as are the signals that end a process politely.
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => Forward(context, process, 2));
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => Forward(context, process, 15));
        using var hangUp = PosixSignalRegistration.Create(PosixSignal.SIGHUP, context => Forward(context, process, 1));
        using var quit = PosixSignalRegistration.Create(PosixSignal.SIGQUIT, context => Forward(context, process, 3));
        process.WaitForExit();
        if (process.ExitCode == SetupFailed && File.Exists(failureFile))
        {
            failure = File.ReadAllText(failureFile).Trim();
            File.Delete(failureFile);
            return null;
        }
        return process.ExitCode;
    }

    /// <summary>The command line that starts this workbench again with the same arguments.</summary>
    public static string[] ThisCommandLine(string workbenchAssembly)
    {
        var processPath = Environment.ProcessPath!;
        var head = Path.GetFileNameWithoutExtension(processPath) == "dotnet" ? new[] { processPath, workbenchAssembly } : [processPath];
        return [.. head, .. Environment.GetCommandLineArgs().Skip(1)];
    }

    /// <summary>Whether this process is really inside a user namespace (its user map is not the whole range).</summary>
    public static bool InUserNamespace()
    {
        try
        {
            var map = File.ReadAllText("/proc/self/uid_map").Split(' ', StringSplitOptions.RemoveEmptyEntries);
            return map.Length < 3 || map[2].Trim() != "4294967295";
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static void Forward(PosixSignalContext context, Process process, int signal)
    {
        context.Cancel = true;
        _ = kill(process.Id, signal);
    }

    // The .NET runtime (shared framework and host) and the workbench itself must start whatever the rules hide.
    private static IEnumerable<string> KeptFolders()
    {
        var framework = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        yield return Path.GetFullPath(Path.Combine(framework, "..", "..", ".."));
        yield return AppContext.BaseDirectory;
        if (Environment.ProcessPath is { } host)
        {
            yield return Path.GetDirectoryName(host)!;
        }
    }

    private static long? ReadNumber(string path)
    {
        try
        {
            return long.TryParse(File.ReadAllText(path).Trim(), out var value) ? value : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static readonly Lazy<string> Script = new(() =>
    {
        using var stream = typeof(KernelBoundary).Assembly.GetManifestResourceStream("Boundary.enter-sandbox.pl")!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    });

    // DllImport rather than LibraryImport: the generated marshaller needs unsafe code, which this library avoids.
#pragma warning disable SYSLIB1054
    [DllImport("libc")]
    private static extern uint getuid();

    [DllImport("libc")]
    private static extern uint getgid();

    [DllImport("libc")]
    private static extern int kill(int process, int signal);
#pragma warning restore SYSLIB1054
}
