namespace VirtualizationWorkbench.Emulation.Decoding;

/// <summary>A decoded instruction: the operation, its register fields and its immediate (sign-extended; for
/// CSR instructions the CSR number, with the 5-bit immediate of the *I forms in <see cref="Rs1"/>).</summary>
public readonly record struct Rv32Instruction(Rv32Op Op, int Rd, int Rs1, int Rs2, int Immediate, uint Word)
{
    /// <summary>Whether the instruction may change the flow of control (the end of a basic block).</summary>
    public bool EndsBlock => Op is >= Rv32Op.Jal and <= Rv32Op.Bgeu;

    /// <summary>Whether only the host's hart runs it (system instructions and CSRs, and illegal words): a
    /// translated block stops before it.</summary>
    public bool NeedsHart => Op is Rv32Op.Illegal or >= Rv32Op.Fence;
}
