namespace VirtualizationWorkbench.Emulation.Decoding;

/// <summary>Every RV32IM instruction (plus the machine-mode ones system mode runs), by mnemonic.</summary>
public enum Rv32Op
{
    /// <summary>Not an RV32IM instruction.</summary>
    Illegal,
#pragma warning disable CS1591 // the mnemonics are their own documentation
    Lui, Auipc, Jal, Jalr,
    Beq, Bne, Blt, Bge, Bltu, Bgeu,
    Lb, Lh, Lw, Lbu, Lhu, Sb, Sh, Sw,
    Addi, Slti, Sltiu, Xori, Ori, Andi, Slli, Srli, Srai,
    Add, Sub, Sll, Slt, Sltu, Xor, Srl, Sra, Or, And,
    Mul, Mulh, Mulhsu, Mulhu, Div, Divu, Rem, Remu,
    Fence, FenceI, Ecall, Ebreak, Mret, Wfi,
    Csrrw, Csrrs, Csrrc, Csrrwi, Csrrsi, Csrrci,
#pragma warning restore CS1591
}
