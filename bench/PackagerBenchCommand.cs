using System.CommandLine;
using System.Diagnostics;
using VirtualizationWorkbench.Packager.Building;
using VirtualizationWorkbench.Packager.Running;
using VirtualizationWorkbench.Packager.Running.Boundary;
using VirtualizationWorkbench.Workbench;
using VirtualizationWorkbench.Sandbox.FileSystem;
using VirtualizationWorkbench.Sandbox.Paths;
using VirtualizationWorkbench.Sandbox.Redirects;
using VirtualizationWorkbench.Sandbox.Registry;
using VirtualizationWorkbench.Sandbox.Runtime;

namespace VirtualizationWorkbench.Bench;

/// <summary><c>workbench-bench packager APP-FOLDER</c>: the packager's timing goals, measured on this machine
/// (wall-clock medians). Kept out of the test run; figures go to docs/benchmarks.md.</summary>
internal static class PackagerBenchCommand
{
    private const int MiB = 1024 * 1024;

    public static Command Create()
    {
        var folder = new Argument<string>("app-folder") { Description = "A built .NET application folder to measure with (e.g. a `dotnet build` output)." };
        var entry = new Option<string?>("--entry") { Description = "Its entry assembly (default: the one found)." };
        var arguments = new Option<string[]>("--arg") { Description = "An argument for the application's start (repeat for several)." };
        var runs = new Option<int>("--runs") { Description = "Repetitions of each measurement.", DefaultValueFactory = _ => 10 };
        // The start-up goal is about the shipped command, which a Release build compiles ahead of time (ReadyToRun);
        // the copy beside this harness is plain IL, so measure the real one when it is there.
        var workbenchDll = new Option<string>("--workbench") { Description = "The workbench.dll whose `app run` is timed (default: src/Workbench's Release build if built, else the copy beside this harness).", DefaultValueFactory = _ => DefaultWorkbench() };
        var command = new Command("packager", "Measure the packager: start-up, redirected file I/O, packing 50 MB.") { folder, entry, arguments, runs, workbenchDll };
        command.SetAction(parse =>
        {
            var app = Path.GetFullPath(parse.GetValue(folder)!);
            var entries = !Directory.Exists(app) ? [] : parse.GetValue(entry) is { } named ? new[] { named } : EntryAssemblies.Find(app);
            if (entries.Count == 0)
            {
                throw new UserError($"'{app}' is not an application folder with a .NET entry point; give the output folder of `dotnet build` for an application.");
            }
            var count = Math.Max(parse.GetValue(runs), 1);
            var work = Directory.CreateTempSubdirectory("vwb-bench-").FullName;
            try
            {
                Console.WriteLine($"machine: {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}; {count} runs each, medians");
                var workbench = Path.GetFullPath(parse.GetValue(workbenchDll)!);
                if (!File.Exists(workbench)) throw new UserError($"{workbench}: no such file; build the workbench first (dotnet build -c Release src/Workbench)");
                Console.WriteLine($"workbench: {workbench}");
                StartUp(workbench, app, entries[0], parse.GetValue(arguments) ?? [], count, work);
                FileInputOutput(count, work);
                Packing(app, work);
            }
            finally
            {
                Directory.Delete(work, recursive: true);
            }
            return 0;
        });
        return command;
    }

