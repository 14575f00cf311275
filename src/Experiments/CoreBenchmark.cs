using System.Diagnostics;
using VirtualizationWorkbench.Machine;
using VirtualizationWorkbench.Machine.Assembler;
using VirtualizationWorkbench.Machine.Cpu;
using VirtualizationWorkbench.Machine.Cpu.Translation;

namespace VirtualizationWorkbench.Experiments;

/// <summary>The measured figures of one workload.</summary>
public sealed record CoreMeasurement(
    string Name,
    double GuestMips,
    double NativeRatio,
    double AllocatedBytesPerInstruction,
    ulong Instructions,
    ulong Cycles,
    double GuestSeconds,
    double NativeSeconds,
    ExecutionEngine Engine = ExecutionEngine.Interpreter,
    TranslationStatistics Translation = default);

/// <summary>
/// Measures an engine of the core: each workload runs once to warm the JIT, then three times (or as many as asked),
/// each on a fresh machine, and the median is kept; the C# version runs the same way. Every time is the measuring thread's CPU
/// time (<see cref="ThreadCpuClock"/>), so on a machine others share a run is not charged for the time another
/// process held the core, and the ratio between the engines and plain C# does not move with the load. The
/// guest's answer must equal the C# answer, or the run fails; on the translator, its instruction and cycle counts
/// must also equal the interpreter's. A translator run's time includes translating (every timed run starts on a
/// fresh machine, with an empty translation cache).
/// </summary>
public static class CoreBenchmark
{
    public static CoreMeasurement Measure(CoreWorkload workload, double scale = 1.0, ExecutionEngine engine = ExecutionEngine.Interpreter, int runs = 3)
    {
        if (runs < 1) throw new ArgumentOutOfRangeException(nameof(runs), runs, "at least one run");
        var iterations = Math.Max(1, (int)(workload.Iterations * scale));
        var program = Assembler.AssembleText(workload.Source(iterations), $"{workload.Name}.s");
        // The first run warms the JIT. Tiered compilation may still promote hot methods during the next runs, and
        // its bookkeeping can allocate a few hundred bytes on the running thread, once. The interpreter's own
        // steady state is a run in which the runtime did nothing: time three runs, keep the median time and the
        // smallest allocation.
        RunGuest(program, engine, out _, out _, out _);
        var timed = new List<(ulong Instructions, ulong Cycles, uint Answer, double Seconds, long Allocated, TranslationStatistics Translation)>();
        for (var round = 0; round < runs; round++)
        {
            timed.Add(TimeGuest(program, engine));
        }
        var (instructions, cycles, answer, _, _, translation) = timed[^1];
        if (engine != ExecutionEngine.Interpreter)
        {
            RunGuest(program, ExecutionEngine.Interpreter, out var referenceInstructions, out var referenceCycles, out _);
            if (referenceInstructions != instructions || referenceCycles != cycles)
            {
                throw new InvalidOperationException($"{workload.Name}: the {engine} counted {instructions} instructions and {cycles} cycles, the interpreter {referenceInstructions} and {referenceCycles}: the engines disagree");
            }
        }
        var allocated = timed.Min(r => r.Allocated);
        var seconds = Median(timed.Select(r => r.Seconds));

        var expected = workload.Native(iterations);
        var nativeRuns = new List<double>();
        var nativeAnswer = expected;
        for (var round = 0; round < runs; round++)
        {
            var started = ThreadCpuClock.Now();
            nativeAnswer = workload.Native(iterations);
            nativeRuns.Add(ThreadCpuClock.Now() - started);
            if (nativeAnswer != expected) break;
        }
        var nativeSeconds = Median(nativeRuns);
        if (answer != expected || nativeAnswer != expected)
        {
            throw new InvalidOperationException($"{workload.Name}: the guest computed {answer}, plain C# {expected}: the machine is wrong");
        }
        return new CoreMeasurement(workload.Name, instructions / seconds / 1e6, seconds / nativeSeconds,
            (double)allocated / instructions, instructions, cycles, seconds, nativeSeconds, engine, translation);
    }

    private static (ulong Instructions, ulong Cycles, uint Answer, double Seconds, long Allocated, TranslationStatistics Translation) TimeGuest(ProgramImage program, ExecutionEngine engine)
    {
        var computer = NewMachine(program, engine);
        var core = computer.Cores[0];
        var before = GC.GetAllocatedBytesForCurrentThread();
        var started = ThreadCpuClock.Now();
        var exit = core.Run(long.MaxValue);
        var seconds = ThreadCpuClock.Now() - started;
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        if (exit.Reason != ExitReason.Halt) throw new InvalidOperationException($"benchmark guest stopped with {exit}");
        return (core.Counters.Instructions, core.Counters.Cycles, core.State.R[3], seconds, allocated, core.TranslationStatistics);
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }

    private static void RunGuest(ProgramImage program, ExecutionEngine engine, out ulong instructions, out ulong cycles, out uint answer)
    {
        var computer = NewMachine(program, engine);
        var exit = computer.Run(long.MaxValue);
        if (exit.Reason != ExitReason.Halt) throw new InvalidOperationException($"benchmark guest stopped with {exit}");
        instructions = computer.Cores[0].Counters.Instructions;
        cycles = computer.Cores[0].Counters.Cycles;
        answer = computer.Cores[0].State.R[3];
    }

    private static Computer NewMachine(ProgramImage program, ExecutionEngine engine)
    {
        var computer = new Computer(new MachineConfiguration { Engine = engine });
        computer.Load(program);
        return computer;
    }

    /// <summary>Whether the machine core was compiled with optimizations (a Release build).</summary>
    public static bool Optimized => typeof(Core).Assembly.GetCustomAttributes(typeof(DebuggableAttribute), false)
        .OfType<DebuggableAttribute>().All(a => !a.IsJITOptimizerDisabled);
}
