using System.Security.Cryptography;
using System.Text;
using VirtualizationWorkbench.Machine.Cpu;

namespace VirtualizationWorkbench.Machine.Tests.Translation;

/// <summary>
/// Runs one machine on the interpreter and an identical one on the translator, the same way (the same budgets,
/// the same answers to every exit), and describes everything observable about each: registers, control
/// registers, memory, console output, every counter and every exit. Equal descriptions are the test.
/// </summary>
internal static class EngineComparison
{
    /// <summary>Builds a machine for an engine; must be deterministic.</summary>
    public delegate Computer Build(ExecutionEngine engine);

    /// <summary>How a run is driven: the budgets of consecutive Run calls (cycled), and the total.</summary>
    public sealed record Drive(long[] Budgets, long TotalInstructions, int MaxExits = 10_000);

    public static Drive Whole(long total) => new([total], total);

    /// <summary>Runs both engines and returns both descriptions and the translator's machine. The translator
    /// starts at once (no warm-up) unless <paramref name="warmup"/> says otherwise.</summary>
    public static (string Interpreter, string Translator, Computer Translated) Run(Build build, Drive drive, int threshold = 1, long warmup = 0)
    {
        var reference = build(ExecutionEngine.Interpreter);
        var interpreted = Describe(reference, Exercise(reference, drive));
        var machine = build(ExecutionEngine.Translator);
        foreach (var core in machine.Cores)
        {
            core.TranslationThreshold = threshold;
            core.TranslationWarmup = warmup;
        }
        var translated = Describe(machine, Exercise(machine, drive));
        return (interpreted, translated, machine);
    }

    /// <summary>Asserts both engines agree, and that the translator really ran translated code.</summary>
    public static Computer AssertSame(Build build, Drive drive, int threshold = 1, bool expectTranslation = true)
    {
        var (interpreter, translator, machine) = Run(build, drive, threshold);
        TestContext.Out.WriteLine(machine.Cores[0].TranslationStatistics + " instructions " + machine.Cores[0].Counters.Instructions);
        Assert.That(translator, Is.EqualTo(interpreter), "the translator's machine differs from the interpreter's");
        if (expectTranslation)
        {
            Assert.That(machine.Cores.Sum(c => c.TranslationStatistics.BlocksExecuted), Is.GreaterThan(0), "no translated block ran: the comparison proves nothing");
        }
        return machine;
    }

    private static List<string> Exercise(Computer computer, Drive drive)
    {
        var exits = new List<string>();
        var spent = 0L;
        for (var i = 0; spent < drive.TotalInstructions && exits.Count < drive.MaxExits; i++)
        {
            var before = computer.Cores.Sum(c => (long)c.Counters.Instructions);
            var budget = Math.Min(drive.Budgets[i % drive.Budgets.Length], drive.TotalInstructions - spent);
            var exit = computer.Run(budget);
            spent += computer.Cores.Sum(c => (long)c.Counters.Instructions) - before;
            exits.Add($"{exit.Reason} core {exit.Core} pc {exit.Pc:x} addr {exit.Address:x} vec {exit.Vector} err {exit.ErrorCode} data {exit.Data:x} hc {exit.HypercallNumber}");
            switch (exit.Reason)
            {
                case ExitReason.Halt:
                case ExitReason.Shutdown:
                    return exits;
                case ExitReason.IoIn:
                case ExitReason.Mmio:
                    computer.Cores[exit.Core].CompleteIo(0x1234_0000u + (uint)exits.Count);
                    break;
                case ExitReason.Trap:
                    // A host that skips what it intercepted, so that the run goes on deterministically.
                    if (!exit.PcAdvanced) computer.Cores[exit.Core].State.Pc += 4;
                    break;
            }
        }
        return exits;
    }

    public static string Describe(Computer computer, IEnumerable<string> exits)
    {
        var text = new StringBuilder();
        foreach (var core in computer.Cores)
        {
            ref var s = ref core.State;
            text.Append($"core {core.Index}: ");
            for (var r = 0; r < 16; r++) text.Append($"r{r}={s.R[r]:x} ");
            text.AppendLine($"pc={s.Pc:x} flags={s.Flags:x} cr0={s.Cr0:x} cr2={s.Cr2:x} cr3={s.Cr3:x} ksp={s.Ksp:x} cr8={s.Cr8:x} idtr={s.Idtr:x} halted={core.Halted} pending={core.PendingInterrupts:x}");
            text.AppendLine(string.Join(",", core.Counters.Describe().Select(p => $"{p.Key}={p.Value}")));
            text.AppendLine(string.Join(",", core.TlbContents().Select(e => e.ToString())));
        }
        text.AppendLine($"memory {Convert.ToHexString(SHA256.HashData(computer.Memory.Bytes))}");
        text.AppendLine($"console {computer.Console.PendingText}");
        text.AppendLine(string.Join("\n", exits));
        return text.ToString();
    }
}
