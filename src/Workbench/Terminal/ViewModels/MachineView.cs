namespace VirtualizationWorkbench.Workbench.Terminal.ViewModels;

/// <summary>One line of the disassembly around the program counter.</summary>
public sealed record DisassemblyLine(uint Address, string? Label, string Bytes, string Text, bool IsPc, bool IsCursor, bool IsBreakpoint);

/// <summary>A named counter and its value.</summary>
public sealed record CounterValue(string Name, ulong Value);

/// <summary>
/// What the inspector shows of the machine at one moment, copied out so the screen can draw it while the core
/// goes on running on its own thread.
/// </summary>
public sealed record MachineView
{
    /// <summary>The program counter.</summary>
    public required uint Pc { get; init; }
    /// <summary>The current privilege level (ring 0-3).</summary>
    public required int Ring { get; init; }
    /// <summary>The flags register.</summary>
    public required uint Flags { get; init; }
    /// <summary>The flags spelled out.</summary>
    public required string FlagNames { get; init; }
    /// <summary>r0-r15 (r15 is sp).</summary>
    public required IReadOnlyList<uint> Registers { get; init; }
    /// <summary>Control registers by name (cr0, cr2, cr3, ksp, cr8, idtr).</summary>
    public required IReadOnlyList<(string Name, uint Value)> Control { get; init; }
    /// <summary>Disassembly around the cursor.</summary>
    public required IReadOnlyList<DisassemblyLine> Disassembly { get; init; }
    /// <summary>Memory rows: address, 16 bytes in hex (<c>??</c> where unmapped) and as ASCII.</summary>
    public required IReadOnlyList<string> Memory { get; init; }
    /// <summary>The page tables as text rows (or why there are none).</summary>
    public required IReadOnlyList<string> PageTables { get; init; }
    /// <summary>Counters: instructions, cycles, TLB, traps by kind, exits by reason.</summary>
    public required IReadOnlyList<CounterValue> Counters { get; init; }
    /// <summary>The latest events of the trace, oldest first.</summary>
    public required IReadOnlyList<string> Trace { get; init; }
    /// <summary>The guest's console output, last lines.</summary>
    public required IReadOnlyList<string> Console { get; init; }
    /// <summary>Whether the core is running.</summary>
    public required bool Running { get; init; }
    /// <summary>Where the machine stands: "paused", "halted", "breakpoint at …".</summary>
    public required string State { get; init; }
    /// <summary>Instructions executed so far.</summary>
    public required ulong Time { get; init; }
}
