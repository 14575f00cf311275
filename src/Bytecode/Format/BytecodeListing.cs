using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace VirtualizationWorkbench.Bytecode.Format;

/// <summary>A module as text (the course's <c>javap -c</c>): each function's header, then offset, bytes,
/// instruction and operand, with the source line where a statement starts.</summary>
public static class BytecodeListing
{
    /// <summary>The listing of every function.</summary>
    public static string Of(BytecodeModule module)
    {
        var text = new StringBuilder();
        for (var f = 0; f < module.Functions.Count; f++)
        {
            var function = module.Functions[f];
            text.Append(CultureInfo.InvariantCulture, $"function {f} '{function.Name}'{(f == module.Entry ? " (entry)" : "")}: parameters {function.Parameters}");
            if (function.ReferenceParameters != 0) text.Append(CultureInfo.InvariantCulture, $" (arrays: mask 0x{function.ReferenceParameters:x})");
            text.Append(CultureInfo.InvariantCulture, $", locals {function.Locals}, max stack {function.MaxStack}, {function.Code.Length} bytes\n");
            var lines = 0;
            for (var pc = 0; pc < function.Code.Length;)
            {
                while (lines < function.Lines.Count && function.Lines[lines].Offset <= pc)
                {
                    var entry = function.Lines[lines++];
                    if (entry.Offset == pc) text.Append(CultureInfo.InvariantCulture, $"  ; {module.SourceFile}:{entry.Line}:{entry.Column}\n");
                }
                text.Append("  ").Append(Instruction(module, function, pc, out var size)).Append('\n');
                pc += size;
            }
        }
        return text.ToString();
    }

    /// <summary>One instruction: <c>0x0004  10 00        iload 0</c>; <paramref name="size"/> is its length.</summary>
    public static string Instruction(BytecodeModule module, BytecodeFunction function, int pc, out int size)
    {
        var code = function.Code;
        if (!Instructions.IsDefined(code[pc]))
        {
            size = 1;
            return $"0x{pc:x4}  {code[pc]:x2}           (not an instruction)";
        }
        var op = (Opcode)code[pc];
        size = Math.Min(Instructions.Size(op), code.Length - pc);
        var bytes = string.Join(' ', code.Skip(pc).Take(size).Select(b => b.ToString("x2", CultureInfo.InvariantCulture)));
        var operand = size < Instructions.Size(op) ? " (truncated)" : Instructions.OperandSize(op) switch
        {
            4 => " " + BinaryPrimitives.ReadInt32LittleEndian(code.AsSpan(pc + 1)).ToString(CultureInfo.InvariantCulture),
            2 => $" 0x{BinaryPrimitives.ReadUInt16LittleEndian(code.AsSpan(pc + 1)):x4}",
            1 when op == Opcode.Call => $" {code[pc + 1]}" + (code[pc + 1] < module.Functions.Count ? $" ({module.Functions[code[pc + 1]].Name})" : ""),
            1 when code[pc + 1] < function.LocalNames.Count => $" {code[pc + 1]} ({function.LocalNames[code[pc + 1]]})",
            1 => $" {code[pc + 1]}",
            _ => "",
        };
        return $"0x{pc:x4}  {bytes,-14} {Instructions.Name(op)}{operand}";
    }
}
