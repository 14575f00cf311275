using System.Diagnostics;
using System.Globalization;

namespace VirtualizationWorkbench.Grading;

/// <summary>
/// The limits a submission runs under, and the command that applies them. On Linux with bubblewrap
/// (<c>bwrap</c>) the worker sees only the system's programs and libraries, the runtime, the workbench, the grading
/// build and its own submission, all read-only (not the labs' solutions, the grading tests' sources, home folders or
/// other submissions), writes only to private tmpfs mounts of bounded size
/// (<c>/tmp</c>, <c>/run</c>, <c>/dev/shm</c>, which also hide the host's Unix sockets) and its results file, has no
/// network, its own user, process and IPC namespaces, a process-count limit, and no capabilities (so even as root it
/// cannot remount anything writable). On
/// every platform: a memory limit (the GC's hard heap limit, and an address-space limit with <c>prlimit</c> when
/// it exists), a time limit per test and per submission, and a cap on the output kept. Without bwrap the file and
/// network protections are missing, and <see cref="Describe"/> says so in every report.
/// </summary>
public sealed record Containment
{
    private static readonly Lazy<bool> Bubblewrap = new(() => Works("bwrap", "--ro-bind", "/", "/", "--size", "1048576", "--tmpfs", "/tmp", "--unshare-user", "--cap-drop", "ALL", "--unshare-net", "true"));
    private static readonly Lazy<bool> Prlimit = new(() => Works("prlimit", "--as=unlimited", "true"));

