namespace VirtualizationWorkbench.Bytecode.Format;

/// <summary>
/// The instructions of the course's stack bytecode (<c>curriculum/reference/bytecode.md</c> is the reference).
/// Each is one byte, followed by its operand: <see cref="Push"/> a 32-bit little-endian integer, the local
/// instructions a one-byte local index, the jumps a 16-bit offset from the start of the function's code,
/// <see cref="Call"/> a one-byte function index. Typed as the JVM's are: <c>I</c> instructions move integers,
/// <c>A</c> ones array references, so the verifier can check every use.
/// </summary>
public enum Opcode : byte
{
    // 0x00 is not an instruction, on purpose: zeroed code stops at the verifier instead of sliding on.
    Push = 0x01,
    Pop = 0x02,
    Dup = 0x03,
    ILoad = 0x10,
    IStore = 0x11,
    ALoad = 0x12,
    AStore = 0x13,
    Add = 0x20,
    Sub = 0x21,
    Mul = 0x22,
    Div = 0x23,
    Rem = 0x24,
    Neg = 0x25,
    Eq = 0x28,
    Ne = 0x29,
    Lt = 0x2A,
    Le = 0x2B,
    Gt = 0x2C,
    Ge = 0x2D,
    Jmp = 0x30,
    Jz = 0x31,
    Jnz = 0x32,
    Call = 0x38,
    Ret = 0x39,
    NewArray = 0x40,
    IALoad = 0x41,
    IAStore = 0x42,
    ArrayLength = 0x43,
    Print = 0x48,
    PutChar = 0x49,
}
