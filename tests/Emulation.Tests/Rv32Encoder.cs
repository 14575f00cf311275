namespace VirtualizationWorkbench.Emulation.Tests;

/// <summary>Encodes RV32IM instructions for generated test programs.</summary>
internal static class Rv32Encoder
{
    public static uint R(uint funct7, int rs2, int rs1, uint funct3, int rd, uint opcode) =>
        (funct7 << 25) | ((uint)rs2 << 20) | ((uint)rs1 << 15) | (funct3 << 12) | ((uint)rd << 7) | opcode;

    public static uint I(int imm, int rs1, uint funct3, int rd, uint opcode) =>
        ((uint)(imm & 0xFFF) << 20) | ((uint)rs1 << 15) | (funct3 << 12) | ((uint)rd << 7) | opcode;

    public static uint S(int imm, int rs2, int rs1, uint funct3) =>
        ((uint)((imm >> 5) & 0x7F) << 25) | ((uint)rs2 << 20) | ((uint)rs1 << 15) | (funct3 << 12) | ((uint)(imm & 31) << 7) | 0x23;

    public static uint B(int imm, int rs2, int rs1, uint funct3) =>
        ((uint)((imm >> 12) & 1) << 31) | ((uint)((imm >> 5) & 0x3F) << 25) | ((uint)rs2 << 20) | ((uint)rs1 << 15)
        | (funct3 << 12) | ((uint)((imm >> 1) & 0xF) << 8) | ((uint)((imm >> 11) & 1) << 7) | 0x63;

    public static uint U(uint imm, int rd, uint opcode) => (imm & 0xFFFF_F000) | ((uint)rd << 7) | opcode;

    public static uint J(int imm, int rd) =>
        ((uint)((imm >> 20) & 1) << 31) | ((uint)((imm >> 1) & 0x3FF) << 21) | ((uint)((imm >> 11) & 1) << 20)
        | ((uint)((imm >> 12) & 0xFF) << 12) | ((uint)rd << 7) | 0x6F;

    public static uint Addi(int rd, int rs1, int imm) => I(imm, rs1, 0, rd, 0x13);

    /// <summary>li: lui + addi.</summary>
    public static IEnumerable<uint> Li(int rd, uint value)
    {
        var low = (int)(value << 20) >> 20;
        var high = value - (uint)low;
        yield return U(high, rd, 0x37);
        yield return Addi(rd, rd, low);
    }

    public const uint Ecall = 0x73;
}
