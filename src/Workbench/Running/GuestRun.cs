using VirtualizationWorkbench.Machine;
using VirtualizationWorkbench.Machine.Assembler;
using VirtualizationWorkbench.Machine.Cpu;

namespace VirtualizationWorkbench.Workbench.Running;

/// <summary>
/// Runs a program on a fresh machine the way <c>workbench run</c> does: the guest's console goes to
/// <see cref="Output"/>, events and problems to <see cref="Errors"/>. A clean halt is exit code 0; a guest
/// that faults fatally (triple fault, unhandled I/O) is 1; a guest still running at the step limit is 3.
/// </summary>
internal sealed class GuestRun(Computer computer, TextWriter output, TextWriter errors)
{
    /// <summary>Exit code: the guest halted cleanly.</summary>
    public const int Halted = 0;
    /// <summary>Exit code: the guest stopped on an error.</summary>
    public const int GuestError = 1;
    /// <summary>Exit code: the guest did not halt within the step limit.</summary>
    public const int StepLimit = 3;

    public TextWriter Output { get; } = output;
    public TextWriter Errors { get; } = errors;

    public int Execute(long maxSteps)
    {
        var stdout = Console.OpenStandardOutput();
        var executed = 0L;
        while (true)
        {
            var before = TotalInstructions();
            var exit = computer.Run(Math.Min(maxSteps - executed, 1_000_000));
            executed += (long)(TotalInstructions() - before);
            DrainConsole();
            switch (exit.Reason)
            {
                case ExitReason.Halt:
                    return Halted;
                case ExitReason.BudgetSpent:
                    if (executed >= maxSteps)
                    {
                        Errors.WriteLine($"error: the guest did not halt within {maxSteps:N0} instructions (pc 0x{exit.Pc:x8}); raise the limit with --max-steps");
                        return StepLimit;
                    }
                    continue;
                case ExitReason.Breakpoint:
                    Errors.WriteLine($"breakpoint at 0x{exit.Pc:x8}: {Registers(computer.Cores[exit.Core])}");
                    continue;
                case ExitReason.Shutdown:
                    Errors.WriteLine($"error: the guest shut down: {exit.Message}");
                    Errors.WriteLine($"  {Registers(computer.Cores[exit.Core])}");
                    return GuestError;
                case ExitReason.IoIn:
                case ExitReason.IoOut:
                    Errors.WriteLine($"error: the guest used port 0x{exit.Address:x} at pc 0x{exit.Pc:x8}, which no device claims (see the port map in curriculum/reference/isa.md)");
                    return GuestError;
                case ExitReason.Mmio:
                    Errors.WriteLine($"error: the guest {(exit.IsWrite ? "wrote" : "read")} physical address 0x{exit.Address:x8} at pc 0x{exit.Pc:x8}, which is neither RAM ({computer.Memory.Size / 1024} KiB) nor a device");
                    return GuestError;
                case ExitReason.Hypercall:
                    Errors.WriteLine($"error: the guest made hypercall {exit.HypercallNumber} at pc 0x{exit.Pc:x8}, but it runs natively with no hypervisor");
                    return GuestError;
                default:
                    Errors.WriteLine($"error: the guest stopped: {exit}");
                    return GuestError;
            }

            ulong TotalInstructions() => computer.Cores.Aggregate(0UL, (sum, c) => sum + c.Counters.Instructions);

            void DrainConsole()
            {
                var bytes = computer.Console.Drain();
                if (bytes.Length == 0) return;
                Output.Flush();
                if (ReferenceEquals(Output, Console.Out))
                {
                    stdout.Write(bytes);
                    stdout.Flush();
                }
                else
                {
                    Output.Write(System.Text.Encoding.UTF8.GetString(bytes));
                }
            }
        }
    }

    /// <summary>The core's registers on one line.</summary>
    public static string Registers(Core core)
    {
        ref var s = ref core.State;
        var text = new System.Text.StringBuilder($"pc=0x{s.Pc:x8} flags=[{Flags.Describe(s.Flags)}]");
        for (var i = 0; i < 16; i++) text.Append($" {(i == 15 ? "sp" : $"r{i}")}=0x{s.R[i]:x}");
        return text.ToString();
    }

    /// <summary>Every core's counters, one per line.</summary>
    public void PrintStatistics()
    {
        foreach (var core in computer.Cores)
        {
            var prefix = computer.Cores.Count > 1 ? $"core{core.Index}." : "";
            foreach (var (name, value) in core.Counters.Describe())
            {
                Output.WriteLine($"{prefix}{name,-28} {value,16:N0}");
            }
            if (core.Engine == ExecutionEngine.Translator)
            {
                // Host-side figures of the engine, not machine counters: they depend on the engine, not the guest.
                var t = core.TranslationStatistics;
                Output.WriteLine($"{prefix}{"translator.blocks",-28} {t.BlocksTranslated,16:N0}");
                Output.WriteLine($"{prefix}{"translator.il-bytes",-28} {t.IlBytes,16:N0}");
                Output.WriteLine($"{prefix}{"translator.milliseconds",-28} {t.TranslationTime.TotalMilliseconds,16:N1}");
                Output.WriteLine($"{prefix}{"translator.blocks-run",-28} {t.BlocksExecuted,16:N0}");
                Output.WriteLine($"{prefix}{"translator.interpreted",-28} {t.InterpretedInstructions,16:N0}");
                Output.WriteLine($"{prefix}{"translator.invalidated",-28} {t.BlocksInvalidated,16:N0}");
            }
        }
        if (computer.Program is ProgramImage) Output.Flush();
    }
}
