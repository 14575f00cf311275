using VirtualizationWorkbench.Machine;
using VirtualizationWorkbench.Machine.Assembler;
using VirtualizationWorkbench.Machine.Costs;
using VirtualizationWorkbench.Machine.Cpu;

namespace VirtualizationWorkbench.Cli.Labs.Scripting;

/// <summary>
/// The machine as lab scripts see it (<c>var m = lab.machine()</c>): load a program, run it with a budget,
/// and read registers, memory, counters, the console and the event trace. Documented in
/// <c>curriculum/authoring.md</c>; scripts call the members in camelCase (<c>m.run(1000)</c>, <c>m.reg(1)</c>).
/// </summary>
public sealed class ScriptMachine(Computer computer, Func<string, (string Text, string Name)> resolveSource)
{
    /// <summary>The underlying machine (host code only).</summary>
    internal Computer Computer { get; } = computer;

    private Core Core => Computer.Cores[0];

    /// <summary>Assembles and loads a program: the name of an <c>asm</c> block of the lab, or a file of the
    /// student's work folder (e.g. <c>"ring3.s"</c>). Assembly errors fail the script with their positions.</summary>
    public ScriptMachine Load(string name)
    {
        var (text, sourceName) = resolveSource(name);
        return Assemble(text, sourceName);
    }

    /// <summary>Assembles and loads program text written in the script.</summary>
    public ScriptMachine LoadSource(string text) => Assemble(text, "script.s");

    /// <summary>Runs at most <paramref name="budget"/> instructions; returns why it stopped.</summary>
    public ScriptExit Run(double budget)
    {
        if (budget is < 1 or > 1e10 || double.IsNaN(budget)) throw new ScriptFailure($"run(budget): budget must be 1 to 10^10 instructions, not {budget}");
        return new ScriptExit(Computer.Run((long)budget));
    }

    /// <summary>Runs until the machine halts or shuts down, or ten million instructions pass; breakpoints
    /// (<c>brk</c> without a handler) are passed over.</summary>
    public ScriptExit RunToHalt() => RunToHalt(10_000_000);

    /// <summary>As <see cref="RunToHalt()"/>, with a budget.</summary>
    public ScriptExit RunToHalt(double budget)
    {
        while (true)
        {
            var exit = Run(budget);
            if (exit.Reason != nameof(ExitReason.Breakpoint)) return exit;
        }
    }

    /// <summary>Register n (0-15).</summary>
    public double Reg(int n) => Core.State.R[CheckRegister(n)];

    /// <summary>Sets register n.</summary>
    public void SetReg(int n, double value) => Core.State.R[CheckRegister(n)] = (uint)(long)value;

    /// <summary>The program counter.</summary>
    public double Pc => Core.State.Pc;

    /// <summary>The current ring (0-3).</summary>
    public int Ring => Core.State.Cpl;

    /// <summary>The flags word.</summary>
    public double Flags => Core.State.Flags;

    /// <summary>The flags as text, e.g. <c>"Z IF ring 0"</c>.</summary>
    public string FlagsText => VirtualizationWorkbench.Machine.Cpu.Flags.Describe(Core.State.Flags);

    /// <summary>Whether interrupts are enabled.</summary>
    public bool InterruptsEnabled => (Core.State.Flags & VirtualizationWorkbench.Machine.Cpu.Flags.IF) != 0;

    /// <summary>Control register n (0, 2, 3, 4 = ksp, 8) or the interrupt-table base (n = -1).</summary>
    public double Cr(int n) => n switch
    {
        0 => Core.State.Cr0,
        2 => Core.State.Cr2,
        3 => Core.State.Cr3,
        4 => Core.State.Ksp,
        8 => Core.State.Cr8,
        -1 => Core.State.Idtr,
        _ => throw new ScriptFailure($"cr({n}): control registers are 0, 2, 3, 4 (ksp) and 8; -1 is the interrupt-table base"),
    };

