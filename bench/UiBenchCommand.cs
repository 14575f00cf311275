using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using VirtualizationWorkbench.Workbench;

namespace VirtualizationWorkbench.Bench;

/// <summary>
/// <c>workbench-bench ui</c>: the terminal UI as a student meets it — the real <c>workbench</c> in a tmux pane.
/// Key to frame: a key goes in with <c>send-keys</c> and the pane is read until the inspector shows its effect (the
/// figure includes starting tmux's client to read the pane, a few milliseconds: an upper bound). Frame rate: the
/// pane is read as fast as tmux answers while the machine runs, and the distinct instruction counts the title shows
/// are counted per second (the rate of reading bounds what can be seen).
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
            var workbench = Path.Combine(AppContext.BaseDirectory, "workbench.dll");
            Tmux(socket, "new-session", "-d", "-x", "100", "-y", "30", "-s", "b", "-e", "TERM=xterm-256color", "-e", "LANG=C.UTF-8", $"dotnet '{workbench}' inspect '{program}'");
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
            Console.WriteLine($"key to frame (inspector, s/b, {presses} presses, 100x30): median {Median(times):F1} ms, p99 {times[(int)Math.Ceiling(times.Count * 0.99) - 1]:F1} ms, max {times[^1]:F1} ms");
            Tmux(socket, "send-keys", "-t", "b", "r");
            var seen = new HashSet<string>();
            var watch = Stopwatch.StartNew();
            var reads = 0;
            while (watch.Elapsed < TimeSpan.FromSeconds(5))
            {
                reads++;
                if (Running().Match(Tmux(socket, "capture-pane", "-p", "-t", "b")) is { Success: true } m) seen.Add(m.Groups[1].Value);
            }
            Console.WriteLine($"running machine: {seen.Count / watch.Elapsed.TotalSeconds:F1} distinct frames/s seen ({reads / watch.Elapsed.TotalSeconds:F0} pane reads/s)");
            Tmux(socket, "send-keys", "-t", "b", "r");
            Tmux(socket, "send-keys", "-t", "b", "q");
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

    [GeneratedRegex(@"running: ([\d,]+) instructions")]
    private static partial Regex Running();
}
