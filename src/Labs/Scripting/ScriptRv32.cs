using System.Text;
using VirtualizationWorkbench.Emulation;
using VirtualizationWorkbench.Emulation.Cpu;
using VirtualizationWorkbench.Emulation.Decoding;
using VirtualizationWorkbench.Emulation.Elf;
using VirtualizationWorkbench.Emulation.SystemMode;
using VirtualizationWorkbench.Emulation.UserMode;

namespace VirtualizationWorkbench.Labs.Scripting;

/// <summary>
/// A compiled RISC-V program as lab scripts see it (<c>const p = lab.rv32("guests/rv32/prebuilt/loop.elf")</c>):
/// run under any of the three engines as a Linux program (user mode, what <c>workbench emulate</c> does) or as a
/// bare-metal image on the workbench's bus (system mode, <c>workbench emulate --system</c>), a slice at a time so
/// the block's time limit can stop it. Every run is a fresh process or system with its own memory, claimed from
/// the step's budget.
/// </summary>
public sealed class ScriptRv32
{
    /// <summary>Memory of one user-mode process in a script: enough for the lab's programs, small enough that a
    /// step may make dozens of runs within its 1 GiB.</summary>
    internal const uint ProcessMemory = 16 * 1024 * 1024;

    /// <summary>What a run keeps of the program's output: the first MiB, then only a count.</summary>
    internal const int MaxOutput = 1024 * 1024;

    private readonly ElfImage image;
    private readonly ScriptBudget budget;

    private ScriptRv32(ElfImage image, ScriptBudget budget)
    {
        this.image = image;
        this.budget = budget;
    }

    /// <summary>Reads and checks the ELF file <paramref name="name"/> (a shared guest or a work file).</summary>
    internal static ScriptRv32 Load(ScriptFiles files, string name, ScriptBudget budget)
    {
        var (bytes, shown) = files.ReadBinary(name, "rv32");
        try
        {
            return new ScriptRv32(ElfImage.Parse(bytes, shown), budget);
        }
        catch (EmulationError e)
        {
            throw new ScriptFailure($"rv32('{name}'): {e.Message}");
        }
    }

    /// <summary>The hart of the last run, as the run left it (the terminal UI shows its registers and
    /// disassembly); null before the first run.</summary>
    public Rv32Hart? LastHart { get; private set; }

    /// <summary>The program's name and what its last run was ("hello.elf, user mode on the translator").</summary>
    public string LastRun { get; private set; } = "";

    /// <summary>The program's entry point.</summary>
    public double Entry => image.Entry;

    /// <summary>The instruction at <paramref name="address"/> in the program's file, as text ("" where the file
    /// has nothing).</summary>
    public string Disassemble(double address)
    {
        var at = (uint)address;
        foreach (var segment in image.Segments)
        {
            var offset = (long)at - segment.Address;
            if (offset >= 0 && offset + 4 <= segment.Data.Length)
            {
                var word = BitConverter.ToUInt32(segment.Data, (int)offset);
                return Rv32Disassembler.Disassemble(word, at);
            }
        }
        return "";
    }

