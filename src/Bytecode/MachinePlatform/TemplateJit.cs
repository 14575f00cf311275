using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using VirtualizationWorkbench.Bytecode.Format;
using VirtualizationWorkbench.Bytecode.Running;
using VirtualizationWorkbench.Bytecode.Verification;

namespace VirtualizationWorkbench.Bytecode.MachinePlatform;

/// <summary>
/// The machine platform's JIT compiler: turns bytecode functions into VW32 assembly, one template per
/// instruction, which the machine's own assembler assembles into the guest's code cache. Two things make the code
/// faster than the interpreter: no fetch, decode and dispatch per instruction, and the operand stack's first
/// <see cref="RegisterSlots"/> slots live in registers r7-r11 (the verifier proves the stack depth at every
/// instruction, so each slot has one fixed home: registers or the frame in memory, the same on every path).
/// Locals stay in memory, nothing is optimised across instructions: a baseline compiler, as HotSpot's C1 in its
/// simplest tier, not C2.
/// </summary>
/// <remarks>
/// Calling convention of compiled code (shared with <c>bytecode-vm.s</c>): called with <c>call</c>, the
/// arguments on the memory operand stack below r2; it builds the same frame as the interpreter (locals, a 4-word
/// record, the operand stack), returns its result in r7 with r2 at its frame's start and the caller's r3 back.
/// r0 = 0, r5, r12, r13 and r14 keep their interpreter meaning; r1, r2, r4 and r6 are scratch. Steps are counted
/// once per basic block, when it starts.
/// </remarks>
internal sealed class TemplateJit(BytecodeModule module, IReadOnlyDictionary<string, uint> vmSymbols)
{
    /// <summary>How many operand-stack slots live in registers.</summary>
    public const int RegisterSlots = 5;

    private static readonly string[] SlotRegisters = ["r7", "r8", "r9", "r10", "r11"];

    private readonly Dictionary<int, uint> compiled = [];
    private int labels;
    private List<int> chunk = [];

    /// <summary>The functions compiled so far and their code addresses.</summary>
    public IReadOnlyDictionary<int, uint> Compiled => compiled;

    /// <summary>Bytecode instructions translated so far (the host charges translation work per instruction).</summary>
    public int TranslatedInstructions { get; private set; }