    /// <summary>How long one test may run.</summary>
    public TimeSpan TestTimeLimit { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long one submission may take in all (compiling, and every test).</summary>
    public TimeSpan SubmissionTimeLimit { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>The managed heap's hard limit, in bytes.</summary>
    public long MemoryLimit { get; init; } = 512L * 1024 * 1024;

    /// <summary>The size of the sandbox's private <c>/tmp</c>, its only writable folder (home, temporary files, the
    /// compiled submission), in bytes; <c>/dev/shm</c> and <c>/run</c> are private and smaller still. These are
    /// memory-backed, so they bound both the disk and the memory a submission can hold outside its heap.</summary>
    public long DiskLimit { get; init; } = 128L * 1024 * 1024;

    /// <summary>Processes and threads the sandbox may hold at once (<c>RLIMIT_NPROC</c> in the sandbox's own user
    /// namespace, and as root a pids control group). The worker itself needs a few dozen threads.</summary>
    public int ProcessLimit { get; init; } = 256;

    /// <summary>Characters of the worker's own standard output and error that are kept.</summary>
    public int OutputCap { get; init; } = 64 * 1024;

    /// <summary>Whether the filesystem and network isolation (bubblewrap) is in force on this machine.</summary>
    public bool Isolated => Bubblewrap.Value;

    /// <summary>The protections in force, in words, for the reports.</summary>
    public string Describe() =>
        (Isolated
            ? $"bubblewrap: it sees only the system's programs and libraries, the runtime, the workbench and its own submission, read-only; a private /tmp of {DiskLimit / (1024 * 1024)} MiB its only writable folder, private /run and /dev/shm, no network, own user and process namespaces, no capabilities"
            + (Environment.IsPrivilegedProcess && !ProcessCountGroup.Available ? ", no process limit (the grader runs as root and has no pids control group)" : $", at most {ProcessLimit} processes")
            : "WARNING: bubblewrap (bwrap) is not available, so the submission could write files outside its folder and use the network; install it (apt-get install bubblewrap)")
        + $"; heap limit {MemoryLimit / (1024 * 1024)} MiB{(Prlimit.Value ? $", address space {AddressSpaceLimit / (1024 * 1024 * 1024)} GiB" : "")}"
        + $"; {TestTimeLimit.TotalSeconds:0} s per test, {SubmissionTimeLimit.TotalSeconds:0} s per submission; output kept up to {OutputCap / 1024} KiB";

    // .NET reserves address space well beyond its heap; with a hard heap limit a few GiB is ample, and the limit
    // still stops native allocations that the heap limit does not see.
    private long AddressSpaceLimit => Math.Max(4L * 1024 * 1024 * 1024, MemoryLimit * 8);

    /// <summary>A process-count group for one worker where the grader needs one (running as root, see
    /// <see cref="ProcessCountGroup"/>) and can make one; else null, and <c>RLIMIT_NPROC</c> alone applies.</summary>
    public ProcessCountGroup? ProcessGroup() => Isolated ? ProcessCountGroup.Create(ProcessLimit) : null;

    /// <summary>The folder the worker may write to (its home, temporary files and compiled output), as the worker
    /// sees it: with bubblewrap a private tmpfs no host path leads to, else a folder inside <paramref name="work"/>.
    /// The grader never opens anything in it.</summary>
    public string WritableFolder(string work) => Isolated ? "/tmp" : Path.Combine(work, "sandbox");

    /// <summary>The command that runs this workbench with <paramref name="arguments"/> inside the limits. The worker
    /// reads <paramref name="submission"/> (read-only), writes only <paramref name="resultsFile"/> (a file the grader
    /// made; bound on its own, so the worker can write into it but cannot replace it with a link or a FIFO) and its
    /// <see cref="WritableFolder"/>; it also sees <paramref name="readOnly"/> (the grading build), which may lie
    /// under the host's /tmp that the sandbox's own /tmp hides. With <paramref name="group"/> (see
    /// <see cref="ProcessGroup"/>) everything runs in that process-count group.</summary>
    public ProcessStartInfo Command(string work, string submission, string resultsFile, IReadOnlyList<string> readOnly, IEnumerable<string> arguments, ProcessCountGroup? group = null)
    {
        var writable = WritableFolder(work);
        var home = Path.Combine(writable, "home");
        var command = new List<string>();
        if (group is not null) command.AddRange(group.Prefix());
        if (Isolated)
        {
            command.AddRange([
                "bwrap", "--dev", "/dev", "--proc", "/proc",
                // Private, bounded tmpfs over every shared writable place: nothing the submission writes reaches the
                // host's disk, a host Unix socket under /tmp or /run is out of reach, and /dev/shm cannot hold
                // gigabytes outside the heap limit. Mounted first, so the binds below land on top of them.
                "--size", DiskLimit.ToString(CultureInfo.InvariantCulture), "--tmpfs", "/tmp",
                "--size", (DiskLimit / 8).ToString(CultureInfo.InvariantCulture), "--tmpfs", "/dev/shm",
                "--size", (1024 * 1024).ToString(CultureInfo.InvariantCulture), "--tmpfs", "/run",
                "--dir", home,
            ]);
            command.AddRange(SystemView());
            foreach (var path in readOnly.Append(submission).Append(AppContext.BaseDirectory).Append(Path.GetDirectoryName(DotnetHost)!).Distinct(StringComparer.Ordinal))
            {
                command.AddRange(["--ro-bind", path, path]);
            }
            // The labs the workbench carries (a development build copies the repository's) are not the worker's
            // business: an empty folder hides them.
            var carriedLabs = Path.Combine(AppContext.BaseDirectory, "labs");
            if (Directory.Exists(carriedLabs)) command.AddRange(["--tmpfs", carriedLabs]);
            command.AddRange([
                "--bind", resultsFile, resultsFile,
                "--chdir", writable,
                // A user namespace of its own: the process limit below counts only this sandbox's processes.
                "--unshare-user", "--unshare-net", "--unshare-pid", "--unshare-ipc", "--unshare-uts",
                "--cap-drop", "ALL", "--die-with-parent", "--new-session", "--",
            ]);
        }
        else
        {
            Directory.CreateDirectory(home);
        }
        if (Prlimit.Value)
        {
            // No file size limit (--fsize): the runtime's double-mapped code memory is a file, and it fails to start.
            command.AddRange(["prlimit", $"--as={AddressSpaceLimit}", "--core=0"]);
            // Outside a user namespace the count is the grader's user's, all its processes: only limit inside one.
            if (Isolated) command.Add($"--nproc={ProcessLimit}");
            command.Add("--");
        }
        command.AddRange([DotnetHost, WorkerProgram]);
        command.AddRange(arguments);

        var start = new ProcessStartInfo(command[0])
        {
            WorkingDirectory = work,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var a in command.Skip(1)) start.ArgumentList.Add(a);
        // A clean environment: nothing of the grader's (tokens, paths) reaches the submission.
        start.Environment.Clear();
        start.Environment["PATH"] = Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin";
        start.Environment["HOME"] = home;
        start.Environment["TMPDIR"] = writable;
        start.Environment["DOTNET_ROOT"] = Path.GetDirectoryName(DotnetHost) ?? "";
        start.Environment["DOTNET_GCHeapHardLimit"] = MemoryLimit.ToString("x", CultureInfo.InvariantCulture);
        start.Environment["DOTNET_EnableDiagnostics"] = "0";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        // The tests' knob for collecting garbage without pause in the worker (see GradingWorker.GcStressVariable).
        if (Environment.GetEnvironmentVariable(GradingWorker.GcStressVariable) is { } stress) start.Environment[GradingWorker.GcStressVariable] = stress;
        return start;
    }

    // What of the host the sandbox sees besides the runtime, the workbench and the grading build: the system's
    // programs and libraries, and the few files of /etc that the loader and the runtime read. Not the whole
    // filesystem: home folders, the repository (the labs' Solution/ folders, the grading tests' sources) and other
    // students' submissions stay out of sight. A top-level folder that is a link (merged /usr) stays a link.
    private static readonly string[] SystemFolders = ["/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"];

    private static readonly string[] SystemFiles =
    [
        "/etc/ld.so.cache", "/etc/ld.so.conf", "/etc/ld.so.conf.d", "/etc/localtime", "/etc/os-release", "/etc/alternatives",
        "/etc/passwd", "/etc/group", "/etc/nsswitch.conf", "/etc/hosts", "/etc/ssl/certs",
    ];

    private static IEnumerable<string> SystemView()
    {
        foreach (var path in SystemFolders.Concat(SystemFiles))
        {
            var info = new FileInfo(path);
            if (info.LinkTarget is { } target && path.Count(c => c == '/') == 1) yield return "--symlink";
            else if (info.Exists || Directory.Exists(path)) yield return "--ro-bind";
            else continue;
            yield return info.LinkTarget is { } link && path.Count(c => c == '/') == 1 ? link : path;
            yield return path;
        }
    }

    /// <summary>The program whose <c>grade-worker</c> command runs a submission: the <c>workbench</c> command,
    /// installed beside this library (the grading library itself is not a program).</summary>
    public static string WorkerProgram
    {
        get
        {
            var workbench = Path.Combine(AppContext.BaseDirectory, "workbench.dll");
            return File.Exists(workbench)
                ? workbench
                : throw new GradingError($"{workbench}: the workbench command is missing, and it runs the graded code; reinstall the workbench");
        }
    }

    // The dotnet host of the runtime running this workbench, so the worker uses the same runtime. Started as
    // `dotnet workbench.dll` the process is the host itself; started through an application host (an installed
    // tool's `workbench`, the bench harness) it is not, and the host is found from the runtime's own folder
    // (ROOT/shared/Microsoft.NETCore.App/VERSION/). Its folder is bound into the sandbox, so it must be a real path.
    private static readonly Lazy<string> Host = new(() =>
    {
        if (Environment.ProcessPath is { } process && Path.GetFileNameWithoutExtension(process) == "dotnet") return process;
        var root = Path.GetFullPath(Path.Combine(System.Runtime.InteropServices.RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", ".."));
        var host = Path.Combine(root, OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet");
        if (File.Exists(host)) return host;
        if (Environment.GetEnvironmentVariable("DOTNET_ROOT") is { Length: > 0 } dotnetRoot && File.Exists(Path.Combine(dotnetRoot, "dotnet"))) return Path.Combine(dotnetRoot, "dotnet");
        throw new GradingError($"cannot find the dotnet host that runs the workbench (looked for {host}); set DOTNET_ROOT to the .NET installation's folder");
    });

    private static string DotnetHost => Host.Value;

    private static bool Works(string program, params string[] arguments)
    {
        if (!OperatingSystem.IsLinux()) return false;
        try
        {
            var start = new ProcessStartInfo(program) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
            foreach (var a in arguments) start.ArgumentList.Add(a);
            using var process = Process.Start(start)!;
            if (!process.WaitForExit(TimeSpan.FromSeconds(10)))
            {
                process.Kill(entireProcessTree: true);
                return false;
            }
            return process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}
