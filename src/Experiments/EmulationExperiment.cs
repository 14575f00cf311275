using VirtualizationWorkbench.Emulation;
using VirtualizationWorkbench.Emulation.Elf;
using VirtualizationWorkbench.Emulation.UserMode;

namespace VirtualizationWorkbench.Experiments;

/// <summary>One layer of the emulation experiment: how long the algorithm took there, how many guest
/// instructions it ran, and how much slower it was than plain C#, per iteration.</summary>
public sealed record EmulationLayer(string Name, string Description, int Iterations, ulong GuestInstructions, double HostSeconds,
    double GuestMips, double Slowdown, long BlocksTranslated);

/// <summary>
/// The emulation experiment (lab 03): one algorithm (the xorshift loop of the workbench's "integer" benchmark)
/// as native C#, as a VW32 guest on the workbench core, and as an RV32IM program compiled by GCC on each of the
/// three engines. Every layer's answer is checked against the C# one. Each layer runs once to warm up, then
/// three times timed, keeping the median; the JavaScript engine, about a thousand times slower, runs fewer
/// iterations, once, and its slowdown is per iteration like everyone's. Every time is this thread's CPU time
/// (<see cref="ThreadCpuClock"/>), the clock of the core's own benchmark.
/// </summary>
public static class EmulationExperiment
{
    /// <summary>Runs every layer with <paramref name="iterations"/> iterations (the JavaScript engine
    /// 1/<paramref name="javascriptDivisor"/> of them) on the RV32 program at <paramref name="rv32Program"/>
    /// (labs/guests/rv32/prebuilt/xorshift.elf).</summary>
    public static IReadOnlyList<EmulationLayer> Run(string rv32Program, int iterations = 20_000_000, int javascriptDivisor = 400)
    {
        var integer = CoreWorkloads.All.Single(w => w.Name == "integer");
        var expected = integer.Native(iterations);
        // Every layer on the same clock as the core's layer (CoreBenchmark): this thread's CPU time.
        var nativeSeconds = Median(3, () =>
        {
            var started = ThreadCpuClock.Now();
            integer.Native(iterations);
            return ThreadCpuClock.Now() - started;
        });
        var nativePerIteration = nativeSeconds / iterations;
        var layers = new List<EmulationLayer>
        {
            new("native", "the loop in C#, compiled by the .NET JIT", iterations, 0, nativeSeconds, 0, 1, 0),
        };

        var core = CoreBenchmark.Measure(integer, (double)iterations / integer.Iterations);
        layers.Add(new("vw32 core", "the workbench's own ISA on its interpreter (same architecture family as lab 05's guests)", iterations,
            core.Instructions, core.GuestSeconds, core.GuestMips, core.GuestSeconds / iterations / nativePerIteration, 0));

        var image = ElfImage.Load(rv32Program);
        foreach (var engine in Enum.GetValues<Rv32Engine>())
        {
            var n = engine == Rv32Engine.JavaScript ? Math.Max(1, iterations / javascriptDivisor) : iterations;
            var answer = (uint)((ulong)integer.Native(n));
            RunRv32(image, engine, Math.Min(n, 1000), out _, out _, out _);
            // The median of three runs, as the core's measurement takes, on a machine others share; the
            // JavaScript engine's one run is long enough to average by itself.
            var runs = Enumerable.Range(0, engine == Rv32Engine.JavaScript ? 1 : 3).Select(_ => Timed(image, engine, n)).ToList();
            var (instructions, _, output, blocks) = runs[^1];
            var seconds = runs.Select(r => r.Seconds).Order().ElementAt(runs.Count / 2);
            if (output.Trim() != answer.ToString(System.Globalization.CultureInfo.InvariantCulture))
            {
                throw new InvalidOperationException($"rv32 {engine}: the guest printed '{output.Trim()}', plain C# computed {answer}: the emulator is wrong");
            }
            layers.Add(new($"rv32 {engine.ToString().ToLowerInvariant()}", Describe(engine), n, instructions, seconds, instructions / seconds / 1e6,
                seconds / n / nativePerIteration, blocks));
        }
        _ = expected;
        return layers;
    }

    private static double Median(int runs, Func<double> run) => Enumerable.Range(0, runs).Select(_ => run()).Order().ElementAt(runs / 2);

    private static string Describe(Rv32Engine engine) => engine switch
    {
        Rv32Engine.Interpreter => "RV32IM compiled by GCC, interpreted in C# (the Bochs model)",
        Rv32Engine.Translator => "RV32IM, basic blocks translated to .NET IL, cached and chained (the QEMU TCG model)",
        _ => "RV32IM, interpreted by JavaScript under Jint (the JSNES/jslinux model)",
    };

    private static (ulong Instructions, double Seconds, string Output, long Blocks) Timed(ElfImage image, Rv32Engine engine, int n)
    {
        var started = ThreadCpuClock.Now();
        RunRv32(image, engine, n, out var result, out var output, out var blocks);
        return (result.Instructions, ThreadCpuClock.Now() - started, output, blocks);
    }

    private static void RunRv32(ElfImage image, Rv32Engine engine, int n, out LinuxRunResult result, out string output, out long blocks)
    {
        using var stdout = new MemoryStream();
        var process = new LinuxProcess(image, [image.Name, n.ToString(System.Globalization.CultureInfo.InvariantCulture)], Stream.Null, stdout, Stream.Null, engine);
        result = process.Run(long.MaxValue);
        if (result.Outcome != LinuxOutcome.Exited) throw new InvalidOperationException($"rv32 {engine}: {result.Message}");
        output = System.Text.Encoding.UTF8.GetString(stdout.ToArray());
        blocks = result.BlocksTranslated;
    }
}
