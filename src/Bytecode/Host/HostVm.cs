using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using VirtualizationWorkbench.Bytecode.Format;
using VirtualizationWorkbench.Bytecode.Running;

namespace VirtualizationWorkbench.Bytecode.Host;

/// <summary>
/// The bytecode VM of the host platform: an interpreter in C#, one switch over the opcode per step, with the
/// operand stacks and locals of all frames in one <c>int[]</c> (array references are handles into the heap list).
/// It runs only verified modules (<see cref="Verification.Verifier"/>): it checks nothing the verifier proved.
/// </summary>
public sealed class HostVm
{
    private readonly BytecodeModule module;

    /// <summary>A VM for <paramref name="module"/>, which must have passed the verifier.</summary>
    public HostVm(BytecodeModule module) => this.module = module;

    /// <summary>Runs the entry function to its end, an error, or <paramref name="maxSteps"/> instructions;
    /// output goes to <paramref name="output"/> as it is printed, and into the result.</summary>
    public VmRun Run(long maxSteps = VmLimits.DefaultMaxSteps, Stream? output = null)
    {
        var printed = new MemoryStream();
        var functions = module.Functions;
        var frames = new Frame[VmLimits.CallDepth];
        var slots = new int[4096];
        var heap = new List<int[]>();
        var heapWords = 0L;
        var steps = 0L;
        var depth = 0;
        var digits = new byte[12];

        var fn = module.Entry;
        var code = functions[fn].Code;
        var locals = 0;
        var sp = functions[fn].Locals;   // the next free slot
        EnsureSlots(sp + functions[fn].MaxStack);
        frames[depth++] = new Frame(fn, 0, locals);
        var pc = 0;
        RuntimeError? error = null;
        var result = 0;

        while (true)
        {
            if (steps == maxSteps)
            {
                error = new RuntimeError(RuntimeErrorKind.StepLimit, fn, pc, maxSteps, 0);
                break;
            }
            steps++;
            var at = pc;
            var op = (Opcode)code[pc++];
            switch (op)
            {
                case Opcode.Push:
                    slots[sp++] = BinaryPrimitives.ReadInt32LittleEndian(code.AsSpan(pc));
                    pc += 4;
                    break;
                case Opcode.Pop:
                    sp--;
                    break;
                case Opcode.Dup:
                    slots[sp] = slots[sp - 1];
                    sp++;
                    break;
                case Opcode.ILoad:
                case Opcode.ALoad:
                    slots[sp++] = slots[locals + code[pc++]];
                    break;
                case Opcode.IStore:
                case Opcode.AStore:
                    slots[locals + code[pc++]] = slots[--sp];
                    break;
                case Opcode.Add: sp--; slots[sp - 1] = unchecked(slots[sp - 1] + slots[sp]); break;
                case Opcode.Sub: sp--; slots[sp - 1] = unchecked(slots[sp - 1] - slots[sp]); break;
                case Opcode.Mul: sp--; slots[sp - 1] = unchecked(slots[sp - 1] * slots[sp]); break;
                case Opcode.Div:
                case Opcode.Rem:
                    {
                        var b = slots[--sp];
                        var a = slots[sp - 1];
                        if (b == 0)
                        {
                            error = new RuntimeError(RuntimeErrorKind.DivisionByZero, fn, at, 0, 0);
                            goto Stop;
                        }
                        // int.MinValue / -1 overflows: the bytecode defines it as wrapping (quotient MinValue, remainder 0).
                        slots[sp - 1] = b == -1 ? (op == Opcode.Div ? unchecked(-a) : 0) : op == Opcode.Div ? a / b : a % b;
                        break;
                    }
                case Opcode.Neg: slots[sp - 1] = unchecked(-slots[sp - 1]); break;
                case Opcode.Eq: sp--; slots[sp - 1] = slots[sp - 1] == slots[sp] ? 1 : 0; break;
                case Opcode.Ne: sp--; slots[sp - 1] = slots[sp - 1] != slots[sp] ? 1 : 0; break;
                case Opcode.Lt: sp--; slots[sp - 1] = slots[sp - 1] < slots[sp] ? 1 : 0; break;
                case Opcode.Le: sp--; slots[sp - 1] = slots[sp - 1] <= slots[sp] ? 1 : 0; break;
                case Opcode.Gt: sp--; slots[sp - 1] = slots[sp - 1] > slots[sp] ? 1 : 0; break;
                case Opcode.Ge: sp--; slots[sp - 1] = slots[sp - 1] >= slots[sp] ? 1 : 0; break;
                case Opcode.Jmp:
                    pc = BinaryPrimitives.ReadUInt16LittleEndian(code.AsSpan(pc));
                    break;
                case Opcode.Jz:
                    pc = slots[--sp] == 0 ? BinaryPrimitives.ReadUInt16LittleEndian(code.AsSpan(pc)) : pc + 2;
                    break;
                case Opcode.Jnz:
                    pc = slots[--sp] != 0 ? BinaryPrimitives.ReadUInt16LittleEndian(code.AsSpan(pc)) : pc + 2;
                    break;
                case Opcode.Call:
                    {
                        var callee = code[pc++];
                        if (depth == VmLimits.CallDepth)
                        {
                            error = new RuntimeError(RuntimeErrorKind.StackOverflow, fn, at, 0, 0);
                            goto Stop;
                        }
                        var target = functions[callee];
                        frames[depth - 1] = frames[depth - 1] with { ReturnPc = pc };
                        locals = sp - target.Parameters;
                        sp = locals + target.Locals;
                        EnsureSlots(sp + target.MaxStack);
                        Array.Clear(slots, locals + target.Parameters, target.Locals - target.Parameters);
                        frames[depth++] = new Frame(callee, 0, locals);
                        fn = callee;
                        code = target.Code;
                        pc = 0;
                        break;
                    }
                case Opcode.Ret:
                    {
                        var value = slots[sp - 1];
                        if (--depth == 0)
                        {
                            result = value;
                            goto Stop;
                        }
                        sp = locals;
                        slots[sp++] = value;
                        var caller = frames[depth - 1];
                        fn = caller.Function;
                        code = functions[fn].Code;
                        pc = caller.ReturnPc;
                        locals = caller.Locals;
                        break;
                    }
                case Opcode.NewArray:
                    {
                        var length = slots[sp - 1];
                        if (length < 0)
                        {
                            error = new RuntimeError(RuntimeErrorKind.NegativeArraySize, fn, at, length, 0);
                            goto Stop;
                        }
                        heapWords += length + 1L;
                        if (heapWords > VmLimits.HeapWords)
                        {
                            error = new RuntimeError(RuntimeErrorKind.OutOfMemory, fn, at, length, 0);
                            goto Stop;
                        }
                        heap.Add(new int[length]);
                        slots[sp - 1] = heap.Count;   // handles start at 1
                        break;
                    }
                case Opcode.IALoad:
                    {
                        var index = slots[--sp];
                        var array = heap[slots[sp - 1] - 1];
                        if ((uint)index >= (uint)array.Length)
                        {
                            error = new RuntimeError(RuntimeErrorKind.IndexOutOfBounds, fn, at, index, array.Length);
                            goto Stop;
                        }
                        slots[sp - 1] = array[index];
                        break;
                    }
                case Opcode.IAStore:
                    {
                        var value = slots[--sp];
                        var index = slots[--sp];
                        var array = heap[slots[--sp] - 1];
                        if ((uint)index >= (uint)array.Length)
                        {
                            error = new RuntimeError(RuntimeErrorKind.IndexOutOfBounds, fn, at, index, array.Length);
                            goto Stop;
                        }
                        array[index] = value;
                        break;
                    }
                case Opcode.ArrayLength:
                    slots[sp - 1] = heap[slots[sp - 1] - 1].Length;
                    break;
                case Opcode.Print:
                    {
                        slots[--sp].TryFormat(digits, out var written, default, CultureInfo.InvariantCulture);
                        digits[written++] = (byte)'\n';
                        Emit(digits.AsSpan(0, written));
                        break;
                    }
                case Opcode.PutChar:
                    {
                        digits[0] = (byte)slots[--sp];
                        Emit(digits.AsSpan(0, 1));
                        break;
                    }
                default:
                    throw new InvalidOperationException($"unverified code: opcode 0x{(byte)op:x2} at offset {at} of {functions[fn].Name}");
            }
        }
    Stop:
        output?.Flush();
        return new VmRun(printed.ToArray(), error is null ? result : 0, error, steps, 0, 0);

        void EnsureSlots(int needed)
        {
            if (needed > slots.Length) Array.Resize(ref slots, Math.Max(needed, slots.Length * 2));
        }

        void Emit(ReadOnlySpan<byte> bytes)
        {
            printed.Write(bytes);
            output?.Write(bytes);
        }
    }

    private readonly record struct Frame(int Function, int ReturnPc, int Locals);
}
