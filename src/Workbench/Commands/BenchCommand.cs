using System.CommandLine;
using System.Text.Json;
using VirtualizationWorkbench.Experiments;
using VirtualizationWorkbench.Machine.Cpu;

namespace VirtualizationWorkbench.Workbench.Commands;

/// <summary><c>workbench bench</c>: the machine core's speed on fixed guest workloads.</summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "Print the figures as JSON" };
        var scale = new Option<double>("--scale") { Description = "Multiply every workload's length (e.g. 0.01 for a quick check)", DefaultValueFactory = _ => 1.0 };
        var engine = new Option<string>("--engine") { Description = "The engine to measure: interpreter, translator or both", DefaultValueFactory = _ => "both" };
        var runs = new Option<int>("--runs") { Description = "Timed runs per workload and engine; the median is reported (a loaded machine wants more)", DefaultValueFactory = _ => 3 };
        var only = new Option<string?>("--workload") { Description = "Run only this workload: " + string.Join(", ", CoreWorkloads.All.Select(w => w.Name)) };
        var command = new Command("bench", "Measure the machine core: guest MIPS, slowdown against plain C#, host allocation per guest instruction")
        {
            json, scale, only, engine, runs,
        };
        command.SetAction(parse =>
        {
            var factor = parse.GetValue(scale);
            if (factor is <= 0 or > 100) throw new UserError("--scale must be greater than 0 and at most 100");
            var rounds = parse.GetValue(runs);
            if (rounds is < 1 or > 101) throw new UserError("--runs must be between 1 and 101");
            var workloads = CoreWorkloads.All.Where(w => parse.GetValue(only) is not { } name || w.Name == name).ToList();
            var engines = parse.GetValue(engine) == "both" ? [ExecutionEngine.Interpreter, ExecutionEngine.Translator] : new[] { EngineOption.Parse(parse.GetValue(engine)!) };
            if (workloads.Count == 0) throw new UserError($"no workload named '{parse.GetValue(only)}'; choose from {string.Join(", ", CoreWorkloads.All.Select(w => w.Name))}");
            if (!CoreBenchmark.Optimized)
            {
                Console.Error.WriteLine("warning: this is a Debug build; measure with: dotnet run -c Release --project src/Workbench -- bench");
            }
            var results = new List<CoreMeasurement>();
            if (!parse.GetValue(json))
            {
                Console.WriteLine($"times: {ThreadCpuClock.Kind} of the measuring thread, median of {rounds} runs; {Environment.ProcessorCount} processors");
            }
            foreach (var workload in workloads)
            {
                CoreMeasurement? interpreted = null;
                foreach (var e in engines)
                {
                    var m = CoreBenchmark.Measure(workload, factor, e, rounds);
                    results.Add(m);
                    if (e == ExecutionEngine.Interpreter) interpreted = m;
                    if (!parse.GetValue(json))
                    {
                        var t = m.Translation;
                        var translated = e == ExecutionEngine.Translator
                            ? $"; {t.BlocksTranslated} blocks, {t.IlBytes:N0} IL bytes, {t.TranslationTime.TotalMilliseconds:F1} ms translating; {t.BlocksExecuted:N0} block entries ({t.ChainedEntries:N0} chained, {t.EarlyExits:N0} left early, {t.Faults:N0} at a fault, {t.SlicesContinued:N0} went on after iret), {t.InterpretedInstructions:N0} instructions interpreted, {t.Verifications:N0} checks against memory, {t.BlocksInvalidated:N0} invalidated"
                            : "";
                        var speedup = interpreted is not null && e == ExecutionEngine.Translator ? $"   {interpreted.GuestSeconds / m.GuestSeconds,5:F2}x the interpreter" : "";
                        Console.WriteLine($"{m.Name,-10} {Name(e),-11} {m.GuestMips,8:F1} guest MIPS   {m.NativeRatio,6:F1}x plain C#{speedup}   {m.AllocatedBytesPerInstruction,8:F4} B/instruction   ({m.Instructions:N0} instructions in {m.GuestSeconds:F4} s{translated})");
                    }
                }
                if (!parse.GetValue(json))
                {
                    Console.WriteLine($"{workload.Name,-10} {"plain C#",-11} {results[^1].NativeSeconds,8:F4} s   ({workload.Description})");
                }
            }
            if (parse.GetValue(json))
            {
                var document = new
                {
                    machine = new { processorCount = Environment.ProcessorCount, os = Environment.OSVersion.ToString(), runtime = Environment.Version.ToString(), optimized = CoreBenchmark.Optimized },
                    clock = ThreadCpuClock.Kind,
                    runs = rounds,
                    workloads = results.Select(m => new
                    {
                        name = m.Name,
                        engine = Name(m.Engine),
                        guestMips = Math.Round(m.GuestMips, 2),
                        nativeRatio = Math.Round(m.NativeRatio, 2),
                        allocatedBytesPerInstruction = m.AllocatedBytesPerInstruction,
                        instructions = m.Instructions,
                        cycles = m.Cycles,
                        guestSeconds = Math.Round(m.GuestSeconds, 4),
                        nativeSeconds = Math.Round(m.NativeSeconds, 4),
                        blocksTranslated = m.Translation.BlocksTranslated,
                        ilBytes = m.Translation.IlBytes,
                        translationSeconds = Math.Round(m.Translation.TranslationTime.TotalSeconds, 4),
                        blocksExecuted = m.Translation.BlocksExecuted,
                        chainedEntries = m.Translation.ChainedEntries,
                        earlyExits = m.Translation.EarlyExits,
                        faults = m.Translation.Faults,
                        slicesContinued = m.Translation.SlicesContinued,
                        interpretedInstructions = m.Translation.InterpretedInstructions,
                        verifications = m.Translation.Verifications,
                        blocksInvalidated = m.Translation.BlocksInvalidated,
                        speedupOverInterpreter = m.Engine == ExecutionEngine.Translator && results.FirstOrDefault(i => i.Name == m.Name && i.Engine == ExecutionEngine.Interpreter) is { } i
                            ? Math.Round(i.GuestSeconds / m.GuestSeconds, 2) : (double?)null,
                    }),
                };
                Console.WriteLine(JsonSerializer.Serialize(document, new JsonSerializerOptions { WriteIndented = true }));
            }
            return 0;
        });
        return command;
    }

    private static string Name(ExecutionEngine engine) => engine == ExecutionEngine.Translator ? "translator" : "interpreter";
}
