using System.Diagnostics;
using System.Globalization;

namespace VirtualizationWorkbench.Grading;

/// <summary>
/// The limits a submission runs under, and the command that applies them. On Linux with bubblewrap
/// (<c>bwrap</c>) the worker sees the whole filesystem read-only except its own folder, has no network, its own
/// process and IPC namespaces, and no capabilities (so even as root it cannot remount anything writable). On
/// every platform: a memory limit (the GC's hard heap limit, and an address-space limit with <c>prlimit</c> when
/// it exists), a time limit per test and per submission, and a cap on the output kept. Without bwrap the file and
/// network protections are missing, and <see cref="Describe"/> says so in every report.
/// </summary>
public sealed record Containment
{
    private static readonly Lazy<bool> Bubblewrap = new(() => Works("bwrap", "--ro-bind", "/", "/", "--cap-drop", "ALL", "--unshare-net", "true"));
    private static readonly Lazy<bool> Prlimit = new(() => Works("prlimit", "--as=unlimited", "true"));

    /// <summary>How long one test may run.</summary>
    public TimeSpan TestTimeLimit { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long one submission may take in all (compiling, and every test).</summary>
    public TimeSpan SubmissionTimeLimit { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>The managed heap's hard limit, in bytes.</summary>
    public long MemoryLimit { get; init; } = 512L * 1024 * 1024;

    /// <summary>Characters of the worker's own standard output and error that are kept.</summary>
    public int OutputCap { get; init; } = 64 * 1024;

    /// <summary>Whether the filesystem and network isolation (bubblewrap) is in force on this machine.</summary>
    public bool Isolated => Bubblewrap.Value;

    /// <summary>The protections in force, in words, for the reports.</summary>
    public string Describe() =>
        (Isolated
            ? "bubblewrap: host filesystem read-only except the submission's folder, no network, own process namespace, no capabilities"
            : "WARNING: bubblewrap (bwrap) is not available, so the submission could write files outside its folder and use the network; install it (apt-get install bubblewrap)")
        + $"; heap limit {MemoryLimit / (1024 * 1024)} MiB{(Prlimit.Value ? $", address space {AddressSpaceLimit / (1024 * 1024 * 1024)} GiB" : "")}"
        + $"; {TestTimeLimit.TotalSeconds:0} s per test, {SubmissionTimeLimit.TotalSeconds:0} s per submission; output kept up to {OutputCap / 1024} KiB";

    // .NET reserves address space well beyond its heap; with a hard heap limit a few GiB is ample, and the limit
    // still stops native allocations that the heap limit does not see.
    private long AddressSpaceLimit => Math.Max(4L * 1024 * 1024 * 1024, MemoryLimit * 8);

    /// <summary>The command that runs this workbench with <paramref name="arguments"/> inside the limits, with
    /// <paramref name="folder"/> as the only writable place (and its home and temporary folder).</summary>
    public ProcessStartInfo Command(string folder, IEnumerable<string> arguments)
    {
        var home = Path.Combine(folder, "home");
        var temp = Path.Combine(folder, "tmp");
        Directory.CreateDirectory(home);
        Directory.CreateDirectory(temp);
        var command = new List<string>();
        if (Isolated)
        {
            command.AddRange([
                "bwrap", "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc", "--tmpfs", "/dev/shm",
                "--bind", folder, folder, "--chdir", folder,
                "--unshare-net", "--unshare-pid", "--unshare-ipc", "--unshare-uts",
                "--cap-drop", "ALL", "--die-with-parent", "--new-session", "--",
            ]);
        }
        if (Prlimit.Value) command.AddRange(["prlimit", $"--as={AddressSpaceLimit}", "--core=0", "--"]);
        command.AddRange([DotnetHost, WorkerProgram]);
        command.AddRange(arguments);

        var start = new ProcessStartInfo(command[0])
        {
            WorkingDirectory = folder,
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
        start.Environment["TMPDIR"] = temp;
        start.Environment["DOTNET_ROOT"] = Path.GetDirectoryName(DotnetHost) ?? "";
        start.Environment["DOTNET_GCHeapHardLimit"] = MemoryLimit.ToString("x", CultureInfo.InvariantCulture);
        start.Environment["DOTNET_EnableDiagnostics"] = "0";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        // The tests' knob for collecting garbage without pause in the worker (see GradingWorker.GcStressVariable).
        if (Environment.GetEnvironmentVariable(GradingWorker.GcStressVariable) is { } stress) start.Environment[GradingWorker.GcStressVariable] = stress;
        return start;
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

    // The host running this workbench (dotnet), so the worker uses the same runtime.
    private static string DotnetHost => Environment.ProcessPath is { } p && Path.GetFileNameWithoutExtension(p) == "dotnet" ? p : "dotnet";

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
