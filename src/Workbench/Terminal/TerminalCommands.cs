using System.CommandLine;
using VirtualizationWorkbench.Cli.Labs;
using VirtualizationWorkbench.Cli.Progress;
using VirtualizationWorkbench.Cli.Terminal.Screens;
using VirtualizationWorkbench.Cli.Terminal.ViewModels;

namespace VirtualizationWorkbench.Cli.Terminal;

/// <summary>The commands that open the terminal UI: <c>workbench</c> alone (home), <c>workbench inspect FILE</c>
/// (the machine inspector on a program), and its benchmark <c>workbench bench-ui</c>.</summary>
internal static class TerminalCommands
{
    /// <summary>Opens the home screen (what <c>workbench</c> with no command does).</summary>
    public static int OpenHome(string? labsFolder = null)
    {
        RequireTerminal();
        var context = new TerminalContext(LabCatalog.Locate(labsFolder), ProgressStore.Default);
        return new TerminalApp(new HomeScreen(context)).Run();
    }

    public static Command Inspect()
    {
        var file = new Argument<string>("program") { Description = "An assembly source (.s) or a program image (.bin)" };
        var command = new Command("inspect", "Open the machine inspector on a program: step, run, breakpoints, registers, memory, page tables, trace") { file };
        command.SetAction(parse =>
        {
            // The program is read first, so a bad file is reported on the plain terminal, not inside the UI.
            var program = InspectedProgram.FromFile(parse.GetValue(file)!);
            RequireTerminal();
            return new TerminalApp(new InspectorScreen(program)).Run();
        });
        return command;
    }

    public static Command Bench()
    {
        var seconds = new Option<double>("--seconds") { Description = "Seconds per run of the machine (each of quiet and drawn, per round)", DefaultValueFactory = _ => 3 };
        var rounds = new Option<int>("--rounds") { Description = "Rounds of quiet and drawn runs (the median is reported)", DefaultValueFactory = _ => 3 };
        var presses = new Option<int>("--presses") { Description = "Key presses timed per screen", DefaultValueFactory = _ => 200 };
        var command = new Command("bench-ui", "Measure the terminal UI: time from a key press to the drawn frame per screen, and what drawing a running machine costs the core")
        {
            seconds, rounds, presses,
        };
        command.SetAction(parse =>
        {
            if (parse.GetValue(seconds) is <= 0 or > 600) throw new UserError("--seconds must be greater than 0 and at most 600");
            if (parse.GetValue(rounds) is < 1 or > 20) throw new UserError("--rounds must be 1 to 20");
            if (parse.GetValue(presses) is < 10 or > 100_000) throw new UserError("--presses must be 10 to 100000");
            if (!Cli.Benchmarks.CoreBenchmark.Optimized)
            {
                Console.Error.WriteLine("warning: this is a Debug build; measure with: dotnet run -c Release --project src/Workbench -- bench-ui");
            }
            var context = new TerminalContext(LabCatalog.Locate(), new ProgressStore(Directory.CreateTempSubdirectory("vwb-bench-ui-").FullName));
            Console.WriteLine("key press to drawn frame (100x30, with colours):");
            foreach (var k in Terminal.Benchmarks.UiBenchmark.MeasureKeys(context, parse.GetValue(presses)))
            {
                Console.WriteLine($"  {k.Screen,-10} median {k.MedianMs,6:F2} ms   p99 {k.P99Ms,6:F2} ms   max {k.MaxMs,6:F2} ms   ({k.Presses} presses of {k.Keys})");
            }
            var run = Terminal.Benchmarks.UiBenchmark.MeasureRun(parse.GetValue(seconds), parse.GetValue(rounds));
            Console.WriteLine("machine running in the inspector:");
            Console.WriteLine($"  quiet {run.QuietMips,7:F1} guest MIPS   drawn {run.DrawnMips,7:F1} guest MIPS at {run.FramesPerSecond:F1} frames/s   drawing costs the core {run.Overhead * 100:F1} %");
            Console.WriteLine($"  drawing took {run.DrawingShare * 100:F1} % of one host core ({run.DrawingShare * 1000 / Math.Max(1, run.FramesPerSecond):F1} ms a frame)");
            return 0;
        });
        return command;
    }

    private static void RequireTerminal()
    {
        if (TerminalApp.WhyNotInteractive() is { } why) throw new UserError($"{why}; {TerminalApp.PlainCommands}");
    }
}
