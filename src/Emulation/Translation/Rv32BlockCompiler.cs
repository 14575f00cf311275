using System.Reflection;
using System.Reflection.Emit;
using VirtualizationWorkbench.Emulation.Cpu;
using VirtualizationWorkbench.Emulation.Decoding;

namespace VirtualizationWorkbench.Emulation.Translation;

/// <summary>
/// Turns the decoded instructions of one basic block into a <see cref="DynamicMethod"/> (host code, by way of
/// the .NET JIT): the TCG step of QEMU. Guest registers the block uses live in IL locals (so the JIT keeps them
/// in host registers) and are written back wherever the block leaves. Memory accesses take RAM directly; an
/// access that is not plain RAM (a device, <c>tohost</c>, a page holding translated code) leaves the block just
/// before that instruction, for the hart to run it, so the slow paths and traps exist once, in the interpreter.
/// </summary>
internal sealed class Rv32BlockCompiler
{
    private static readonly FieldInfo Registers = typeof(Rv32State).GetField(nameof(Rv32State.X))!;
    private static readonly FieldInfo Register0 = typeof(Rv32Registers).GetField("element0", BindingFlags.NonPublic | BindingFlags.Instance)!;
    private static readonly FieldInfo Pc = typeof(Rv32State).GetField(nameof(Rv32State.Pc))!;
    private static readonly FieldInfo Instructions = typeof(Rv32State).GetField(nameof(Rv32State.Instructions))!;
    private static readonly FieldInfo Cycles = typeof(Rv32State).GetField(nameof(Rv32State.Cycles))!;
    private static readonly MethodInfo MultiplyDivide = typeof(Rv32Interpreter).GetMethod(nameof(Rv32Interpreter.MultiplyDivide))!;

    private readonly ILGenerator il;
    private readonly DynamicMethod method;
    private readonly LocalBuilder?[] locals = new LocalBuilder?[32];
    private readonly bool[] dirty = new bool[32];
    private readonly LocalBuilder address;
    private readonly LocalBuilder offset;
    private readonly LocalBuilder target;
    private readonly LocalBuilder retiredCount;
    private readonly LocalBuilder cycleCount;
    private readonly Rv32Memory memory;
    private uint blockStart;
    private int blockLength;
    private Label top;

    private Rv32BlockCompiler(uint start, Rv32Memory memory)
    {
        this.memory = memory;
        method = new DynamicMethod($"rv32_0x{start:x8}", typeof(BlockResult),
            [typeof(Rv32State).MakeByRefType(), typeof(byte).MakeByRefType(), typeof(byte[]), typeof(ulong)], typeof(Rv32BlockCompiler).Module, skipVisibility: true);
        il = method.GetILGenerator();
        address = il.DeclareLocal(typeof(uint));
        offset = il.DeclareLocal(typeof(uint));
        target = il.DeclareLocal(typeof(uint));
        retiredCount = il.DeclareLocal(typeof(ulong));
        cycleCount = il.DeclareLocal(typeof(ulong));
    }

    /// <summary>Compiles the block [<paramref name="start"/>, <paramref name="end"/>) whose instructions are
    /// <paramref name="code"/>; the last may be a jump or branch.</summary>
    public static BlockCode Compile(uint start, uint end, IReadOnlyList<Rv32Instruction> code, Rv32Memory memory)
    {
        var compiler = new Rv32BlockCompiler(start, memory);
        compiler.Emit(start, end, code);
        return compiler.method.CreateDelegate<BlockCode>();
    }

    /// <summary>Extra cycles an instruction costs beyond <see cref="Rv32Costs.Base"/>, not counting a jump.</summary>
    public static uint ExtraCycles(Rv32Op op) => op switch
    {
        >= Rv32Op.Lb and <= Rv32Op.Sw => Rv32Costs.Memory,
        >= Rv32Op.Mul and <= Rv32Op.Mulhu => Rv32Costs.Multiply,
        >= Rv32Op.Div and <= Rv32Op.Remu => Rv32Costs.Divide,
        _ => 0,
    };

