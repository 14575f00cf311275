using System.CommandLine;
using System.Diagnostics;
using VirtualizationWorkbench.Sandbox.FileSystem;
using VirtualizationWorkbench.Sandbox.Registry;
using VirtualizationWorkbench.Workbench;

namespace VirtualizationWorkbench.Bench;

/// <summary><c>workbench-bench registry</c>: what a registry write costs in a sandbox (the journal), measured on the
/// three cases of issue 21: many small writes, small writes beside one large value, and many writers at once.
/// Each case starts from a new sandbox in a temporary folder; figures go to docs/benchmarks.md.</summary>
internal static class RegistryBenchCommand
{
    private const string Key = @"HKEY_CURRENT_USER\Software\Bench";

    public static Command Create()
    {
        var writes = new Option<int>("--writes") { Description = "Small writes in the first case.", DefaultValueFactory = _ => 3000 };
        var beside = new Option<int>("--beside") { Description = "Small writes beside the large value.", DefaultValueFactory = _ => 2000 };
        var largeMiB = new Option<int>("--large-mib") { Description = "Size of the large value in MiB.", DefaultValueFactory = _ => 5 };
        var threads = new Option<int>("--threads") { Description = "Writers at once, each with its own journal as separate instances have.", DefaultValueFactory = _ => 20 };
        var perThread = new Option<int>("--per-thread") { Description = "Writes of each writer.", DefaultValueFactory = _ => 100 };
        var runs = new Option<int>("--runs") { Description = "Repetitions of each case (the median is printed).", DefaultValueFactory = _ => 5 };
        var command = new Command("registry", "Measure the virtual registry's writes to a sandbox: many small ones, beside a large value, from many writers at once.")
        {
            writes, beside, largeMiB, threads, perThread, runs,
        };
        command.SetAction(parse =>
        {
            var count = parse.GetValue(runs);
            if (count is < 1 or > 100) throw new UserError("--runs: give between 1 and 100");
            if (parse.GetValue(writes) < 1 || parse.GetValue(beside) < 1 || parse.GetValue(threads) < 1 || parse.GetValue(perThread) < 1 || parse.GetValue(largeMiB) < 1)
            {
                throw new UserError("--writes, --beside, --large-mib, --threads and --per-thread: give positive numbers");
            }
            Console.WriteLine($"machine: {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}; {count} runs each, medians");
            SmallWrites(parse.GetValue(writes), count);
            BesideLargeValue(parse.GetValue(beside), parse.GetValue(largeMiB), count);
            ManyWriters(parse.GetValue(threads), parse.GetValue(perThread), count);
            return 0;
        });
        return command;
    }

    private static void SmallWrites(int writes, int runs)
    {
        var reopen = new List<double>();
        var size = 0L;
        var median = Median(runs, folder =>
        {
            var registry = Open(folder);
            var time = Stopwatch.StartNew();
            for (var i = 0; i < writes; i++)
            {
                registry.SetValue(Key, $"v{i}", RegistryValue.DWord((uint)i));
            }
            var elapsed = time.Elapsed.TotalMilliseconds;
            time.Restart();
            var reopened = Open(folder);
            reopen.Add(time.Elapsed.TotalMilliseconds);
            Check(reopened.GetValueNames(Key).Count == writes, $"{writes} writes, {reopened.GetValueNames(Key).Count} read back");
            size = new FileInfo(Path.Combine(folder, RegistryJournal.FileName)).Length;
            return elapsed;
        });
        Console.WriteLine($"{writes} SetValue calls, one new value each: {median:0} ms ({median * 1000 / writes:0} µs a write); journal {size / 1024.0:0} KiB; opening it again {Median(reopen):0.0} ms");
    }

    private static void BesideLargeValue(int writes, int largeMiB, int runs)
    {
        var large = new byte[largeMiB * 1024 * 1024];
        Random.Shared.NextBytes(large);
        var median = Median(runs, folder =>
        {
            var registry = Open(folder);
            registry.SetValue(Key, "Large", RegistryValue.Binary(large));
            var time = Stopwatch.StartNew();
            for (var i = 0; i < writes; i++)
            {
                registry.SetValue(Key, "Counter", RegistryValue.DWord((uint)i));
            }
            var elapsed = time.Elapsed.TotalMilliseconds;
            var reopened = Open(folder);
            Check(RegistryValue.DWord((uint)writes - 1).Equals(reopened.GetValue(Key, "Counter")) && ((byte[])reopened.GetValue(Key, "Large")!.Data).AsSpan().SequenceEqual(large),
                "the values read back differ from those written");
            return elapsed;
        });
        Console.WriteLine($"{writes} SetValue calls beside one {largeMiB} MiB value: {median:0} ms ({median * 1000 / writes:0} µs a write)");
    }

    private static void ManyWriters(int threads, int perThread, int runs)
    {
        var median = Median(runs, folder =>
        {
            // Each writer has its own registry and journal, as instances in separate processes do; only the sandbox
            // lock orders them.
            var registries = Enumerable.Range(0, threads).Select(_ => Open(folder)).ToList();
            var time = Stopwatch.StartNew();
            Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, thread =>
            {
                for (var i = 0; i < perThread; i++)
                {
                    registries[thread].SetValue(Key, $"t{thread}-{i}", RegistryValue.DWord((uint)i));
                }
            });
            var elapsed = time.Elapsed.TotalMilliseconds;
            var kept = Open(folder).GetValueNames(Key).Count;
            Check(kept == threads * perThread, $"{threads * perThread} values written, {kept} kept");
            return elapsed;
        });
        Console.WriteLine($"{threads} writers at once, {perThread} values each: {median:0} ms, all {threads * perThread} values kept");
    }

    private static VirtualRegistry Open(string folder)
    {
        var sandbox = new SandboxLayer(folder);
        return new VirtualRegistry(new RegistryTree(), sandbox.OpenRegistryJournal());
    }

    /// <summary>The median over <paramref name="runs"/> of <paramref name="measure"/>, each on a new sandbox.</summary>
    private static double Median(int runs, Func<string, double> measure)
    {
        var times = new List<double>();
        for (var run = 0; run < runs; run++)
        {
            var folder = Directory.CreateTempSubdirectory("vwb-bench-registry-").FullName;
            try
            {
                times.Add(measure(folder));
            }
            finally
            {
                Directory.Delete(folder, recursive: true);
            }
        }
        return Median(times);
    }

    private static double Median(List<double> times)
    {
        times.Sort();
        return times[times.Count / 2];
    }

    private static void Check(bool condition, string problem)
    {
        if (!condition)
        {
            throw new InvalidOperationException($"registry benchmark: {problem}");
        }
    }
}
