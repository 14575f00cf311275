namespace VirtualizationWorkbench.Machine.Cpu;

/// <summary>How an instruction's fields are used. Every instruction word is
/// <c>opcode[31:24] rd[23:20] rs[19:16] imm16[15:0]</c>; the form says which of them mean something.</summary>
public enum OperandForm
{
    /// <summary><c>hlt</c></summary>
    None,
    /// <summary><c>push rs</c>, <c>lidt rs</c> — one source register in the rs field.</summary>
    Source,
    /// <summary><c>pop rd</c>, <c>getcpl rd</c> — one destination register in the rd field.</summary>
    Destination,
    /// <summary><c>mov rd, rs</c>, <c>cmp rd, rs</c></summary>
    TwoRegisters,
    /// <summary><c>add rd, rs, rt</c> — rt in imm16[3:0].</summary>
    ThreeRegisters,
    /// <summary><c>addi rd, rs, imm16</c></summary>
    RegistersImmediate,
    /// <summary><c>cmpi rd, imm16</c></summary>
    RegisterImmediate,
    /// <summary><c>li rd, imm32</c> — a second word holds the 32-bit immediate.</summary>
    RegisterImmediate32,
    /// <summary><c>ld rd, [rs + disp16]</c></summary>
    Load,
    /// <summary><c>st [rs + disp16], rd</c> — the rd field holds the value register.</summary>
    Store,
    /// <summary><c>jmp label</c> — imm16 is a signed word offset from the next instruction.</summary>
    Branch,
    /// <summary><c>int imm8</c></summary>
    Vector,
    /// <summary><c>in rd, port</c></summary>
    PortIn,
    /// <summary><c>out port, rs</c></summary>
    PortOut,
    /// <summary><c>mov crN, rs</c> — the rd field holds the control-register number.</summary>
    ToControlRegister,
    /// <summary><c>mov rd, crN</c> — the rs field holds the control-register number.</summary>
    FromControlRegister,
}