    private void Emit(uint start, uint end, IReadOnlyList<Rv32Instruction> code)
    {
        blockStart = start;
        blockLength = code.Count;
        // Prologue: the registers the block touches, into locals. Every register the block writes is written
        // back at every exit, even one taken before the write: when the block loops on itself in place, an
        // early exit of a later iteration must still store what the earlier iterations computed.
        foreach (var instruction in code)
        {
            foreach (var r in new[] { instruction.Rd, instruction.Rs1, instruction.Rs2 })
            {
                if (r == 0 || locals[r] is not null) continue;
                locals[r] = il.DeclareLocal(typeof(uint));
                RegisterAddress(r);
                il.Emit(OpCodes.Ldind_U4);
                il.Emit(OpCodes.Stloc, locals[r]!);
            }
            if (instruction.Rd != 0) dirty[instruction.Rd] = true;
        }
        // The counters too, so that a block looping on itself counts in host registers and stores them once, at
        // its exit (every exit goes through Exit, and nothing the block calls reads them).
        il.Emit(OpCodes.Ldarg_0); il.Emit(OpCodes.Ldfld, Instructions); il.Emit(OpCodes.Stloc, retiredCount);
        il.Emit(OpCodes.Ldarg_0); il.Emit(OpCodes.Ldfld, Cycles); il.Emit(OpCodes.Stloc, cycleCount);
        top = il.DefineLabel();
        il.MarkLabel(top);

        ulong cycles = 0;
        var pc = start;
        for (var i = 0; i < code.Count; i++, pc += 4)
        {
            var instruction = code[i];
            var retiredBefore = (ulong)i;
            var cyclesBefore = cycles + retiredBefore * Rv32Costs.Base;
            var retired = retiredBefore + 1;
            cycles += ExtraCycles(instruction.Op);
            var cyclesAfter = cycles + retired * Rv32Costs.Base;
            if (!EmitInstruction(instruction, pc, retiredBefore, cyclesBefore, retired, cyclesAfter))
            {
                return;   // a jump or branch: it emitted the block's exits
            }
        }
        Exit(end, (ulong)code.Count, cycles + (ulong)code.Count * Rv32Costs.Base, BlockResult.Completed);
    }