    /// <summary>Assembly text for <paramref name="function"/> and every function it reaches that is not compiled
    /// yet, placed at <paramref name="address"/>; returns the text and the functions it holds.</summary>
    public (string Source, IReadOnlyList<int> Functions) Translate(int function, uint address)
    {
        var todo = new List<int>();
        var queue = new Queue<int>([function]);
        while (queue.Count > 0)
        {
            var f = queue.Dequeue();
            if (compiled.ContainsKey(f) || todo.Contains(f)) continue;
            todo.Add(f);
            var code = module.Functions[f].Code;
            for (var pc = 0; pc < code.Length; pc += Instructions.Size((Opcode)code[pc]))
            {
                if ((Opcode)code[pc] == Opcode.Call) queue.Enqueue(code[pc + 1]);
            }
        }
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $".org 0x{address:x8}");
        foreach (var (f, at) in compiled) text.AppendLine(CultureInfo.InvariantCulture, $".equ jf{f}, 0x{at:x8}");
        foreach (var name in new[] { "jit_print", "jit_fail" }) text.AppendLine(CultureInfo.InvariantCulture, $".equ {name}, 0x{vmSymbols[name]:x8}");
        chunk = todo;
        foreach (var f in todo) Function(f, text);
        return (text.ToString(), todo);
    }

    /// <summary>Records where the assembler put a function.</summary>
    public void Placed(int function, uint address) => compiled[function] = address;

    private void Function(int index, StringBuilder text)
    {
        var f = module.Functions[index];
        var code = f.Code;
        var depths = Verifier.StackDepths(module, f);
        var stubs = new StringBuilder();
        var frame = 4 * f.Locals + 16;   // the operand stack's memory slots start here, from r3

        // Basic blocks: they start at 0, at jump targets and after jumps and returns.
        var leaders = new bool[code.Length + 1];
        leaders[0] = true;
        for (var pc = 0; pc < code.Length; pc += Instructions.Size((Opcode)code[pc]))
        {
            var op = (Opcode)code[pc];
            if (Instructions.IsJump(op)) leaders[BinaryPrimitives.ReadUInt16LittleEndian(code.AsSpan(pc + 1))] = true;
            if (Instructions.IsJump(op) || op == Opcode.Ret) leaders[pc + Instructions.Size(op)] = true;
        }

        Line($"jf{index}:");
        Line($"    subi r1, r2, {4 * f.Parameters}");
        for (var local = f.Parameters; local < f.Locals; local++) Line($"    st [r1 + {4 * local}], r0");
        Line($"    st [r1 + {4 * f.Locals + 4}], r3");
        Line("    mov r3, r1");
        Line("    inc r14");

        for (var pc = 0; pc < code.Length;)
        {
            var op = (Opcode)code[pc];
            var size = Instructions.Size(op);
            var d = depths[pc];
            if (leaders[pc])
            {
                Line($"j{index}_{pc}:");
                var count = 0;
                for (var at = pc; at < code.Length && (at == pc || !leaders[at]); at += Instructions.Size((Opcode)code[at]))
                {
                    if (depths[at] >= 0) count++;
                }
                if (d >= 0 && count > 0)
                {
                    Line($"    subi r13, r13, {count}");
                    Line($"    js {Stub(RuntimeErrorKind.StepLimit, pc, "")}");
                }
            }
            if (d < 0)
            {
                pc += size;
                continue;   // unreachable: no code
            }
            TranslatedInstructions++;
            Instruction(op, pc, d);
            pc += size;
        }
        text.Append(stubs);

        void Instruction(Opcode op, int pc, int d)
        {
            switch (op)
            {
                case Opcode.Push:
                    {
                        var t = Dst(d, "r1");
                        Line($"    li {t}, {BinaryPrimitives.ReadInt32LittleEndian(code.AsSpan(pc + 1))}");
                        Commit(d, t);
                        break;
                    }
                case Opcode.Pop:
                    break;
                case Opcode.Dup:
                    {
                        var s = Src(d - 1, "r1");
                        var t = Dst(d, "r4");
                        Line($"    mov {t}, {s}");
                        Commit(d, t);
                        break;
                    }
                case Opcode.ILoad:
                case Opcode.ALoad:
                    {
                        var t = Dst(d, "r1");
                        Line($"    ld {t}, [r3 + {4 * code[pc + 1]}]");
                        Commit(d, t);
                        break;
                    }
                case Opcode.IStore:
                case Opcode.AStore:
                    Line($"    st [r3 + {4 * code[pc + 1]}], {Src(d - 1, "r1")}");
                    break;
                case Opcode.Add or Opcode.Sub or Opcode.Mul:
                    {
                        var a = Src(d - 2, "r1");
                        var b = Src(d - 1, "r4");
                        var t = Dst(d - 2, "r1");
                        Line($"    {(op == Opcode.Add ? "add" : op == Opcode.Sub ? "sub" : "mul")} {t}, {a}, {b}");
                        Commit(d - 2, t);
                        break;
                    }
                case Opcode.Div or Opcode.Rem:
                    {
                        var b = Src(d - 1, "r4");
                        Line($"    cmpi {b}, 0");
                        Line($"    je {Stub(RuntimeErrorKind.DivisionByZero, pc, "")}");
                        var a = Src(d - 2, "r1");
                        var t = Dst(d - 2, "r1");
                        var general = Label();
                        var done = Label();
                        Line($"    cmpi {b}, -1");
                        Line($"    jne {general}");
                        Line(op == Opcode.Div ? $"    neg {t}, {a}" : $"    li {t}, 0");
                        Line($"    jmp {done}");
                        Line($"{general}:");
                        Line($"    {(op == Opcode.Div ? "div" : "rem")} {t}, {a}, {b}");
                        Line($"{done}:");
                        Commit(d - 2, t);
                        break;
                    }
                case Opcode.Neg:
                    {
                        var a = Src(d - 1, "r1");
                        var t = Dst(d - 1, "r1");
                        Line($"    neg {t}, {a}");
                        Commit(d - 1, t);
                        break;
                    }
                case Opcode.Eq or Opcode.Ne or Opcode.Lt or Opcode.Le or Opcode.Gt or Opcode.Ge:
                    {
                        var a = Src(d - 2, "r1");
                        var b = Src(d - 1, "r4");
                        var t = Dst(d - 2, "r1");
                        var yes = Label();
                        Line($"    cmp {a}, {b}");
                        Line($"    li {t}, 1");   // li leaves the flags alone
                        Line($"    {op switch { Opcode.Eq => "je", Opcode.Ne => "jne", Opcode.Lt => "jl", Opcode.Le => "jle", Opcode.Gt => "jg", _ => "jge" }} {yes}");
                        Line($"    li {t}, 0");
                        Line($"{yes}:");
                        Commit(d - 2, t);
                        break;
                    }
                case Opcode.Jmp:
                    Line($"    jmp j{index}_{Target(pc)}");
                    break;
                case Opcode.Jz or Opcode.Jnz:
                    Line($"    cmpi {Src(d - 1, "r1")}, 0");
                    Line($"    {(op == Opcode.Jz ? "je" : "jne")} j{index}_{Target(pc)}");
                    break;
                case Opcode.Call:
                    {
                        var callee = code[pc + 1];
                        var parameters = module.Functions[callee].Parameters;
                        Line($"    li r1, {VmLimits.CallDepth}");
                        Line("    cmp r14, r1");
                        Line($"    jge {Stub(RuntimeErrorKind.StackOverflow, pc, "")}");
                        for (var i = 0; i < Math.Min(d, RegisterSlots); i++) Line($"    st [r3 + {frame + 4 * i}], {SlotRegisters[i]}");
                        Line($"    addi r2, r3, {frame + 4 * d}");
                        if (chunk.Contains(callee))
                        {
                            Line($"    call jf{callee}");
                        }
                        else
                        {
                            // Compiled earlier, maybe beyond a branch's ±128 KiB.
                            Line($"    li r1, jf{callee}");
                            Line("    callr r1");
                        }
                        Line("    mov r6, r7");
                        var kept = d - parameters;
                        for (var i = 0; i < Math.Min(kept, RegisterSlots); i++) Line($"    ld {SlotRegisters[i]}, [r3 + {frame + 4 * i}]");
                        var t = Dst(kept, "r6");
                        if (t != "r6") Line($"    mov {t}, r6");
                        Commit(kept, t);
                        break;
                    }
                case Opcode.Ret:
                    {
                        var s = Src(d - 1, "r1");
                        if (s != "r7") Line($"    mov r7, {s}");
                        Line("    mov r2, r3");
                        Line($"    ld r3, [r3 + {4 * f.Locals + 4}]");
                        Line("    dec r14");
                        Line("    ret");
                        break;
                    }
                case Opcode.NewArray:
                    {
                        var s = Src(d - 1, "r1");
                        Line($"    cmpi {s}, 0");
                        Line($"    jl {Stub(RuntimeErrorKind.NegativeArraySize, pc, $"    mov r9, {s}\n")}");
                        Line($"    li r4, {0x00A0_0000}");
                        Line("    sub r4, r4, r12");
                        Line("    shri r4, r4, 2");
                        Line($"    addi r6, {s}, 1");
                        Line("    cmp r4, r6");
                        Line($"    jb {Stub(RuntimeErrorKind.OutOfMemory, pc, $"    mov r9, {s}\n")}");
                        Line($"    st [r12], {s}");
                        Line("    shli r6, r6, 2");
                        var t = Dst(d - 1, "r1");
                        Line($"    mov {t}, r12");
                        Line("    add r12, r12, r6");
                        Commit(d - 1, t);
                        break;
                    }
                case Opcode.IALoad:
                    {
                        var arr = Src(d - 2, "r1");
                        var idx = Src(d - 1, "r4");
                        Line($"    ld r6, [{arr}]");
                        Line($"    cmp {idx}, r6");
                        Line($"    jae {Stub(RuntimeErrorKind.IndexOutOfBounds, pc, $"    mov r1, {idx}\n    mov r10, r6\n    mov r9, r1\n")}");
                        Line($"    shli r6, {idx}, 2");
                        Line($"    add r6, r6, {arr}");
                        var t = Dst(d - 2, "r1");
                        Line($"    ld {t}, [r6 + 4]");
                        Commit(d - 2, t);
                        break;
                    }
                case Opcode.IAStore:
                    {
                        var arr = Src(d - 3, "r1");
                        var idx = Src(d - 2, "r4");
                        var value = Src(d - 1, "r6");
                        Line($"    ld r2, [{arr}]");
                        Line($"    cmp {idx}, r2");
                        Line($"    jae {Stub(RuntimeErrorKind.IndexOutOfBounds, pc, $"    mov r1, {idx}\n    mov r10, r2\n    mov r9, r1\n")}");
                        Line($"    shli r2, {idx}, 2");
                        Line($"    add r2, r2, {arr}");
                        Line($"    st [r2 + 4], {value}");
                        break;
                    }
                case Opcode.ArrayLength:
                    {
                        var s = Src(d - 1, "r1");
                        var t = Dst(d - 1, "r1");
                        Line($"    ld {t}, [{s}]");
                        Commit(d - 1, t);
                        break;
                    }
                case Opcode.Print:
                    {
                        var s = Src(d - 1, "r6");
                        if (s != "r6") Line($"    mov r6, {s}");
                        Line("    li r1, jit_print");
                        Line("    callr r1");
                        break;
                    }
                case Opcode.PutChar:
                    Line($"    out 0x3F8, {Src(d - 1, "r1")}");
                    break;
                default:
                    throw new InvalidOperationException($"opcode 0x{(byte)op:x2} cannot be compiled");
            }
        }

        int Target(int pc) => BinaryPrimitives.ReadUInt16LittleEndian(code.AsSpan(pc + 1));

        // Slot i's value in a register: its own, or loaded from the frame into scratch.
        string Src(int slot, string scratch)
        {
            if (slot < RegisterSlots) return SlotRegisters[slot];
            Line($"    ld {scratch}, [r3 + {frame + 4 * slot}]");
            return scratch;
        }

        string Dst(int slot, string scratch) => slot < RegisterSlots ? SlotRegisters[slot] : scratch;

        void Commit(int slot, string register)
        {
            if (slot >= RegisterSlots) Line($"    st [r3 + {frame + 4 * slot}], {register}");
        }

        string Stub(RuntimeErrorKind kind, int pc, string moves)
        {
            var label = Label();
            stubs.Append(CultureInfo.InvariantCulture, $"{label}:\n{moves}    li r7, {(int)kind}\n    li r11, {pc}\n    li r4, {index}\n    li r1, jit_fail\n    jmpr r1\n");
            return label;
        }

        void Line(string line) => text.Append(line).Append('\n');
    }

    private string Label() => $"jl{labels++}";
}