    /// <summary>Runs the program as a Linux process (user mode) under <paramref name="engineName"/> with the
    /// arguments <paramref name="arguments"/> (separated by spaces) and <paramref name="input"/> on standard
    /// input, for at most <paramref name="maxSteps"/> instructions (1 to 10^9).</summary>
    public ScriptRv32Run Run(string engineName, string arguments, string input, double maxSteps)
    {
        var engine = Engine(engineName, "p.run");
        var steps = Steps(maxSteps, "p.run");
        budget.Claim(ProcessMemory, "p.run()");
        var output = new BoundedOutput();
        var process = Create(() => new LinuxProcess(image, [image.Name, .. arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries)],
            new MemoryStream(Encoding.UTF8.GetBytes(input)), output, Stream.Null, engine, ProcessMemory), "p.run");
        LastHart = process.Hart;
        LastRun = $"{Path.GetFileName(image.Name)}, user mode on the {engineName}";
        LinuxRunResult result;
        do
        {
            budget.ThrowIfSpent("p.run()");
            var next = Math.Min(steps, (long)process.Hart.State.Instructions + Slice(engine));
            result = budget.Uncounted(() => process.Run(next));
        }
        while (result.Outcome == LinuxOutcome.StepLimit && (long)result.Instructions < steps);
        var message = result.Outcome == LinuxOutcome.StepLimit ? $"stopped after {steps:N0} instructions at pc 0x{process.Hart.State.Pc:x8}" : result.Message;
        return new ScriptRv32Run(result.Outcome.ToString(), result.ExitCode, output.Text, message, result.Instructions, result.Cycles,
            result.BlocksTranslated, result.SystemCalls);
    }

    /// <summary>Runs the program as a bare-metal image on a workbench computer (system mode) under
    /// <paramref name="engineName"/> until it writes its verdict to <c>tohost</c>, for at most
    /// <paramref name="maxSteps"/> instructions.</summary>
    public ScriptRv32SystemRun System(string engineName, double maxSteps)
    {
        var engine = Engine(engineName, "p.system");
        var steps = Steps(maxSteps, "p.system");
        var system = Create(() => new Rv32System(image, engine), "p.system");
        budget.Claim(system.Computer.Memory.Size, "p.system()");
        LastHart = system.Hart;
        LastRun = $"{Path.GetFileName(image.Name)}, system mode on the {engineName}";
        var console = new StringBuilder();
        Rv32SystemResult result;
        do
        {
            budget.ThrowIfSpent("p.system()");
            var slice = Math.Min(steps - (long)system.Hart.State.Instructions, Slice(engine));
            result = budget.Uncounted(() => system.Run(slice));
            if (console.Length < MaxOutput) console.Append(result.Console);
        }
        while (result.Outcome == Rv32SystemOutcome.StepLimit && (long)system.Hart.State.Instructions < steps);
        var message = result.Outcome == Rv32SystemOutcome.StepLimit ? $"stopped after {steps:N0} instructions at pc 0x{system.Hart.State.Pc:x8} without a verdict in tohost" : result.Message;
        return new ScriptRv32SystemRun(result.Outcome.ToString(), result.ExitCode, console.ToString(), message, system.Hart.State.Instructions);
    }

    // Instructions between two looks at the clock: the JavaScript engine runs some 10^5 a second, the others
    // some 10^8.
    private static long Slice(Rv32Engine engine) => engine == Rv32Engine.JavaScript ? 20_000 : 4_000_000;

    private T Create<T>(Func<T> make, string call)
    {
        try
        {
            return budget.Uncounted(make);
        }
        catch (EmulationError e)
        {
            throw new ScriptFailure($"{call}(): {e.Message}");
        }
    }

    private static Rv32Engine Engine(string name, string call) =>
        Rv32Engines.Parse(name) ?? throw new ScriptFailure($"{call}(engine, …): the engines are \"interpreter\", \"translator\" and \"javascript\", not '{name}'");

    private static long Steps(double maxSteps, string call) =>
        maxSteps is >= 1 and <= 1e9 ? (long)maxSteps : throw new ScriptFailure($"{call}(…, maxSteps): 1 to 10^9 instructions, not {maxSteps}");

    // The program's standard output: the first MiB is kept, so a program printing without end cannot fill the host.
    private sealed class BoundedOutput : Stream
    {
        private readonly MemoryStream kept = new();

        public string Text => Encoding.UTF8.GetString(kept.GetBuffer(), 0, (int)kept.Length);

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => kept.Length;

        public override long Position { get => kept.Length; set => throw new NotSupportedException(); }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer) => kept.Write(buffer[..Math.Min(buffer.Length, (int)Math.Max(0, MaxOutput - kept.Length))]);

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}

/// <summary>A user-mode run: outcome ("Exited", "GuestException", "StepLimit"), exit code, standard output (the
/// first MiB), a message when it did not exit by itself, and the counters.</summary>
public sealed record ScriptRv32Run(string Outcome, int ExitCode, string Output, string Message, ulong Instructions, ulong Cycles,
    long BlocksTranslated, long SystemCalls);

/// <summary>A system-mode run: outcome ("Passed", "Failed", "GuestException", "StepLimit"), the verdict as an exit
/// code, what the image printed on the workbench's console, a message, and the instructions it ran.</summary>
public sealed record ScriptRv32SystemRun(string Outcome, int ExitCode, string Console, string Message, ulong Instructions);
