namespace VirtualizationWorkbench.Labs.IntegerUnit;

/// <summary>
/// The integer unit of an RV32IM interpreter: decodes and executes the computational instructions, the group an
/// emulator runs most often. Four major opcodes (bits 6-0 of the word) belong to it:
/// <list type="bullet">
/// <item>OP-IMM (0x13): addi, slti, sltiu, xori, ori, andi (funct3 0, 2, 3, 4, 6, 7; the I-immediate, bits 31-20,
/// sign-extended), slli (funct3 1), srli and srai (funct3 5; the shift amount is bits 24-20, and bits 31-25 are
/// 0x00 for slli and srli, 0x20 for srai).</item>
/// <item>OP (0x33), funct7 (bits 31-25) 0x00: add, sll, slt, sltu, xor, srl, or, and (funct3 0 to 7); funct7 0x20:
/// sub (funct3 0) and sra (funct3 5); funct7 0x01, the M extension: mul, mulh, mulhsu, mulhu, div, divu, rem, remu
/// (funct3 0 to 7). Shifts use the low 5 bits of rs2. Division by zero gives -1 (div, divu: all ones) and the
/// dividend (rem, remu); -2^31 / -1 gives -2^31 and remainder 0: RISC-V never traps on division.</item>
/// <item>LUI (0x37): rd = the U-immediate (bits 31-12, low 12 bits zero). AUIPC (0x17): rd = pc + the U-immediate.</item>
/// </list>
/// rd is bits 11-7, funct3 bits 14-12, rs1 bits 19-15, rs2 bits 24-20. x0 always reads 0, and a write to it is
/// dropped. Grade your work with <c>workbench grade 03</c>.
/// </summary>
public static class IntegerUnit
{
    /// <summary>
    /// Executes <paramref name="word"/>, the instruction at <paramref name="pc"/>, on the registers
    /// <paramref name="x"/> (x0 to x31) and returns true; the caller then moves the pc to the next instruction.
    /// Returns false, changing nothing, for a word outside the group (a load, a branch, ecall…) or an encoding the
    /// group does not define (say OP with funct7 0x40): the emulator's other units, or its illegal-instruction
    /// trap, take those.
    /// </summary>
    public static bool Execute(uint word, uint[] x, uint pc)
    {
        // TODO: decode the fields (see the class comment), then compute rd's new value for each instruction.
        _ = (word, x, pc);
        throw new NotImplementedException($"{nameof(IntegerUnit)}.{nameof(Execute)}: decoding and executing OP, OP-IMM, LUI and AUIPC is yours to do");
    }
}
