using System.Diagnostics;
using VirtualizationWorkbench.Workbench.Terminal.Input;
using VirtualizationWorkbench.Workbench.Terminal.Lessons;
using VirtualizationWorkbench.Workbench.Terminal.Rendering;
using VirtualizationWorkbench.Workbench.Terminal.Screens;
using VirtualizationWorkbench.Workbench.Terminal.ViewModels;
using VirtualizationWorkbench.Machine.Assembler;
using VirtualizationWorkbench.Workbench;
using VirtualizationWorkbench.Workbench.Terminal;

namespace VirtualizationWorkbench.Bench;

/// <summary>What a key press costs on one screen: from the key to the finished frame.</summary>
public sealed record KeyLatency(string Screen, string Keys, int Presses, double MedianMs, double P99Ms, double MaxMs);

/// <summary>The machine's speed in the inspector with and without the screen drawing it, and the share of one
/// host core the drawing itself took (what it would cost a core that had to do both).</summary>
public sealed record RunCost(double QuietMips, double DrawnMips, double FramesPerSecond, double DrawingShare)
{
    /// <summary>The share of the core's speed the drawing costs (0.05 = 5 %).</summary>
    public double Overhead => 1 - DrawnMips / QuietMips;
}

/// <summary>
/// The terminal UI's timing goals, measured: a key press must update the screen within 50 ms, and while the
/// machine runs the screen must refresh at least 10 times a second and cost the core at most 10 % of its speed.
/// Frames are drawn exactly as the terminal gets them (escape sequences and colours), into memory.
/// </summary>
public static class UiBenchmark
{
    /// <summary>A guest that never stops: a counter loop with a store, so memory and the TLB are exercised.</summary>
    private const string Spin = "start:\n    li r1, 0\n    li r2, 0x8000\nagain:\n    addi r1, r1, 1\n    st [r2], r1\n    ld r3, [r2]\n    jmp again\n";

    /// <summary>Runs the guest for <paramref name="seconds"/> per round in the inspector, alternately quiet
    /// (nobody reads the published views) and drawn (the inspector screen rendered at the app's animation
    /// rate on this thread), <paramref name="rounds"/> times each; medians.</summary>
    public static RunCost MeasureRun(double seconds, int rounds, int width = 100, int height = 30)
    {
        var quiet = new List<double>();
        var drawn = new List<double>();
        var fps = new List<double>();
        var share = new List<double>();
        for (var round = 0; round < rounds; round++)
        {
            quiet.Add(Run(seconds, draw: false, width, height).Mips);
            var (mips, frames, drawing) = Run(seconds, draw: true, width, height);
            drawn.Add(mips);
            fps.Add(frames);
            share.Add(drawing);
        }
        return new RunCost(Median(quiet), Median(drawn), Median(fps), Median(share));
    }

    private static (double Mips, double Fps, double DrawingShare) Run(double seconds, bool draw, int width, int height)
    {
        var screen = new InspectorScreen(new InspectedProgram("spin.s", Assembler.AssembleText(Spin, "spin.s")));
        var renderer = new FrameRenderer(ansi: true, colours: true);
        var model = screen.Model;
        // Warm up (JIT, first checkpoints) before the clock starts.
        model.Run();
        Thread.Sleep(300);
        var startTime = model.View().Time;
        var clock = Stopwatch.StartNew();
        var frames = 0;
        var drawing = TimeSpan.Zero;
        var frameInterval = TimeSpan.FromMilliseconds(1000.0 / TerminalApp.AnimationRate);
        while (clock.Elapsed.TotalSeconds < seconds)
        {
            if (draw)
            {
                var next = clock.Elapsed + frameInterval;
                var started = clock.Elapsed;
                _ = renderer.Render(screen, width, height);
                drawing += clock.Elapsed - started;
                frames++;
                var left = next - clock.Elapsed;
                if (left > TimeSpan.Zero) Thread.Sleep(left);
            }
            else
            {
                Thread.Sleep(20);
            }
        }
        model.Pause();
        var elapsed = clock.Elapsed.TotalSeconds;
        var instructions = model.View().Time - startTime;
        screen.Close();
        return (instructions / elapsed / 1e6, frames / elapsed, drawing.TotalSeconds / elapsed);
    }

    /// <summary>Times <paramref name="presses"/> key presses on each screen: handling the key and drawing the
    /// whole frame, as the app does for every key.</summary>
    public static IReadOnlyList<KeyLatency> MeasureKeys(TerminalContext context, int presses, int width = 100, int height = 30)
    {
        var lab = context.Catalog.Labs[0];
        var lesson = Lesson.In(context.Catalog.CurriculumFolder).FirstOrDefault(l => char.IsDigit(l.Id[0]))
            ?? throw new UserError($"no lessons in {context.Catalog.CurriculumFolder} to measure the reader on");
        var block = lab.Steps.SelectMany(s => s.Assembly).FirstOrDefault()
            ?? throw new UserError($"lab {lab.Id} has no asm block to measure the inspector on");
        var cases = new (string Name, string Keys, Func<IScreen> Open, KeyInput[] Cycle)[]
        {
            ("home", "j k", () => new HomeScreen(context), [KeyInput.Of('j'), KeyInput.Of('k')]),
            ("lesson", "PgDn PgUp / j", () => new LessonScreen(context, lesson), [new(UiKey.PageDown), new(UiKey.PageDown), new(UiKey.PageUp), KeyInput.Of('j')]),
            ("lab", "j k", () => new LabScreen(context, lab, null), [KeyInput.Of('j'), KeyInput.Of('k')]),
            ("inspector", "s (step), b (step back)", () => new InspectorScreen(InspectedProgram.FromLab(lab, block)), [KeyInput.Of('s'), KeyInput.Of('b')]),
        };
        var renderer = new FrameRenderer(ansi: true, colours: true);
        var results = new List<KeyLatency>();
        foreach (var (name, keys, open, cycle) in cases)
        {
            var screen = open();
            _ = renderer.Render(screen, width, height);
            // Warm-up presses are not counted: the first of each kind pays for the JIT.
            for (var i = 0; i < 10; i++) Press(screen, cycle[i % cycle.Length]);
            var times = new List<double>();
            for (var i = 0; i < presses; i++)
            {
                var clock = Stopwatch.StartNew();
                Press(screen, cycle[i % cycle.Length]);
                times.Add(clock.Elapsed.TotalMilliseconds);
            }
            screen.Close();
            times.Sort();
            results.Add(new KeyLatency(name, keys, presses, Median(times), times[(int)Math.Min(times.Count - 1, Math.Ceiling(times.Count * 0.99) - 1)], times[^1]));

            void Press(IScreen s, KeyInput key)
            {
                s.Handle(key);
                _ = renderer.Render(s, width, height);
            }
        }
        return results;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
