using VirtualizationWorkbench.Emulation.Cpu;

namespace VirtualizationWorkbench.Emulation.Decoding;

/// <summary>Writes RV32IM instructions in the assembler's syntax with ABI register names
/// (<c>addi sp, sp, -16</c>, <c>beq a0, zero, 0x100f4</c>), as GNU objdump does.</summary>
public static class Rv32Disassembler
{
    /// <summary>The ABI names of x0-x31.</summary>
    public static readonly string[] RegisterNames =
    [
        "zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2", "s0", "s1", "a0", "a1", "a2", "a3", "a4", "a5",
        "a6", "a7", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6",
    ];

    /// <summary>The instruction <paramref name="word"/> at <paramref name="pc"/> as text.</summary>
    public static string Disassemble(uint word, uint pc)
    {
        var i = Rv32Decoder.Decode(word);
        string R(int r) => RegisterNames[r];
        var name = i.Op.ToString().ToLowerInvariant();
        return i.Op switch
        {
            Rv32Op.Illegal => $".word 0x{word:x8}",
            Rv32Op.Lui or Rv32Op.Auipc => $"{name} {R(i.Rd)}, 0x{(uint)i.Immediate >> 12:x}",
            Rv32Op.Jal => $"jal {R(i.Rd)}, 0x{pc + (uint)i.Immediate:x}",
            Rv32Op.Jalr => $"jalr {R(i.Rd)}, {i.Immediate}({R(i.Rs1)})",
            >= Rv32Op.Beq and <= Rv32Op.Bgeu => $"{name} {R(i.Rs1)}, {R(i.Rs2)}, 0x{pc + (uint)i.Immediate:x}",
            >= Rv32Op.Lb and <= Rv32Op.Lhu => $"{name} {R(i.Rd)}, {i.Immediate}({R(i.Rs1)})",
            >= Rv32Op.Sb and <= Rv32Op.Sw => $"{name} {R(i.Rs2)}, {i.Immediate}({R(i.Rs1)})",
            >= Rv32Op.Addi and <= Rv32Op.Srai => $"{name} {R(i.Rd)}, {R(i.Rs1)}, {i.Immediate}",
            >= Rv32Op.Add and <= Rv32Op.Remu => $"{name} {R(i.Rd)}, {R(i.Rs1)}, {R(i.Rs2)}",
            Rv32Op.FenceI => "fence.i",
            Rv32Op.Fence or Rv32Op.Ecall or Rv32Op.Ebreak or Rv32Op.Mret or Rv32Op.Wfi => name,
            Rv32Op.Csrrw or Rv32Op.Csrrs or Rv32Op.Csrrc => $"{name} {R(i.Rd)}, 0x{i.Immediate:x3}, {R(i.Rs1)}",
            _ => $"{name} {R(i.Rd)}, 0x{i.Immediate:x3}, {i.Rs1}",
        };
    }
}
