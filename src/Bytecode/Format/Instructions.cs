namespace VirtualizationWorkbench.Bytecode.Format;

/// <summary>What each opcode looks like: its name in listings and the size of its operand. The one table the
/// compiler, the verifier, the interpreters and the disassembler read.</summary>
public static class Instructions
{
    private static readonly string?[] Names = new string?[256];
    private static readonly sbyte[] OperandSizes = new sbyte[256];

    static Instructions()
    {
        Array.Fill(OperandSizes, (sbyte)-1);
        foreach (var opcode in Enum.GetValues<Opcode>())
        {
            Names[(byte)opcode] = opcode switch
            {
                Opcode.ILoad => "iload",
                Opcode.IStore => "istore",
                Opcode.ALoad => "aload",
                Opcode.AStore => "astore",
                Opcode.NewArray => "newarray",
                Opcode.IALoad => "iaload",
                Opcode.IAStore => "iastore",
                Opcode.ArrayLength => "arraylength",
                Opcode.PutChar => "putchar",
                _ => opcode.ToString().ToLowerInvariant(),
            };
            OperandSizes[(byte)opcode] = opcode switch
            {
                Opcode.Push => 4,
                Opcode.ILoad or Opcode.IStore or Opcode.ALoad or Opcode.AStore or Opcode.Call => 1,
                Opcode.Jmp or Opcode.Jz or Opcode.Jnz => 2,
                _ => 0,
            };
        }
    }

    /// <summary>Whether <paramref name="value"/> is an instruction.</summary>
    public static bool IsDefined(byte value) => OperandSizes[value] >= 0;

    /// <summary>The size of the operand that follows the opcode byte (0, 1, 2 or 4).</summary>
    public static int OperandSize(Opcode opcode) => OperandSizes[(byte)opcode];

    /// <summary>The size of the whole instruction.</summary>
    public static int Size(Opcode opcode) => 1 + OperandSizes[(byte)opcode];

    /// <summary>The instruction's name in listings and errors (<c>iadd</c> style).</summary>
    public static string Name(Opcode opcode) => Names[(byte)opcode] ?? $"0x{(byte)opcode:x2}";

    /// <summary>Whether the instruction is a jump (operand: a code offset).</summary>
    public static bool IsJump(Opcode opcode) => opcode is Opcode.Jmp or Opcode.Jz or Opcode.Jnz;
}
