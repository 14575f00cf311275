using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using VirtualizationWorkbench.Bytecode.Format;
using VirtualizationWorkbench.Bytecode.Running;
using VirtualizationWorkbench.Emulation;
using VirtualizationWorkbench.Emulation.Elf;
using VirtualizationWorkbench.Emulation.UserMode;

namespace VirtualizationWorkbench.Bytecode.Rv32Platform;

/// <summary>
/// The rv32 platform: the bytecode VM written in C (<c>labs/guests/rv32/bytecode-vm.c</c>, compiled for RV32IM
/// Linux; its prebuilt ELF travels inside this assembly) runs as a user-mode process on the workbench's RISC-V
/// emulator (lab 03), with the <c>.vbc</c> file's bytes unchanged on its standard input and the step limit as its
/// argument. Output is what it wrote on standard output; its last line on standard error says how the program
/// ended, which becomes the same <see cref="VmRun"/> the other VMs give. The cost is RV32 instructions (<see cref="VmRun.MachineInstructions"/>).
/// </summary>
public sealed partial class Rv32Vm
{
    /// <summary>RV32 instructions allowed per bytecode step before the run counts as a hang of the VM itself (a
    /// program's endless loop stops at its step limit first: a step costs about 20 instructions, a print a few hundred).</summary>
    public const long InstructionsPerStep = 1000;

    private static readonly Lazy<ElfImage> Program = new(() =>
    {
        using var stream = typeof(Rv32Vm).Assembly.GetManifestResourceStream("bytecode-vm.elf")!;
        using var bytes = new MemoryStream();
        stream.CopyTo(bytes);
        return ElfImage.Parse(bytes.ToArray(), "bytecode-vm.elf");
    });

    private readonly byte[] file;

    /// <summary>A VM for the verified module whose file bytes are <paramref name="file"/>.</summary>
    public Rv32Vm(byte[] file) => this.file = file;

    /// <summary>Runs the module's entry function within <paramref name="maxSteps"/> bytecode instructions on
    /// <paramref name="engine"/>; output goes into the result, and to <paramref name="output"/> when the run ends.</summary>
    /// <exception cref="InvalidOperationException">The guest VM ended in a way it never should (a crash, no report).</exception>
    public VmRun Run(long maxSteps = VmLimits.DefaultMaxSteps, Stream? output = null, Rv32Engine engine = Rv32Engine.Translator)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxSteps);
        using var input = new MemoryStream(file, writable: false);
        using var printed = new MemoryStream();
        using var errors = new MemoryStream();
        var process = new LinuxProcess(Program.Value, ["bytecode-vm.elf", maxSteps.ToString(CultureInfo.InvariantCulture)], input, printed, errors, engine);
        var result = process.Run(Math.Min(maxSteps, long.MaxValue / (2 * InstructionsPerStep)) * InstructionsPerStep + 100_000_000);
        // Handed on when the run ends (the emulated process writes into memory, not to the terminal).
        output?.Write(printed.ToArray());
        output?.Flush();
        return Read(Encoding.UTF8.GetString(errors.ToArray()), result, printed.ToArray());
    }

    /// <summary>The guest's report (its last line on standard error) as a <see cref="VmRun"/>.</summary>
    private static VmRun Read(string report, LinuxRunResult result, byte[] printed)
    {
        if (result.Outcome == LinuxOutcome.Exited)
        {
            if (Done().Match(report) is { Success: true } done)
            {
                return new VmRun(printed, Int(done, "result"), null, Long(done, "steps"), result.Cycles, result.Instructions);
            }
            if (Failed().Match(report) is { Success: true } failed)
            {
                var error = new RuntimeError((RuntimeErrorKind)Int(failed, "kind"), Int(failed, "function"), Int(failed, "offset"), Long(failed, "value"), Int(failed, "length"));
                return new VmRun(printed, 0, error, Long(failed, "steps"), result.Cycles, result.Instructions);
            }
        }
        throw new InvalidOperationException($"the rv32 guest VM stopped unexpectedly: {result.Outcome}, exit code {result.ExitCode}. {result.Message} {report}".Trim());
    }

    private static int Int(Match match, string group) => int.Parse(match.Groups[group].Value, CultureInfo.InvariantCulture);

    private static long Long(Match match, string group) => long.Parse(match.Groups[group].Value, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^rv32-vm: result (?<result>-?\d+), (?<steps>\d+) steps$", RegexOptions.Multiline)]
    private static partial Regex Done();

    [GeneratedRegex(@"^rv32-vm: error (?<kind>\d+) in function (?<function>\d+) at offset (?<offset>\d+), value (?<value>-?\d+), length (?<length>-?\d+), (?<steps>\d+) steps$", RegexOptions.Multiline)]
    private static partial Regex Failed();
}
