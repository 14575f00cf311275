using VirtualizationWorkbench.Emulation.Cpu;
using VirtualizationWorkbench.Emulation.Decoding;
using VirtualizationWorkbench.Grading;

namespace VirtualizationWorkbench.Labs.IntegerUnit.Grading;

/// <summary>
/// What the grading tests compare the student's unit with: one instruction run by the workbench's own RV32
/// interpreter (the engine <c>workbench emulate</c> uses, itself checked against qemu-riscv32), on a hart whose
/// registers are set first. Also the encoders and the seeded operands the tests draw.
/// </summary>
internal static class Rv32Reference
{
    /// <summary>The integer unit's major opcodes: OP-IMM, OP, LUI, AUIPC.</summary>
    public static readonly uint[] GroupOpcodes = [0x13, 0x33, 0x37, 0x17];

    /// <summary>What the reference does with <paramref name="word"/> at <paramref name="pc"/>: whether the word
    /// belongs to the integer unit (its opcode is one of the group's and the interpreter executes it without a
    /// trap), and the registers after it (unchanged when it does not belong).</summary>
    public static (bool Handled, uint[] After) Execute(uint word, uint[] registers, uint pc)
    {
        var after = (uint[])registers.Clone();
        if (!GroupOpcodes.Contains(word & 0x7F)) return (false, after);
        var memory = new Rv32Memory(pc & ~0xFFFu, 0x1000);
        memory.Write(pc, BitConverter.GetBytes(word));
        var hart = new Rv32Hart(memory, systemMode: false);
        hart.Reset(pc);
        for (var i = 1; i < 32; i++) hart[i] = registers[i];
        if (hart.Run(1).Reason != Rv32ExitReason.BudgetSpent) return (false, after);
        for (var i = 1; i < 32; i++) after[i] = hart[i];
        return (true, after);
    }

    /// <summary>The student's unit on a copy of <paramref name="registers"/>.</summary>
    public static (bool Handled, uint[] After) Student(uint word, uint[] registers, uint pc)
    {
        var after = (uint[])registers.Clone();
        return (IntegerUnit.Execute(word, after, pc), after);
    }

    /// <summary>The instruction as text, for messages.</summary>
    public static string Text(uint word, uint pc) => $"0x{word:x8} ({Rv32Disassembler.Disassemble(word, pc)})";

    /// <summary>A 32-bit value from the run's seed.</summary>
    public static uint Value() => (uint)Inputs.Next(0, 65536) << 16 | (uint)Inputs.Next(0, 65536);

    /// <summary>An operand: often an edge case of signed and unsigned arithmetic, otherwise any value.</summary>
    public static uint Operand() => Inputs.Next(0, 3) == 0 ? Inputs.Choose(0u, 1u, uint.MaxValue, 0x8000_0000u, 0x7FFF_FFFFu, 2u) : Value();

    /// <summary>A register file x0-x31 of seeded values (x0 zero).</summary>
    public static uint[] Registers()
    {
        var x = new uint[32];
        for (var i = 1; i < 32; i++) x[i] = Operand();
        return x;
    }

    /// <summary>A register number 1 to 31.</summary>
    public static int Register() => Inputs.Next(1, 32);

    /// <summary>An address for the instruction (word-aligned).</summary>
    public static uint Pc() => Value() & ~3u;

    /// <summary>I-type: immediate (12 bits), rs1, funct3, rd, opcode.</summary>
    public static uint TypeI(uint opcode, int rd, uint funct3, int rs1, int immediate) =>
        (uint)(immediate & 0xFFF) << 20 | (uint)rs1 << 15 | funct3 << 12 | (uint)rd << 7 | opcode;

    /// <summary>R-type: funct7, rs2, rs1, funct3, rd, opcode.</summary>
    public static uint TypeR(uint opcode, int rd, uint funct3, int rs1, int rs2, uint funct7) =>
        funct7 << 25 | (uint)rs2 << 20 | (uint)rs1 << 15 | funct3 << 12 | (uint)rd << 7 | opcode;

    /// <summary>U-type: the upper 20 bits, rd, opcode.</summary>
    public static uint TypeU(uint opcode, int rd, uint upper) => (upper & 0xFFFFF) << 12 | (uint)rd << 7 | opcode;
}