    private static string DefaultWorkbench()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            var release = Path.Combine(folder.FullName, "src", "Workbench", "bin", "Release", "net10.0", "workbench.dll");
            if (File.Exists(Path.Combine(folder.FullName, "Workbench.sln")))
            {
                return File.Exists(release) ? release : Path.Combine(AppContext.BaseDirectory, "workbench.dll");
            }
        }
        return Path.Combine(AppContext.BaseDirectory, "workbench.dll");
    }

    private static void StartUp(string workbench, string app, string entry, string[] arguments, int runs, string work)
    {
        var package = Path.Combine(work, "start.vapp");
        PackageBuilder.Build(PackageSource.FromApplicationFolder(app, [entry], "BenchStart", IsolationMode.WriteCopy, null), package, strict: false);
        var sandbox = Path.Combine(work, "sandbox");
        // One warm-up each, so the package is extracted and both are read from a warm disk cache.
        TimeProcess(["exec", Path.Combine(app, entry), .. arguments]);
        TimeProcess([workbench, "app", "run", package, "--sandbox", sandbox, "--", .. arguments]);
        var plain = Median(runs, () => TimeProcess([Path.Combine(app, entry), .. arguments]));
        var packaged = Median(runs, () => TimeProcess([workbench, "app", "run", package, "--sandbox", sandbox, "--", .. arguments]));
        Console.WriteLine($"start: dotnet {entry}: {plain:F1} ms; workbench app run: {packaged:F1} ms; ratio {packaged / plain:F2} (goal <= 1.20)");
        KernelBoundaryCost(workbench, package, sandbox, arguments, runs);
    }

    /// <summary>What the kernel boundary adds (paired runs, one right after the other, median of the differences):
    /// the namespace set-up alone (the entry script with the package's mounts, running /bin/true, against
    /// /bin/true), and a whole <c>app run</c> with the boundary against one with VWB_KERNEL_BOUNDARY=off (which
    /// adds the second runtime start of the workbench inside the boundary).</summary>
    private static void KernelBoundaryCost(string workbench, string package, string sandbox, string[] arguments, int runs)
    {
        if (KernelBoundary.Unavailable() is { } reason)
        {
            Console.WriteLine($"kernel boundary: not measured ({reason})");
            return;
        }
        // The harness's own unsigned package: the user's trusted keys are not this measurement's business.
        var (session, _, _) = PackageLauncher.Prepare(package, null, [], sandbox, PackageTrust.None);
        var enter = KernelBoundary.Command(session.FileSystem, Path.GetFileName(session.FileSystem.Package.Root), ["/bin/true"], out var failure)
            ?? throw new UserError($"the kernel boundary cannot be planned: {failure}");
        var trueStart = new ProcessStartInfo("/bin/true");
        var mounts = enter.ArgumentList.Count(argument => argument is "overlay" or "bind" or "tmpfs");
        // Until the command inside starts (its first output), which is what the boundary adds to a start; then
        // until it has ended, which adds the namespace's teardown (the overlays' unmounting) at the end of a run.
        var echoInside = KernelBoundary.Command(session.FileSystem, Path.GetFileName(session.FileSystem.Package.Root), ["/bin/echo", "started"], out _)!;
        var toStart = PairedMedian(runs, () => TimeToOutput(echoInside), () => TimeToOutput(new ProcessStartInfo("/bin/echo", "started")));
        Console.WriteLine($"kernel boundary: namespace set-up (mounts: {mounts}) adds {toStart:F1} ms until the command inside starts (goal < 10)");
        var setUp = PairedMedian(runs, () => TimeStart(enter), () => TimeStart(trueStart));
        Console.WriteLine($"kernel boundary: namespace set-up and teardown around /bin/true add {setUp:F1} ms");
        // The processor time the set-up's process used (user + system, from getrusage of the children), which a
        // busy machine inflates far less than the wall-clock time above; and Perl's own start in it.
        var setUpCpu = PairedMedian(runs, () => CpuOfChild(enter), () => CpuOfChild(trueStart));
        var perlCpu = PairedMedian(runs, () => CpuOfChild(new ProcessStartInfo("perl", ["-e", "exec '/bin/true'"])), () => CpuOfChild(trueStart));
        Console.WriteLine($"kernel boundary: namespace set-up adds {setUpCpu:F2} ms of processor time, of which Perl's own start {perlCpu:F2} ms");
        ProcessStartInfo AppRun(bool boundary)
        {
            var start = new ProcessStartInfo("dotnet", [workbench, "app", "run", package, "--sandbox", sandbox, "--", .. arguments]);
            if (!boundary)
            {
                start.Environment[KernelBoundary.SwitchVariable] = "off";
            }
            return start;
        }
        var whole = PairedMedian(runs, () => TimeStart(AppRun(true)), () => TimeStart(AppRun(false)));
        Console.WriteLine($"kernel boundary: workbench app run with it against VWB_KERNEL_BOUNDARY=off adds {whole:F1} ms");
    }

    private static double PairedMedian(int runs, Func<double> measured, Func<double> baseline)
    {
        measured();
        baseline();
        var differences = Enumerable.Range(0, runs).Select(_ => measured() - baseline()).Order().ToArray();
        return differences[differences.Length / 2];
    }

    /// <summary>The processor time, in milliseconds, that the process <paramref name="start"/> starts used until it
    /// ended (its user and system time as the kernel accounts it to a waited-for child).</summary>
    private static double CpuOfChild(ProcessStartInfo start)
    {
        var before = ChildrenCpu();
        TimeStart(start);
        return ChildrenCpu() - before;
    }

    private static double ChildrenCpu()
    {
        // struct rusage: ru_utime and ru_stime (each a timeval of two longs), then 14 longs.
        var usage = new long[18];
        if (getrusage(-1, usage) != 0)
        {
            throw new UserError("getrusage(RUSAGE_CHILDREN) failed");
        }
        return (usage[0] + usage[2]) * 1e3 + (usage[1] + usage[3]) / 1e3;
    }

