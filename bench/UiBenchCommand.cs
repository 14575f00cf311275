using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using VirtualizationWorkbench.Workbench;
using VirtualizationWorkbench.Workbench.Terminal.Shell;

namespace VirtualizationWorkbench.Bench;

/// <summary>
/// <c>workbench-bench ui</c>: the terminal UI as a student meets it — the real <c>workbench</c> in a tmux pane.
/// Key to frame, twice: seen from outside (a key goes in with <c>send-keys</c> and the pane is read until the
/// inspector shows its effect; that includes starting tmux's client for every read, an upper bound), and from inside
/// (the UI's own trace, <see cref="UiTrace"/>: from the key's arrival to the first frame drawn after it). Frame
/// rate: the frames the UI drew while the machine ran, from its trace. The core's cost of being drawn: its
/// instructions per second while the inspector draws it, against the same run in the same process while the help
/// screen covers the inspector (nothing drawn), in alternating windows.
/// </summary>
internal static partial class UiBenchCommand
{
    private const string Spin = "start:\n    li r1, 0\n    li r2, 0x8000\nagain:\n    addi r1, r1, 1\n    st [r2], r1\n    ld r3, [r2]\n    jmp again\n";

    public static Command Create()
    {
        var presses = new Option<int>("--presses") { Description = "Key presses to time", DefaultValueFactory = _ => 100 };
        var pairs = new Option<int>("--pairs") { Description = "Pairs of windows (drawn, not drawn) that time the core's cost of being drawn", DefaultValueFactory = _ => 4 };
        var command = new Command("ui", "Time the terminal UI in tmux: key to frame in the inspector, frames per second of a running machine, the core's cost of being drawn") { presses, pairs };
        command.SetAction(parse =>
        {
            var count = parse.GetValue(presses);
            if (count is < 10 or > 10_000) throw new UserError("--presses: give between 10 and 10000");
            var windowPairs = parse.GetValue(pairs);
            if (windowPairs is < 1 or > 100) throw new UserError("--pairs: give between 1 and 100");
            return Run(count, windowPairs);
        });
        return command;
    }

