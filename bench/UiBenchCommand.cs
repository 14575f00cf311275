using System.CommandLine;
using VirtualizationWorkbench.Labs;
using VirtualizationWorkbench.Labs.Progress;
using VirtualizationWorkbench.Workbench;
using VirtualizationWorkbench.Workbench.Terminal;
using VirtualizationWorkbench.Workbench.Terminal.Screens;

namespace VirtualizationWorkbench.Bench;

/// <summary><c>workbench-bench ui</c>: the terminal UI's latency and drawing cost (<see cref="UiBenchmark"/>).</summary>
internal static class UiBenchCommand
{
    public static Command Create()
    {
        var seconds = new Option<double>("--seconds") { Description = "Seconds per run of the machine (each of quiet and drawn, per round)", DefaultValueFactory = _ => 3 };
        var rounds = new Option<int>("--rounds") { Description = "Rounds of quiet and drawn runs (the median is reported)", DefaultValueFactory = _ => 3 };
        var presses = new Option<int>("--presses") { Description = "Key presses timed per screen", DefaultValueFactory = _ => 200 };
        var command = new Command("ui", "Measure the terminal UI: time from a key press to the drawn frame per screen, and what drawing a running machine costs the core")
        {
            seconds, rounds, presses,
        };
        command.SetAction(parse =>
        {
            if (parse.GetValue(seconds) is <= 0 or > 600) throw new UserError("--seconds must be greater than 0 and at most 600");
            if (parse.GetValue(rounds) is < 1 or > 20) throw new UserError("--rounds must be 1 to 20");
            if (parse.GetValue(presses) is < 10 or > 100_000) throw new UserError("--presses must be 10 to 100000");
            if (!VirtualizationWorkbench.Experiments.CoreBenchmark.Optimized)
            {
                Console.Error.WriteLine("warning: this is a Debug build; measure with: dotnet run -c Release --project bench -- ui");
            }
            var context = new TerminalContext(LabCatalog.Locate(), new ProgressStore(Directory.CreateTempSubdirectory("vwb-bench-ui-").FullName));
            Console.WriteLine("key press to drawn frame (100x30, with colours):");
            foreach (var k in UiBenchmark.MeasureKeys(context, parse.GetValue(presses)))
            {
                Console.WriteLine($"  {k.Screen,-10} median {k.MedianMs,6:F2} ms   p99 {k.P99Ms,6:F2} ms   max {k.MaxMs,6:F2} ms   ({k.Presses} presses of {k.Keys})");
            }
            var run = UiBenchmark.MeasureRun(parse.GetValue(seconds), parse.GetValue(rounds));
            Console.WriteLine("machine running in the inspector:");
            Console.WriteLine($"  quiet {run.QuietMips,7:F1} guest MIPS   drawn {run.DrawnMips,7:F1} guest MIPS at {run.FramesPerSecond:F1} frames/s   drawing costs the core {run.Overhead * 100:F1} %");
            Console.WriteLine($"  drawing took {run.DrawingShare * 100:F1} % of one host core ({run.DrawingShare * 1000 / Math.Max(1, run.FramesPerSecond):F1} ms a frame)");
            return 0;
        });
        return command;
    }
}
