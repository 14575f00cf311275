namespace VirtualizationWorkbench.Machine.Cpu;

/// <summary>
/// The operation codes of the VW32 instruction set: the top byte of every instruction word.
/// Opcode 0x00 is deliberately undefined, so that executing zeroed memory raises an invalid-opcode exception
/// instead of sliding silently. <c>curriculum/reference/isa.md</c> documents each one.
/// </summary>
// Each member's meaning lives in InstructionSet's table (one line per opcode) and in isa.md, not here twice.
#pragma warning disable CS1591
public enum Opcode : byte
{
    /// <summary>Not an instruction: raises #UD.</summary>
    Invalid = 0x00,
    Nop = 0x01,
    Hlt = 0x02,
    Cli = 0x03,
    Sti = 0x04,
    Pushf = 0x05,
    Popf = 0x06,
    Iret = 0x07,
    Brk = 0x08,
    Int = 0x09,
    Vmcall = 0x0A,
    Ret = 0x0B,
    Invtlb = 0x0C,
    Getcpl = 0x0D,
    Sidt = 0x0E,
    Smsw = 0x0F,
    Lidt = 0x10,
    Invlpg = 0x11,
    Mtcr = 0x12,
    Mfcr = 0x13,
    In = 0x14,
    Out = 0x15,
    Cpuid = 0x16,
    Rdcycle = 0x17,
    Xchg = 0x18,
    Push = 0x19,
    Pop = 0x1A,
    Callr = 0x1B,
    Jmpr = 0x1C,

    Mov = 0x20,
    Li = 0x21,
    Not = 0x23,
    Neg = 0x24,

    Add = 0x28,
    Sub = 0x29,
    And = 0x2A,
    Or = 0x2B,
    Xor = 0x2C,
    Shl = 0x2D,
    Shr = 0x2E,
    Sar = 0x2F,
    Mul = 0x30,
    Div = 0x31,
    Divu = 0x32,
    Rem = 0x33,
    Remu = 0x34,
    Cmp = 0x35,
    Test = 0x36,

    Addi = 0x38,
    Andi = 0x3A,
    Ori = 0x3B,
    Xori = 0x3C,
    Shli = 0x3D,
    Shri = 0x3E,
    Sari = 0x3F,
    Muli = 0x40,
    Cmpi = 0x41,

    Ld = 0x48,
    Ldb = 0x49,
    St = 0x4A,
    Stb = 0x4B,

    Jmp = 0x50,
    Je = 0x51,
    Jne = 0x52,
    Jl = 0x53,
    Jge = 0x54,
    Jle = 0x55,
    Jg = 0x56,
    Jb = 0x57,
    Jae = 0x58,
    Jbe = 0x59,
    Ja = 0x5A,
    Js = 0x5B,
    Jns = 0x5C,
    Call = 0x5F,
}
#pragma warning restore CS1591