    private static int Run(int presses, int pairs)
    {
        var folder = Directory.CreateTempSubdirectory("vwb-bench-ui-").FullName;
        var socket = $"vwb-bench-{Environment.ProcessId}";
        try
        {
            var program = Path.Combine(folder, "spin.s");
            File.WriteAllText(program, Spin);
            var trace = Path.Combine(folder, "trace.txt");
            var workbench = Path.Combine(AppContext.BaseDirectory, "workbench.dll");
            Tmux(socket, "new-session", "-d", "-x", "100", "-y", "30", "-s", "b", "-e", "TERM=xterm-256color", "-e", "LANG=C.UTF-8",
                "-e", $"{UiTrace.Variable}={trace}", $"dotnet '{workbench}' inspect '{program}'");
            WaitFor(socket, s => s.Contains("Machine inspector: spin.s", StringComparison.Ordinal));
            var times = new List<double>();
            for (var i = 0; i < presses + 10; i++)
            {
                // s steps, b steps back: the pc line alternates between the two first instructions.
                var (key, pc) = i % 2 == 0 ? ("s", "pc 00001008") : ("b", "pc 00001000");
                var clock = Stopwatch.StartNew();
                Tmux(socket, "send-keys", "-t", "b", key);
                WaitFor(socket, s => s.Contains(pc, StringComparison.Ordinal));
                if (i >= 10) times.Add(clock.Elapsed.TotalMilliseconds);
            }
            times.Sort();
            Console.WriteLine($"key to frame seen in tmux (inspector, s/b, {presses} presses, 100x30): median {Median(times):F1} ms, p99 {Percentile(times, 0.99):F1} ms, max {times[^1]:F1} ms");

            // The machine runs for a second to warm up (the JIT tiers the run loop up), pauses, then runs in windows
            // of RunFor, drawn and not drawn in turn (ABBA ABBA, so that a drift in the machine's speed falls on both
            // alike). Not drawn is the same run in the same process with the help screen over the inspector: the
            // shell then ticks the help screen, the inspector asks for no view and draws nothing, and the core runs
            // on. Comparing one process with itself leaves out what a second process or a second inspector would
            // differ by (their order, their JIT). Nobody reads the pane inside a window: reads take CPU from it.
            string PauseAndRead(string after)
            {
                Tmux(socket, "send-keys", "-t", "b", "r");
                var at = "";
                WaitFor(socket, s => Paused().Match(s) is { Success: true } m && m.Groups[1].Value != after && (at = m.Groups[1].Value) != "");
                return at;
            }
            Tmux(socket, "send-keys", "-t", "b", "r");
            Thread.Sleep(TimeSpan.FromSeconds(1));
            var last = PauseAndRead("");
            var windows = new List<(bool Drawn, ulong Instructions)>();
            foreach (var drawnWindow in Enumerable.Range(0, pairs).SelectMany(p => p % 2 == 0 ? [true, false] : (bool[])[false, true]))
            {
                Tmux(socket, "send-keys", "-t", "b", "r");
                if (!drawnWindow) Tmux(socket, "send-keys", "-t", "b", "?");
                Thread.Sleep(RunFor);
                if (!drawnWindow)
                {
                    Tmux(socket, "send-keys", "-t", "b", "q");
                    WaitFor(socket, s => s.Contains("running:", StringComparison.Ordinal));
                }
                var at = PauseAndRead(last);
                windows.Add((drawnWindow, Count(at) - Count(last)));
                last = at;
            }
            Tmux(socket, "send-keys", "-t", "b", "q");
            var clockOut = Stopwatch.StartNew();
            while (!File.Exists(trace) && clockOut.Elapsed < TimeSpan.FromSeconds(30)) Thread.Sleep(50);
            if (!File.Exists(trace)) throw new UserError("the workbench wrote no UI trace: did it quit?");

            var (keys, frames) = ReadTrace(trace);
            var latencies = new List<double>();
            // The presses, after the warm-up: each key's time to the first frame finished after it, inside the UI.
            foreach (var (ms, _) in keys.Where(k => k.Name is "s" or "b").Skip(10))
            {
                var next = frames.FindIndex(f => f >= ms);
                if (next >= 0) latencies.Add(frames[next] - ms);
            }
            latencies.Sort();
            Console.WriteLine($"key to frame inside the UI (received to drawn, {latencies.Count} presses): median {Median(latencies):F1} ms, p99 {Percentile(latencies, 0.99):F1} ms, max {latencies[^1]:F1} ms");

            // Each window runs from an r that starts the machine to the r that pauses it, timed by the UI's own clock.
            var runKeys = keys.Where(k => k.Name == "r").Select(k => k.Ms).ToList()[^(2 * windows.Count)..];
            var rates = new List<(bool Drawn, double PerSecond, double Frames)>();
            for (var i = 0; i < windows.Count; i++)
            {
                var (from, to) = (runKeys[2 * i], runKeys[2 * i + 1]);
                var seconds = (to - from) / 1000;
                rates.Add((windows[i].Drawn, windows[i].Instructions / seconds, frames.Count(f => f > from && f <= to) / seconds));
            }
            var drawnRates = rates.Where(r => r.Drawn).ToList();
            Console.WriteLine($"running machine: {drawnRates.Average(r => r.Frames):F1} frames/s drawn ({string.Join(", ", drawnRates.Select(r => r.Frames.ToString("F1", CultureInfo.InvariantCulture)))} in the drawn windows of {RunFor.TotalSeconds:F0} s)");
            // The cost from each drawn window against the undrawn window beside it (the pairs of ABBA ABBA).
            var costs = new List<double>();
            for (var i = 0; i < rates.Count; i += 2)
            {
                var (drawn, undrawn) = rates[i].Drawn ? (rates[i], rates[i + 1]) : (rates[i + 1], rates[i]);
                costs.Add(1 - drawn.PerSecond / undrawn.PerSecond);
            }
            var undrawnRates = rates.Where(r => !r.Drawn).ToList();
            Console.WriteLine($"core while drawn: {string.Join(" ", drawnRates.Select(r => (r.PerSecond / 1e6).ToString("F1", CultureInfo.InvariantCulture)))} M instructions/s; under the help screen ({undrawnRates.Average(r => r.Frames):F1} frames/s): {string.Join(" ", undrawnRates.Select(r => (r.PerSecond / 1e6).ToString("F1", CultureInfo.InvariantCulture)))} M instructions/s");
            costs.Sort();
            Console.WriteLine($"drawing costs the core {Median(costs) * 100:F1} % at the median of {costs.Count} pairs ({string.Join(", ", costs.Select(c => (c * 100).ToString("F1", CultureInfo.InvariantCulture)))} %)");
            return 0;
        }
        finally
        {
            try
            {
                Tmux(socket, "kill-server");
            }
            catch (InvalidOperationException)
            {
                // The server ended with its last pane.
            }
            Directory.Delete(folder, recursive: true);
        }
    }

    private static readonly TimeSpan RunFor = TimeSpan.FromSeconds(3);

    private static ulong Count(string shown) => ulong.Parse(shown, NumberStyles.AllowThousands, CultureInfo.InvariantCulture);

    private static (List<(double Ms, string Name)> Keys, List<double> Frames) ReadTrace(string file)
    {
        var keys = new List<(double, string)>();
        var frames = new List<double>();
        foreach (var line in File.ReadLines(file))
        {
            var parts = line.Split(' ', 3);
            var ms = double.Parse(parts[1], CultureInfo.InvariantCulture);
            if (parts[0] == "frame") frames.Add(ms);
            else if (parts[0] == "key") keys.Add((ms, parts.Length > 2 ? parts[2] : ""));
        }
        return (keys, frames);
    }

    private static double Percentile(List<double> sorted, double p) => sorted[Math.Max(0, (int)Math.Ceiling(sorted.Count * p) - 1)];

    private static double Median(List<double> sorted) => sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;

    private static void WaitFor(string socket, Func<string, bool> condition)
    {
        var clock = Stopwatch.StartNew();
        while (!condition(Tmux(socket, "capture-pane", "-p", "-t", "b")))
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(30)) throw new UserError("the workbench did not draw what was expected within 30 s; is tmux installed?");
        }
    }

    private static string Tmux(string socket, params string[] arguments)
    {
        var start = new ProcessStartInfo("tmux") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in (string[])["-u", "-L", socket, .. arguments]) start.ArgumentList.Add(a);
        using var process = Process.Start(start) ?? throw new UserError("tmux did not start: install it (apt-get install tmux)");
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"tmux {string.Join(' ', arguments)}: {process.StandardError.ReadToEnd()}");
        return output;
    }

    [GeneratedRegex(@"paused at instruction ([\d,]+)")]
    private static partial Regex Paused();
}