#pragma warning disable SYSLIB1054 // DllImport rather than LibraryImport: no unsafe code in this harness.
    [System.Runtime.InteropServices.DllImport("libc", SetLastError = true)]
    private static extern int getrusage(int who, long[] usage);
#pragma warning restore SYSLIB1054

    /// <summary>Milliseconds from starting <paramref name="start"/> to its first byte of output (then read to its end).</summary>
    private static double TimeToOutput(ProcessStartInfo start)
    {
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        var watch = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        if (process.StandardOutput.Read() < 0)
        {
            throw new UserError($"{start.FileName} printed nothing: {error.Result}");
        }
        var elapsed = watch.Elapsed.TotalMilliseconds;
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return elapsed;
    }

    private static double TimeStart(ProcessStartInfo start)
    {
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        var watch = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        process.StandardOutput.ReadToEnd();
        process.StandardError.ReadToEnd();
        process.WaitForExit();
        return watch.Elapsed.TotalMilliseconds;
    }

    private static void FileInputOutput(int runs, string work)
    {
        var host = Directory.CreateDirectory(Path.Combine(work, "host")).FullName;
        var direct = Directory.CreateDirectory(Path.Combine(work, "direct")).FullName;
        var macros = new FolderMacros(new Dictionary<string, string> { ["%Profile%"] = host, [FolderMacros.RootMacro] = "/" });
        var sandbox = new SandboxLayer(Path.Combine(work, "io-sandbox"));
        var vfs = new VirtualFileSystem(macros, new IsolationPolicy(IsolationMode.WriteCopy), PackageLayer.Empty(macros), sandbox);
        SandboxRuntime.Activate(new SandboxSession(vfs, new VirtualRegistry(new RegistryTree()), new VirtualEnvironment(new Dictionary<string, string>(), host), host, null, []));
        var data = new byte[MiB];
        new Random(1).NextBytes(data);
        var iterations = runs * 20;
        try
        {
            double Measure(Action action) => Median(runs, () =>
            {
                var watch = Stopwatch.StartNew();
                for (var i = 0; i < iterations; i++)
                {
                    action();
                }
                return watch.Elapsed.TotalMilliseconds / iterations;
            });
            var directWrite = Measure(() => File.WriteAllBytes(Path.Combine(direct, "one.bin"), data));
            var redirectedWrite = Measure(() => FileRedirects.WriteAllBytes(Path.Combine(host, "one.bin"), data));
            var directRead = Measure(() => File.ReadAllBytes(Path.Combine(direct, "one.bin")));
            var redirectedRead = Measure(() => FileRedirects.ReadAllBytes(Path.Combine(host, "one.bin")));
            File.WriteAllBytes(Path.Combine(host, "host-only.bin"), data);
            var directMiss = Measure(() => File.ReadAllBytes(Path.Combine(host, "host-only.bin")));
            var redirectedMiss = Measure(() => FileRedirects.ReadAllBytes(Path.Combine(host, "host-only.bin")));
            Console.WriteLine($"1 MiB write: direct {directWrite:F3} ms; redirected (atomic) {redirectedWrite:F3} ms; ratio {redirectedWrite / directWrite:F2} (goal <= 1.15)");
            Console.WriteLine($"1 MiB read from the sandbox: direct {directRead:F3} ms; redirected {redirectedRead:F3} ms; ratio {redirectedRead / directRead:F2} (goal <= 1.15)");
            Console.WriteLine($"1 MiB read missing the sandbox (host file): direct {directMiss:F3} ms; redirected {redirectedMiss:F3} ms; ratio {redirectedMiss / directMiss:F2}");

            // With rules per folder a lookup also follows symbolic links (the rule of the folder a link leads to
            // is the one that counts): the folders above are looked up once, the file itself at every lookup.
            var deep = Directory.CreateDirectory(Path.Combine(host, "projects", "app", "data", "files")).FullName;
            File.WriteAllBytes(Path.Combine(deep, "deep.bin"), data);
            var rules = new Dictionary<string, IsolationMode> { ["%Profile%/private"] = IsolationMode.Full };
            SandboxRuntime.Deactivate();
            SandboxRuntime.Activate(new SandboxSession(new VirtualFileSystem(macros, new IsolationPolicy(IsolationMode.WriteCopy, rules), PackageLayer.Empty(macros), sandbox),
                new VirtualRegistry(new RegistryTree()), new VirtualEnvironment(new Dictionary<string, string>(), host), host, null, []));
            var directDeep = Measure(() => File.ReadAllBytes(Path.Combine(deep, "deep.bin")));
            var perFolderMiss = Measure(() => FileRedirects.ReadAllBytes(Path.Combine(deep, "deep.bin")));
            Console.WriteLine($"1 MiB read missing the sandbox, rules per folder, 6 folders deep: direct {directDeep:F3} ms; redirected {perFolderMiss:F3} ms; ratio {perFolderMiss / directDeep:F2} (goal <= 1.15)");
        }
        finally
        {
            SandboxRuntime.Deactivate();
        }
    }

    private static void Packing(string app, string work)
    {
        var big = Path.Combine(work, "big-app");
        foreach (var file in Directory.EnumerateFiles(app, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(big, Path.GetRelativePath(app, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
        // 50 MB of data files beside the application: half incompressible, half text, as real applications ship.
        var random = new Random(50);
        var assets = Directory.CreateDirectory(Path.Combine(big, "assets")).FullName;
        for (var i = 0; i < 25; i++)
        {
            var bytes = new byte[MiB];
            random.NextBytes(bytes);
            File.WriteAllBytes(Path.Combine(assets, $"blob{i:D2}.bin"), bytes);
            File.WriteAllText(Path.Combine(assets, $"text{i:D2}.txt"), string.Concat(Enumerable.Range(0, MiB / 64).Select(line => $"line {line:D8} of a text asset that compresses well......\n")));
        }
        var size = Directory.EnumerateFiles(big, "*", SearchOption.AllDirectories).Sum(file => new FileInfo(file).Length);
        var watch = Stopwatch.StartNew();
        PackageBuilder.Build(PackageSource.FromApplicationFolder(big, [], "BenchPack", IsolationMode.WriteCopy, null), Path.Combine(work, "big.vapp"), strict: false);
        Console.WriteLine($"pack {size / 1e6:F1} MB folder: {watch.Elapsed.TotalSeconds:F2} s, package {new FileInfo(Path.Combine(work, "big.vapp")).Length / 1e6:F1} MB (goal <= 10 s)");

        // Data is cheap to pack; assemblies are not (each is read, rewritten and written by Cecil). The workbench's
        // own folder is a real application of that kind at hand wherever this runs: a compiler, a script engine,
        // a test framework and their resources.
        var workbench = AppContext.BaseDirectory;
        var assemblies = Directory.EnumerateFiles(workbench, "*.dll", SearchOption.AllDirectories).Count();
        var workbenchSize = Directory.EnumerateFiles(workbench, "*", SearchOption.AllDirectories).Sum(file => new FileInfo(file).Length);
        watch.Restart();
        var report = PackageBuilder.Build(PackageSource.FromApplicationFolder(workbench, ["workbench.dll"], "BenchWorkbench", IsolationMode.WriteCopy, null), Path.Combine(work, "workbench.vapp"), strict: false);
        Console.WriteLine($"pack the workbench itself ({workbenchSize / 1e6:F1} MB, {assemblies} assemblies, {report.Assemblies.Count} rewritten): {watch.Elapsed.TotalSeconds:F2} s (goal <= 10 s)");
    }

    private static double TimeProcess(string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet", arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        var watch = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        process.StandardOutput.ReadToEnd();
        process.StandardError.ReadToEnd();
        process.WaitForExit();
        return watch.Elapsed.TotalMilliseconds;
    }

    private static double Median(int runs, Func<double> measure)
    {
        var samples = Enumerable.Range(0, runs).Select(_ => measure()).Order().ToArray();
        return samples[samples.Length / 2];
    }
}