    // Emits one instruction. Returns false when it ended the block (jumps and branches leave by themselves).
    private bool EmitInstruction(Rv32Instruction ins, uint pc, ulong retiredBefore, ulong cyclesBefore, ulong retired, ulong cyclesAfter)
    {
        int rd = ins.Rd, rs1 = ins.Rs1, rs2 = ins.Rs2, imm = ins.Immediate;
        switch (ins.Op)
        {
            case Rv32Op.Lui: Constant((uint)imm); Store(rd); return true;
            case Rv32Op.Auipc: Constant(pc + (uint)imm); Store(rd); return true;
            case Rv32Op.Jal:
                Constant(pc + 4); Store(rd);
                Jump(pc + (uint)imm, retired, cyclesAfter + Rv32Costs.Jump);
                return false;
            case Rv32Op.Jalr:
                Load(rs1); Constant((uint)imm); il.Emit(OpCodes.Add); Constant(~1u); il.Emit(OpCodes.And); il.Emit(OpCodes.Stloc, target);
                Constant(pc + 4); Store(rd);
                Exit(null, retired, cyclesAfter + Rv32Costs.Jump, BlockResult.Completed);
                return false;
            case >= Rv32Op.Beq and <= Rv32Op.Bgeu:
                {
                    var taken = il.DefineLabel();
                    Load(rs1); Load(rs2);
                    il.Emit(ins.Op switch
                    {
                        Rv32Op.Beq => OpCodes.Beq,
                        Rv32Op.Bne => OpCodes.Bne_Un,
                        Rv32Op.Blt => OpCodes.Blt,
                        Rv32Op.Bge => OpCodes.Bge,
                        Rv32Op.Bltu => OpCodes.Blt_Un,
                        _ => OpCodes.Bge_Un,
                    }, taken);
                    Exit(pc + 4, retired, cyclesAfter, BlockResult.Completed);
                    il.MarkLabel(taken);
                    Jump(pc + (uint)imm, retired, cyclesAfter + Rv32Costs.Jump);
                    return false;
                }
            case >= Rv32Op.Lb and <= Rv32Op.Lhu:
                {
                    var size = ins.Op switch { Rv32Op.Lb or Rv32Op.Lbu => 1u, Rv32Op.Lh or Rv32Op.Lhu => 2u, _ => 4u };
                    var slow = il.DefineLabel();
                    var done = il.DefineLabel();
                    EffectiveAddress(rs1, imm, size, slow);
                    il.Emit(OpCodes.Ldarg_1); il.Emit(OpCodes.Ldloc, offset); il.Emit(OpCodes.Conv_U); il.Emit(OpCodes.Add);
                    if (size > 1) il.Emit(OpCodes.Unaligned, (byte)1);
                    il.Emit(ins.Op switch
                    {
                        Rv32Op.Lb => OpCodes.Ldind_I1,
                        Rv32Op.Lbu => OpCodes.Ldind_U1,
                        Rv32Op.Lh => OpCodes.Ldind_I2,
                        Rv32Op.Lhu => OpCodes.Ldind_U2,
                        _ => OpCodes.Ldind_U4,
                    });
                    Store(rd);
                    il.Emit(OpCodes.Br, done);
                    il.MarkLabel(slow);
                    Exit(pc, retiredBefore, cyclesBefore, BlockResult.NeedsHart);
                    il.MarkLabel(done);
                    return true;
                }
            case >= Rv32Op.Sb and <= Rv32Op.Sw:
                {
                    var size = ins.Op switch { Rv32Op.Sb => 1u, Rv32Op.Sh => 2u, _ => 4u };
                    var slow = il.DefineLabel();
                    var done = il.DefineLabel();
                    EffectiveAddress(rs1, imm, size, slow);
                    if (memory.ToHost != 0)
                    {
                        il.Emit(OpCodes.Ldloc, address); Constant(memory.ToHost); il.Emit(OpCodes.Beq, slow);
                    }
                    // A store into a page with translated code goes to the hart, which invalidates that code.
                    CodePageCheck(0, slow);
                    if (size > 1) CodePageCheck(size - 1, slow);
                    il.Emit(OpCodes.Ldarg_1); il.Emit(OpCodes.Ldloc, offset); il.Emit(OpCodes.Conv_U); il.Emit(OpCodes.Add);
                    Load(rs2);
                    if (size > 1) il.Emit(OpCodes.Unaligned, (byte)1);
                    il.Emit(size == 1 ? OpCodes.Stind_I1 : size == 2 ? OpCodes.Stind_I2 : OpCodes.Stind_I4);
                    il.Emit(OpCodes.Br, done);
                    il.MarkLabel(slow);
                    Exit(pc, retiredBefore, cyclesBefore, BlockResult.NeedsHart);
                    il.MarkLabel(done);
                    return true;
                }
            case Rv32Op.Addi: Load(rs1); Constant((uint)imm); il.Emit(OpCodes.Add); break;
            case Rv32Op.Slti: Load(rs1); Constant((uint)imm); il.Emit(OpCodes.Clt); break;
            case Rv32Op.Sltiu: Load(rs1); Constant((uint)imm); il.Emit(OpCodes.Clt_Un); break;
            case Rv32Op.Xori: Load(rs1); Constant((uint)imm); il.Emit(OpCodes.Xor); break;
            case Rv32Op.Ori: Load(rs1); Constant((uint)imm); il.Emit(OpCodes.Or); break;
            case Rv32Op.Andi: Load(rs1); Constant((uint)imm); il.Emit(OpCodes.And); break;
            case Rv32Op.Slli: Load(rs1); Constant((uint)imm & 31); il.Emit(OpCodes.Shl); break;
            case Rv32Op.Srli: Load(rs1); Constant((uint)imm & 31); il.Emit(OpCodes.Shr_Un); break;
            case Rv32Op.Srai: Load(rs1); Constant((uint)imm & 31); il.Emit(OpCodes.Shr); break;
            case Rv32Op.Add: Load(rs1); Load(rs2); il.Emit(OpCodes.Add); break;
            case Rv32Op.Sub: Load(rs1); Load(rs2); il.Emit(OpCodes.Sub); break;
            case Rv32Op.Slt: Load(rs1); Load(rs2); il.Emit(OpCodes.Clt); break;
            case Rv32Op.Sltu: Load(rs1); Load(rs2); il.Emit(OpCodes.Clt_Un); break;
            case Rv32Op.Xor: Load(rs1); Load(rs2); il.Emit(OpCodes.Xor); break;
            case Rv32Op.Or: Load(rs1); Load(rs2); il.Emit(OpCodes.Or); break;
            case Rv32Op.And: Load(rs1); Load(rs2); il.Emit(OpCodes.And); break;
            case Rv32Op.Sll: Load(rs1); ShiftAmount(rs2); il.Emit(OpCodes.Shl); break;
            case Rv32Op.Srl: Load(rs1); ShiftAmount(rs2); il.Emit(OpCodes.Shr_Un); break;
            case Rv32Op.Sra: Load(rs1); ShiftAmount(rs2); il.Emit(OpCodes.Shr); break;
            case Rv32Op.Mul: Load(rs1); Load(rs2); il.Emit(OpCodes.Mul); break;
            case Rv32Op.Mulh:
                Load(rs1); il.Emit(OpCodes.Conv_I8); Load(rs2); il.Emit(OpCodes.Conv_I8); il.Emit(OpCodes.Mul);
                il.Emit(OpCodes.Ldc_I4, 32); il.Emit(OpCodes.Shr); il.Emit(OpCodes.Conv_U4);
                break;
            case Rv32Op.Mulhsu:
                Load(rs1); il.Emit(OpCodes.Conv_I8); Load(rs2); il.Emit(OpCodes.Conv_U8); il.Emit(OpCodes.Mul);
                il.Emit(OpCodes.Ldc_I4, 32); il.Emit(OpCodes.Shr); il.Emit(OpCodes.Conv_U4);
                break;
            case Rv32Op.Mulhu:
                Load(rs1); il.Emit(OpCodes.Conv_U8); Load(rs2); il.Emit(OpCodes.Conv_U8); il.Emit(OpCodes.Mul);
                il.Emit(OpCodes.Ldc_I4, 32); il.Emit(OpCodes.Shr_Un); il.Emit(OpCodes.Conv_U4);
                break;
            case >= Rv32Op.Div and <= Rv32Op.Remu:
                Constant((uint)(ins.Op - Rv32Op.Div + 4)); Load(rs1); Load(rs2); il.Emit(OpCodes.Call, MultiplyDivide);
                break;
            default:
                throw new InvalidOperationException($"{ins.Op} at 0x{pc:x8} cannot be translated; the translator ends blocks before it");
        }
        Store(rd);
        return true;
    }

