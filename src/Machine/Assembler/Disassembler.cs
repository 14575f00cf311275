using VirtualizationWorkbench.Machine.Cpu;

namespace VirtualizationWorkbench.Machine.Assembler;

/// <summary>One decoded instruction.</summary>
/// <param name="Address">Where it is.</param>
/// <param name="Length">4 or 8 bytes (0 for an undefined opcode, shown as data).</param>
/// <param name="Text">Assembler syntax, e.g. <c>ld r1, [r2 + 8]</c>.</param>
public readonly record struct DecodedInstruction(uint Address, int Length, string Text);

/// <summary>Turns instruction words back into assembler syntax, with labels when a symbol table is given.</summary>
public static class Disassembler
{
    /// <summary>Decodes the instruction whose first word is <paramref name="word"/> at <paramref name="address"/>;
    /// <paramref name="nextWord"/> is the following word (used by 8-byte instructions).</summary>
    public static DecodedInstruction Decode(uint address, uint word, uint nextWord, ProgramImage? symbols = null)
    {
        var fields = new InstructionWord(word);
        var info = InstructionSet.Get((byte)fields.Opcode);
        if (info is null) return new DecodedInstruction(address, 0, $".word 0x{word:x8}");
        var rd = fields.Rd;
        var rs = fields.Rs;
        var imm = fields.Imm16;
        var simm = (int)fields.SignedImm16;
        var m = info.Mnemonic;
        var text = info.Form switch
        {
            OperandForm.None => m,
            OperandForm.Source => $"{m} {R(rs)}",
            OperandForm.Destination => $"{m} {R(rd)}",
            OperandForm.TwoRegisters => $"{m} {R(rd)}, {R(rs)}",
            OperandForm.ThreeRegisters => $"{m} {R(rd)}, {R(rs)}, {R(fields.Rt)}",
            OperandForm.RegistersImmediate => info.Opcode is Opcode.Addi or Opcode.Muli ? $"{m} {R(rd)}, {R(rs)}, {simm}" : $"{m} {R(rd)}, {R(rs)}, 0x{imm:x}",
            OperandForm.RegisterImmediate => $"{m} {R(rd)}, {simm}",
            OperandForm.RegisterImmediate32 => $"{m} {R(rd)}, {Value(nextWord, symbols)}",
            OperandForm.Load => $"{m} {R(rd)}, {Memory(rs, simm)}",
            OperandForm.Store => $"{m} {Memory(rs, simm)}, {R(rd)}",
            OperandForm.Branch => $"{m} {Value(address + 4 + fields.BranchOffset, symbols)}",
            OperandForm.Vector => $"{m} 0x{fields.Vector:x2}",
            OperandForm.PortIn => $"{m} {R(rd)}, 0x{imm:x}",
            OperandForm.PortOut => $"{m} 0x{imm:x}, {R(rs)}",
            OperandForm.ToControlRegister => $"mov {Cr(rd)}, {R(rs)}",
            OperandForm.FromControlRegister => $"mov {R(rd)}, {Cr(rs)}",
            _ => m,
        };
        return new DecodedInstruction(address, info.Length, text);
    }

    /// <summary>Disassembles a whole program, segment by segment: one line per instruction with address,
    /// words and text, and a label line wherever a symbol points.</summary>
    public static string Disassemble(ProgramImage program)
    {
        var text = new System.Text.StringBuilder();
        foreach (var segment in program.Segments)
        {
            var bytes = segment.Bytes;
            var offset = 0;
            while (offset < bytes.Length)
            {
                var address = segment.Address + (uint)offset;
                if (program.LabelAt(address) is { } label) text.Append(label).AppendLine(":");
                if (bytes.Length - offset < 4)
                {
                    text.AppendLine($"  {address:x8}  {Convert.ToHexStringLower(bytes.AsSpan(offset)),-17}  .byte {string.Join(", ", bytes.Skip(offset).Select(b => $"0x{b:x2}"))}");
                    break;
                }
                var word = BitConverter.ToUInt32(bytes, offset);
                var next = bytes.Length - offset >= 8 ? BitConverter.ToUInt32(bytes, offset + 4) : 0;
                var decoded = Decode(address, word, next, program);
                var length = decoded.Length == 8 && bytes.Length - offset < 8 ? 0 : decoded.Length;
                var words = length == 8 ? $"{word:x8} {next:x8}" : $"{word:x8}";
                text.AppendLine($"  {address:x8}  {words,-17}  {(length == 0 ? $".word 0x{word:x8}" : decoded.Text)}");
                offset += length == 0 ? 4 : length;
            }
        }
        return text.ToString();
    }

    private static string R(int n) => n switch { 15 => "sp", _ => $"r{n}" };

    private static string Cr(int n) => n == 4 ? "ksp" : $"cr{n}";

    private static string Memory(int rs, int disp) => disp switch
    {
        0 => $"[{R(rs)}]",
        > 0 => $"[{R(rs)} + {disp}]",
        _ => $"[{R(rs)} - {-disp}]",
    };

    private static string Value(uint value, ProgramImage? symbols) =>
        symbols?.LabelAt(value) is { } label ? $"{label}" : $"0x{value:x8}";
}
