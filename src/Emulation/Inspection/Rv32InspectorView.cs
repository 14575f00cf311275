using VirtualizationWorkbench.Emulation.Cpu;
using VirtualizationWorkbench.Emulation.Decoding;

namespace VirtualizationWorkbench.Emulation.Inspection;

/// <summary>One line of the inspector's disassembly: address, word, text, and whether the pc is there.</summary>
public sealed record Rv32DisassemblyLine(uint Address, uint? Word, string Text, bool IsCurrent);

/// <summary>One register as the inspector shows it: ABI name, x-number, value, and whether it changed since the
/// last refresh.</summary>
public sealed record Rv32RegisterRow(string Name, int Index, uint Value, bool Changed);

/// <summary>
/// What the terminal UI's inspector shows while the foreign CPU runs: the RV32 registers (changed ones marked),
/// pc, privilege and counters, and the disassembly around the pc. A plain view-model with no UI types; the
/// screen that draws it waits for the new terminal UI (issue 12).
/// </summary>
public sealed class Rv32InspectorView(Rv32Hart hart)
{
    private readonly uint[] previous = new uint[32];

    /// <summary>The registers after the last <see cref="Refresh"/>.</summary>
    public IReadOnlyList<Rv32RegisterRow> Registers { get; private set; } = [];

    /// <summary>The disassembly around the pc after the last <see cref="Refresh"/>.</summary>
    public IReadOnlyList<Rv32DisassemblyLine> Disassembly { get; private set; } = [];

    /// <summary>"pc 0x… · machine mode · 1,234 instructions · 2,345 cycles".</summary>
    public string Status { get; private set; } = "";

    /// <summary>Reads the hart again: registers (marking those that changed), status, and
    /// <paramref name="before"/> instructions before the pc and <paramref name="after"/> after it.</summary>
    public void Refresh(int before = 4, int after = 8)
    {
        var rows = new Rv32RegisterRow[32];
        for (var r = 0; r < 32; r++)
        {
            var value = hart[r];
            rows[r] = new Rv32RegisterRow(Rv32Disassembler.RegisterNames[r], r, value, value != previous[r]);
            previous[r] = value;
        }
        Registers = rows;
        var s = hart.State;
        Status = $"pc 0x{s.Pc:x8} · {(s.Privilege == 3 ? "machine" : "user")} mode · {s.Instructions:N0} instructions · {s.Cycles:N0} cycles";
        var lines = new List<Rv32DisassemblyLine>();
        for (var k = -before; k <= after; k++)
        {
            var address = s.Pc + (uint)(k * 4);
            var word = hart.Memory.Peek(address);
            lines.Add(new Rv32DisassemblyLine(address, word, word is { } w ? Rv32Disassembler.Disassemble(w, address) : "(not mapped)", k == 0));
        }
        Disassembly = lines;
    }
}