    // A jump to a constant target. Back to the block's own start (a loop of one block), the iteration's counters
    // go to the state, and while the budget holds another whole block the code runs again in place, registers
    // still in locals, instead of returning to the dispatcher. The dispatcher would run it again under the same
    // condition, so the counters, and the instruction at which a slice ends, are the same.
    private void Jump(uint targetPc, ulong retired, ulong cycles)
    {
        if (targetPc != blockStart)
        {
            Exit(targetPc, retired, cycles, BlockResult.Completed);
            return;
        }
        AddCounter(retiredCount, retired);
        AddCounter(cycleCount, cycles);
        il.Emit(OpCodes.Ldloc, retiredCount);
        il.Emit(OpCodes.Ldarg_3);
        il.Emit(OpCodes.Ldc_I8, (long)blockLength);
        il.Emit(OpCodes.Sub);
        il.Emit(OpCodes.Ble_Un, top);
        Exit(blockStart, 0, 0, BlockResult.Completed);
    }

    // address = rs1 + imm; offset = address - RAM base; leaves for `slow` when [address, +size) is not RAM.
    private void EffectiveAddress(int rs1, int imm, uint size, Label slow)
    {
        Load(rs1); Constant((uint)imm); il.Emit(OpCodes.Add); il.Emit(OpCodes.Stloc, address);
        il.Emit(OpCodes.Ldloc, address); Constant(memory.RamBase); il.Emit(OpCodes.Sub); il.Emit(OpCodes.Stloc, offset);
        il.Emit(OpCodes.Ldloc, offset); Constant(memory.RamSize - size); il.Emit(OpCodes.Bgt_Un, slow);
    }

