using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using VirtualizationWorkbench.Workbench;
using VirtualizationWorkbench.Workbench.Terminal.Shell;
using VirtualizationWorkbench.Workbench.Terminal.ViewModels;

namespace VirtualizationWorkbench.Bench;

/// <summary>
/// <c>workbench-bench ui</c>: the terminal UI as a student meets it — the real <c>workbench</c> in a tmux pane.
/// Key to frame, twice: seen from outside (a key goes in with <c>send-keys</c> and the pane is read until the
/// inspector shows its effect; that includes starting tmux's client for every read, an upper bound), and from inside
/// (the UI's own trace, <see cref="UiTrace"/>: from the key's arrival to the first frame drawn after it). Frame
/// rate: the frames the UI drew while the machine ran, from its trace. The core's cost of being drawn: its
/// instructions per second in the UI against the same inspector running the program undrawn in this process.
/// </summary>
internal static partial class UiBenchCommand
{
    private const string Spin = "start:\n    li r1, 0\n    li r2, 0x8000\nagain:\n    addi r1, r1, 1\n    st [r2], r1\n    ld r3, [r2]\n    jmp again\n";

    public static Command Create()
    {
        var presses = new Option<int>("--presses") { Description = "Key presses to time", DefaultValueFactory = _ => 100 };
        var command = new Command("ui", "Time the terminal UI in tmux: key to frame in the inspector, frames per second of a running machine") { presses };
        command.SetAction(parse =>
        {
            var count = parse.GetValue(presses);
            if (count is < 10 or > 10_000) throw new UserError("--presses: give between 10 and 10000");
            return Run(count);
        });
        return command;
    }

    private static int Run(int presses)
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

            // The machine runs for a second to warm up (the JIT tiers the run loop up, as the undrawn baseline's
            // warm-up does), pauses, then runs for the measured while with nobody reading the pane (reads would take
            // CPU from it), and pauses again.
            string PauseAndRead(string after)
            {
                Tmux(socket, "send-keys", "-t", "b", "r");
                var at = "";
                WaitFor(socket, s => Paused().Match(s) is { Success: true } m && m.Groups[1].Value != after && (at = m.Groups[1].Value) != "");
                return at;
            }
            Tmux(socket, "send-keys", "-t", "b", "r");
            Thread.Sleep(TimeSpan.FromSeconds(1));
            var warm = PauseAndRead("");
            Tmux(socket, "send-keys", "-t", "b", "r");
            Thread.Sleep(RunFor);
            var paused = PauseAndRead(warm);
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
            var runKeys = keys.Where(k => k.Name == "r").Select(k => k.Ms).ToList();
            var (from, to) = (runKeys[^2], runKeys[^1]);
            var drawn = frames.Count(f => f > from && f <= to);
            var seconds = (to - from) / 1000;
            Console.WriteLine($"running machine: {drawn / seconds:F1} frames/s drawn over {seconds:F2} s");

            // The core's cost of being drawn: instructions per second in the UI against the same program run by the
            // same inspector with nobody looking, in this process, for as long.
            var inUi = (ulong.Parse(paused, NumberStyles.AllowThousands, CultureInfo.InvariantCulture) - ulong.Parse(warm, NumberStyles.AllowThousands, CultureInfo.InvariantCulture)) / seconds;
            var (alone, viewed) = Undrawn(program, TimeSpan.FromSeconds(seconds));
            Console.WriteLine($"core while drawn: {inUi / 1e6:F1} M instructions/s; not drawn: {alone / 1e6:F1} M instructions/s; drawing costs the core {Math.Max(0, 1 - inUi / alone) * 100:F1} %");
            Console.WriteLine($"core with its view taken {WorkbenchShell.AnimationRate} times a second but not drawn: {viewed / 1e6:F1} M instructions/s ({Math.Max(0, 1 - viewed / alone) * 100:F1} % below not drawn)");
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

    private static readonly TimeSpan RunFor = TimeSpan.FromSeconds(5);

    // The inspector running the program in this process with nobody drawing it, then with its view taken as often
    // as the UI takes it (what the core does for the UI, without Terminal.Gui's drawing). One inspector, warmed up
    // for a second first: a second inspector in the same process runs measurably slower than the first, so
    // comparing two would measure their order.
    private static (double Alone, double Viewed) Undrawn(string program, TimeSpan duration)
    {
        using var model = new InspectorViewModel(InspectedProgram.FromFile(program));
        model.Run();
        Thread.Sleep(TimeSpan.FromSeconds(1));
        // A view published after this moment (the core publishes one when asked, at most every 40 ms).
        ulong Fresh()
        {
            var seen = model.View().Time;
            for (var wait = Stopwatch.StartNew(); model.View().Time == seen && wait.Elapsed < TimeSpan.FromSeconds(1);) Thread.Sleep(1);
            return model.View().Time;
        }
        double Rate(bool viewed)
        {
            var start = Fresh();
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed < duration)
            {
                if (viewed) _ = model.View();
                Thread.Sleep(viewed ? 1000 / WorkbenchShell.AnimationRate : 50);
            }
            var end = Fresh();
            return (end - start) / clock.Elapsed.TotalSeconds;
        }
        var alone = Rate(viewed: false);
        var viewed = Rate(viewed: true);
        model.Pause();
        return (alone, viewed);
    }

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