    /// <summary>The word at a linear address as the machine sees it now (0 if unmapped).</summary>
    public double Read(double address)
    {
        Span<byte> bytes = stackalloc byte[4];
        return Core.ReadVirtual((uint)(long)address, bytes) == 4 ? BitConverter.ToUInt32(bytes) : 0;
    }

    /// <summary>Writes the word at a linear address.</summary>
    public void Write(double address, double value)
    {
        if (Core.WriteVirtual((uint)(long)address, BitConverter.GetBytes((uint)(long)value)) != 4)
        {
            throw new ScriptFailure($"write(0x{(uint)(long)address:x}): the address is not mapped");
        }
    }

    /// <summary>The address of a label or constant of the loaded program.</summary>
    public double Symbol(string name) =>
        Computer.Program?.Symbols.TryGetValue(name, out var value) == true ? value : throw new ScriptFailure($"symbol('{name}'): the loaded program has no such label");

    /// <summary>A counter by the name <c>workbench run --stats</c> prints (e.g. <c>"instructions"</c>,
    /// <c>"traps.general-protection"</c>, <c>"traps.int-0x80"</c>); 0 if it never counted.</summary>
    public double Counter(string name)
    {
        foreach (var (key, value) in Core.Counters.Describe())
        {
            if (key == name) return value;
        }
        if (name.StartsWith("traps.", StringComparison.Ordinal) || name.StartsWith("exits.", StringComparison.Ordinal) || name.StartsWith("vm-exits.", StringComparison.Ordinal)) return 0;
        throw new ScriptFailure($"counter('{name}'): no such counter; names are those of 'workbench run --stats'");
    }

    /// <summary>How many times exception or interrupt <paramref name="vector"/> was raised.</summary>
    public double Traps(int vector) => Core.Counters.Traps[vector & 255];

    /// <summary>What the guest printed so far.</summary>
    public string Console() => Computer.Console.PendingText;

    /// <summary>Types text into the guest's console.</summary>
    public void Feed(string text) => Computer.Console.Feed(text);

    /// <summary>The event trace, one line per event, oldest first.</summary>
    public string[] Events() => [.. Core.Trace.Snapshot().Select(e => e.ToString())];

    /// <summary>The disassembly of the instruction at an address.</summary>
    public string Disassemble(double address)
    {
        var at = (uint)(long)address;
        return Disassembler.Decode(at, (uint)Read(at), (uint)Read(at + 4), Computer.Program).Text;
    }

    /// <summary>Sends exceptions whose bit is set (bit v = vector v) to the script as "Trap" exits.</summary>
    public void Intercept(double vectors) => Core.InterceptedExceptions = (uint)(long)vectors;

    private ScriptMachine Assemble(string text, string sourceName)
    {
        var result = Assembler.Assemble(text, sourceName);
        if (!result.Succeeded)
        {
            throw new ScriptFailure($"{sourceName} does not assemble:\n" + string.Join("\n", result.Diagnostics.Select(d => d.Headline)));
        }
        Computer.Load(result.Program!);
        return this;
    }

    private static int CheckRegister(int n) => n is >= 0 and < 16 ? n : throw new ScriptFailure($"reg({n}): registers are 0 to 15");
}

/// <summary>Why a run stopped, for scripts: <c>exit.reason</c> is the <see cref="ExitReason"/> name.</summary>
public sealed class ScriptExit(RunExit exit)
{
    /// <summary>"Halt", "Shutdown", "BudgetSpent", "Trap", "Breakpoint", "IoIn", …</summary>
    public string Reason { get; } = exit.Reason.ToString();
    /// <summary>The pc of the instruction involved.</summary>
    public double Pc { get; } = exit.Pc;
    /// <summary>Trap: the vector.</summary>
    public int Vector { get; } = exit.Vector;
    /// <summary>Trap: the error code.</summary>
    public double ErrorCode { get; } = exit.ErrorCode;
    /// <summary>Port or physical address for I/O and MMIO exits.</summary>
    public double Address { get; } = exit.Address;
    /// <summary>Shutdown: why.</summary>
    public string Message { get; } = exit.Message ?? "";

    /// <inheritdoc/>
    public override string ToString() => exit.ToString();
}
