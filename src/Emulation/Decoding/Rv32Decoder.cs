namespace VirtualizationWorkbench.Emulation.Decoding;

/// <summary>
/// Decodes 32-bit RISC-V instruction words into <see cref="Rv32Instruction"/>s: the six formats (R, I, S, B,
/// U, J) and their immediates. Used by the translator and the disassembler; the interpreter decodes inline.
/// </summary>
public static class Rv32Decoder
{
    /// <summary>The I-type immediate: bits 31-20, sign-extended.</summary>
    public static int ImmediateI(uint word) => (int)word >> 20;

    /// <summary>The S-type immediate: bits 31-25 and 11-7, sign-extended.</summary>
    public static int ImmediateS(uint word) => ((int)word >> 20 & ~31) | (int)((word >> 7) & 31);

    /// <summary>The B-type immediate: a multiple of 2 in ±4 KiB.</summary>
    public static int ImmediateB(uint word) =>
        ((int)word >> 19 & ~0xFFF) | (int)((word & 0x80) << 4) | (int)((word >> 20) & 0x7E0) | (int)((word >> 7) & 0x1E);

    /// <summary>The U-type immediate: bits 31-12 in place.</summary>
    public static int ImmediateU(uint word) => (int)(word & 0xFFFF_F000);

    /// <summary>The J-type immediate: a multiple of 2 in ±1 MiB.</summary>
    public static int ImmediateJ(uint word) =>
        ((int)word >> 11 & ~0xF_FFFF) | (int)(word & 0xF_F000) | (int)((word >> 9) & 0x800) | (int)((word >> 20) & 0x7FE);

    /// <summary>Decodes <paramref name="word"/>; a word that is no RV32IM instruction gives
    /// <see cref="Rv32Op.Illegal"/>.</summary>
    public static Rv32Instruction Decode(uint word)
    {
        var rd = (int)((word >> 7) & 31);
        var rs1 = (int)((word >> 15) & 31);
        var rs2 = (int)((word >> 20) & 31);
        var funct3 = (word >> 12) & 7;
        var funct7 = word >> 25;
        Rv32Instruction Make(Rv32Op op, int immediate = 0) => new(op, rd, rs1, rs2, immediate, word);
        Rv32Instruction Bad() => new(Rv32Op.Illegal, 0, 0, 0, 0, word);

        switch (word & 0x7F)
        {
            case 0x37: return Make(Rv32Op.Lui, ImmediateU(word));
            case 0x17: return Make(Rv32Op.Auipc, ImmediateU(word));
            case 0x6F: return Make(Rv32Op.Jal, ImmediateJ(word));
            case 0x67: return funct3 == 0 ? Make(Rv32Op.Jalr, ImmediateI(word)) : Bad();
            case 0x63:
                return funct3 switch
                {
                    0 => Make(Rv32Op.Beq, ImmediateB(word)),
                    1 => Make(Rv32Op.Bne, ImmediateB(word)),
                    4 => Make(Rv32Op.Blt, ImmediateB(word)),
                    5 => Make(Rv32Op.Bge, ImmediateB(word)),
                    6 => Make(Rv32Op.Bltu, ImmediateB(word)),
                    7 => Make(Rv32Op.Bgeu, ImmediateB(word)),
                    _ => Bad(),
                };
            case 0x03:
                return funct3 switch
                {
                    0 => Make(Rv32Op.Lb, ImmediateI(word)),
                    1 => Make(Rv32Op.Lh, ImmediateI(word)),
                    2 => Make(Rv32Op.Lw, ImmediateI(word)),
                    4 => Make(Rv32Op.Lbu, ImmediateI(word)),
                    5 => Make(Rv32Op.Lhu, ImmediateI(word)),
                    _ => Bad(),
                };
            case 0x23:
                return funct3 switch
                {
                    0 => Make(Rv32Op.Sb, ImmediateS(word)),
                    1 => Make(Rv32Op.Sh, ImmediateS(word)),
                    2 => Make(Rv32Op.Sw, ImmediateS(word)),
                    _ => Bad(),
                };
            case 0x13:
                return funct3 switch
                {
                    0 => Make(Rv32Op.Addi, ImmediateI(word)),
                    2 => Make(Rv32Op.Slti, ImmediateI(word)),
                    3 => Make(Rv32Op.Sltiu, ImmediateI(word)),
                    4 => Make(Rv32Op.Xori, ImmediateI(word)),
                    6 => Make(Rv32Op.Ori, ImmediateI(word)),
                    7 => Make(Rv32Op.Andi, ImmediateI(word)),
                    1 => funct7 == 0 ? Make(Rv32Op.Slli, rs2) : Bad(),
                    _ => funct7 == 0 ? Make(Rv32Op.Srli, rs2) : funct7 == 0x20 ? Make(Rv32Op.Srai, rs2) : Bad(),
                };
            case 0x33:
                if (funct7 == 1)
                {
                    return Make(funct3 switch
                    {
                        0 => Rv32Op.Mul,
                        1 => Rv32Op.Mulh,
                        2 => Rv32Op.Mulhsu,
                        3 => Rv32Op.Mulhu,
                        4 => Rv32Op.Div,
                        5 => Rv32Op.Divu,
                        6 => Rv32Op.Rem,
                        _ => Rv32Op.Remu,
                    });
                }
                if (funct7 == 0)
                {
                    return Make(funct3 switch
                    {
                        0 => Rv32Op.Add,
                        1 => Rv32Op.Sll,
                        2 => Rv32Op.Slt,
                        3 => Rv32Op.Sltu,
                        4 => Rv32Op.Xor,
                        5 => Rv32Op.Srl,
                        6 => Rv32Op.Or,
                        _ => Rv32Op.And,
                    });
                }
                if (funct7 == 0x20 && funct3 == 0) return Make(Rv32Op.Sub);
                if (funct7 == 0x20 && funct3 == 5) return Make(Rv32Op.Sra);
                return Bad();
            case 0x0F:
                return funct3 == 0 ? Make(Rv32Op.Fence) : funct3 == 1 ? Make(Rv32Op.FenceI) : Bad();
            case 0x73:
                switch (funct3)
                {
                    case 0:
                        return word switch
                        {
                            0x0000_0073 => Make(Rv32Op.Ecall),
                            0x0010_0073 => Make(Rv32Op.Ebreak),
                            0x3020_0073 => Make(Rv32Op.Mret),
                            0x1050_0073 => Make(Rv32Op.Wfi),
                            _ => Bad(),
                        };
                    case 4: return Bad();
                    default:
                        var op = funct3 switch
                        {
                            1 => Rv32Op.Csrrw,
                            2 => Rv32Op.Csrrs,
                            3 => Rv32Op.Csrrc,
                            5 => Rv32Op.Csrrwi,
                            6 => Rv32Op.Csrrsi,
                            _ => Rv32Op.Csrrci,
                        };
                        return Make(op, (int)(word >> 20));
                }
            default:
                return Bad();
        }
    }
}