    private void CodePageCheck(uint delta, Label slow)
    {
        il.Emit(OpCodes.Ldarg_2);
        il.Emit(OpCodes.Ldloc, offset);
        if (delta != 0) { Constant(delta); il.Emit(OpCodes.Add); }
        il.Emit(OpCodes.Ldc_I4, 12); il.Emit(OpCodes.Shr_Un);
        il.Emit(OpCodes.Ldelem_U1);
        il.Emit(OpCodes.Brtrue, slow);
    }

    private void ShiftAmount(int rs2)
    {
        Load(rs2); Constant(31); il.Emit(OpCodes.And);
    }

    private void Constant(uint value) => il.Emit(OpCodes.Ldc_I4, unchecked((int)value));

    private void Load(int r)
    {
        if (r == 0) il.Emit(OpCodes.Ldc_I4_0);
        else il.Emit(OpCodes.Ldloc, locals[r]!);
    }

    private void Store(int r)
    {
        if (r == 0)
        {
            il.Emit(OpCodes.Pop);
            return;
        }
        il.Emit(OpCodes.Stloc, locals[r]!);
        dirty[r] = true;
    }

    private void RegisterAddress(int r)
    {
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Ldflda, Registers);
        il.Emit(OpCodes.Ldflda, Register0);
        if (r != 0) { il.Emit(OpCodes.Ldc_I4, r * 4); il.Emit(OpCodes.Add); }
    }

    // Leaves the block: registers written so far back to the state, the pc (a constant, or the computed jump
    // target when null), the counters, and the result.
    private void Exit(uint? nextPc, ulong retired, ulong cycles, BlockResult result)
    {
        for (var r = 1; r < 32; r++)
        {
            if (!dirty[r]) continue;
            RegisterAddress(r);
            il.Emit(OpCodes.Ldloc, locals[r]!);
            il.Emit(OpCodes.Stind_I4);
        }
        il.Emit(OpCodes.Ldarg_0);
        if (nextPc is { } pc) Constant(pc);
        else il.Emit(OpCodes.Ldloc, target);
        il.Emit(OpCodes.Stfld, Pc);
        StoreCounter(Instructions, retiredCount, retired);
        StoreCounter(Cycles, cycleCount, cycles);
        il.Emit(OpCodes.Ldc_I4, (int)result);
        il.Emit(OpCodes.Ret);
    }

    private void AddCounter(LocalBuilder counter, ulong amount)
    {
        if (amount == 0) return;
        il.Emit(OpCodes.Ldloc, counter);
        il.Emit(OpCodes.Ldc_I8, (long)amount);
        il.Emit(OpCodes.Add);
        il.Emit(OpCodes.Stloc, counter);
    }

    // The state's counter := the block's count so far plus what this exit retires.
    private void StoreCounter(FieldInfo field, LocalBuilder counter, ulong amount)
    {
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Ldloc, counter);
        if (amount != 0)
        {
            il.Emit(OpCodes.Ldc_I8, (long)amount);
            il.Emit(OpCodes.Add);
        }
        il.Emit(OpCodes.Stfld, field);
    }
}
