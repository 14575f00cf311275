using System.Runtime.CompilerServices;

namespace VirtualizationWorkbench.Machine.Cpu;

/// <summary>
/// One VW32 instruction word and its fields: the only place in code that knows the layout
/// <c>opcode[31:24] rd[23:20] rs[19:16] imm16[15:0]</c>, with rt in imm16[3:0] (see <see cref="OperandForm"/> for
/// which fields each instruction uses). The interpreter, the monitors' emulators, the binary translator, the
/// disassembler and the assembler all decode and encode through it.
/// </summary>
/// <remarks>A struct of one <see cref="uint"/> whose fields inline to a shift and a mask: the interpreter's loop
/// pays nothing for the names.</remarks>
/// <param name="value">The 32-bit word as it is in memory (little-endian, read as a <see cref="uint"/>).</param>
public readonly struct InstructionWord(uint value)
{
    private readonly uint value = value;

    /// <summary>The whole word.</summary>
    public uint Value
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => value;
    }

    /// <summary>Bits 31-24: the operation (possibly undefined; see <see cref="InstructionSet.Get(byte)"/>).</summary>
    public Opcode Opcode
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => (Opcode)(value >> 24);
    }

    /// <summary>Bits 23-20: the destination register (or, in <c>mov crN, rs</c>, the control-register number).</summary>
    public int Rd
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => (int)(value >> 20) & 15;
    }

    /// <summary>Bits 19-16: the source or base register (or, in <c>mov rd, crN</c>, the control-register number).</summary>
    public int Rs
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => (int)(value >> 16) & 15;
    }

    /// <summary>Bits 3-0: the second source register of the three-register forms.</summary>
    public int Rt
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => (int)(value & 15);
    }

    /// <summary>Bits 15-0, zero-extended: <c>andi</c>/<c>ori</c>/<c>xori</c> operands and port numbers.</summary>
    public uint Imm16
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => value & 0xFFFF;
    }

    /// <summary>Bits 15-0, sign-extended to 32 bits: <c>addi</c>/<c>muli</c>/<c>cmpi</c> operands and memory
    /// displacements (added with wrap-around, as the hardware does).</summary>
    public uint SignedImm16
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => (uint)(short)value;
    }

    /// <summary>A branch's or call's target relative to the next instruction, in bytes: the signed imm16 counts
    /// words.</summary>
    public uint BranchOffset
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => (uint)((int)(short)value << 2);
    }

    /// <summary>Bits 4-0: the count of the immediate shifts.</summary>
    public int ShiftCount
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => (int)(value & 31);
    }

    /// <summary>Bits 7-0: the vector of <c>int n</c>.</summary>
    public int Vector
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => (int)(value & 0xFF);
    }

    /// <summary>Builds a word from its fields; each is cut to its width (registers to 4 bits, the immediate to 16).</summary>
    public static InstructionWord Encode(Opcode opcode, int rd, int rs, uint imm16) =>
        new((uint)opcode << 24 | (uint)(rd & 15) << 20 | (uint)(rs & 15) << 16 | (imm16 & 0xFFFF));

    /// <inheritdoc/>
    public override string ToString() => $"0x{value:x8}";
}
