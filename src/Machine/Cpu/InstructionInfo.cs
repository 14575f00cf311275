namespace VirtualizationWorkbench.Machine.Cpu;

/// <summary>What the assembler, the disassembler, the cost model and the documentation know about one
/// instruction.</summary>
/// <param name="Opcode">The operation code (top byte of the instruction word).</param>
/// <param name="Mnemonic">The assembler name.</param>
/// <param name="Form">Which fields of the word are used.</param>
/// <param name="Privileged">Raises #GP outside ring 0.</param>
/// <param name="Sensitive">Sensitive but not privileged: behaves differently, or reveals real machine state,
/// outside ring 0 without faulting (the Popek &amp; Goldberg problem of classic x86).</param>
/// <param name="Cost">Which entry of the cost table the instruction is charged.</param>
/// <param name="Summary">One line for listings, help and the reference.</param>
public sealed record InstructionInfo(
    Opcode Opcode,
    string Mnemonic,
    OperandForm Form,
    bool Privileged,
    bool Sensitive,
    CostClass Cost,
    string Summary)
{
    /// <summary>Instruction length in bytes: 8 for the forms with a 32-bit immediate word, else 4.</summary>
    public int Length => Form == OperandForm.RegisterImmediate32 ? 8 : 4;
}
