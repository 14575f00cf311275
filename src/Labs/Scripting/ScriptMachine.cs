using VirtualizationWorkbench.Machine;
using VirtualizationWorkbench.Machine.Assembler;
using VirtualizationWorkbench.Machine.Cpu;

namespace VirtualizationWorkbench.Labs.Scripting;

/// <summary>
/// What a machine does for lab scripts (<c>const m = lab.machine()</c>): load a program, run it with a budget,
/// and read registers, memory, counters, the console and the event trace. Documented in
/// <c>curriculum/authoring.md</c>, where scripts call the members in camelCase (<c>m.run(1000)</c>,
/// <c>m.reg(1)</c>) through the script host's JavaScript object.
/// </summary>
public sealed class ScriptMachine
{
    private readonly ScriptFiles files;
    private readonly ScriptBudget budget;

    internal ScriptMachine(Computer computer, ScriptFiles files, ScriptBudget budget)
    {
        Computer = computer;
        this.files = files;
        this.budget = budget;
    }

    /// <summary>The underlying machine (host code only).</summary>
    internal Computer Computer { get; }

    private Core Core => Computer.Cores[0];

    /// <summary>Assembles and loads a program: the name of an <c>asm</c> block of the lab, a shared guest, or a
    /// file of the student's work folder (e.g. <c>"ring3.s"</c>). Assembly errors fail the script with their
    /// positions.</summary>
    public ScriptMachine Load(string name)
    {
        var (text, sourceName) = files.Resolve(name);
        return Assemble(text, sourceName);
    }

    /// <summary>Assembles and loads program text written in the script.</summary>
    public ScriptMachine LoadSource(string text) => Assemble(files.Checked(text, "loadSource(text)"), "script.s");

    /// <summary>Runs at most <paramref name="instructions"/> instructions (1 to 10^10); returns why it stopped.
    /// The block's time limit stops a run that would outlast it.</summary>
    public ScriptExit Run(double instructions)
    {
        if (instructions is < 1 or > 1e10 || double.IsNaN(instructions)) throw new ScriptFailure($"run(budget): budget must be 1 to 10^10 instructions, not {instructions}");
        return new ScriptExit(Run((long)instructions, "m.run()"));
    }

    /// <summary>Runs until the machine halts or shuts down, passing over breakpoints (<c>brk</c> without a
    /// handler), for at most <paramref name="instructions"/> in all: the budget is shared by every run between
    /// breakpoints, so a guest that loops over <c>brk</c> still ends.</summary>
    public ScriptExit RunToHalt(double instructions = 10_000_000)
    {
        if (instructions is < 1 or > 1e10 || double.IsNaN(instructions)) throw new ScriptFailure($"runToHalt(budget): budget must be 1 to 10^10 instructions, not {instructions}");
        var left = (long)instructions;
        while (true)
        {
            var before = Instructions;
            var exit = Run(left, "m.runToHalt()");
            // At least one: a breakpoint that costs no instruction must still use up the budget.
            left -= Math.Max(1, (long)(Instructions - before));
            if (exit.Reason != ExitReason.Breakpoint || left <= 0) return new ScriptExit(exit);
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

    /// <summary>What the guest printed so far (the console keeps the last MiB).</summary>
    public string Console() => Computer.Console.PendingText;

    /// <summary>Types text into the guest's console.</summary>
    public void Feed(string text)
    {
        if (text.Length > budget.Limits.MaxTextLength) throw new ScriptFailure($"feed(text): at most {budget.Limits.MaxTextLength / 1024} KiB at a time");
        Computer.Console.Feed(text);
    }

    /// <summary>The event trace, one line per event, oldest first (the trace keeps the last 4,096).</summary>
    public string[] Events() => [.. Core.Trace.Snapshot().Select(e => e.ToString())];

    /// <summary>The disassembly of the instruction at an address.</summary>
    public string Disassemble(double address)
    {
        var at = (uint)(long)address;
        return Disassembler.Decode(at, (uint)Read(at), (uint)Read(at + 4), Computer.Program).Text;
    }

    /// <summary>Sends exceptions whose bit is set (bit v = vector v) to the script as "Trap" exits.</summary>
    public void Intercept(double vectors) => Core.InterceptedExceptions = (uint)(long)vectors;

    private RunExit Run(long instructions, string call) =>
        budget.Run(Computer, () => Computer.Run(instructions), exit => exit.Reason == ExitReason.Stopped, call);

    private ulong Instructions => Computer.Cores.Aggregate(0UL, (sum, core) => sum + core.Counters.Instructions);

    private ScriptMachine Assemble(string text, string sourceName)
    {
        budget.ThrowIfSpent("load()");
        var result = budget.Uncounted(() => Assembler.Assemble(text, sourceName, files.Assembler()));
        if (!result.Succeeded)
        {
            throw new ScriptFailure($"{sourceName} does not assemble:\n" + string.Join("\n", result.Diagnostics.Select(d => d.Headline)));
        }
        budget.Uncounted(() =>
        {
            Computer.Load(result.Program!);
            return true;
        });
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
