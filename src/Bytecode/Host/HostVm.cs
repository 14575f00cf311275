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

    /// <summary>The module it runs.</summary>
    public BytecodeModule Module => module;

    /// <summary>Runs the entry function to its end, an error, or <paramref name="maxSteps"/> instructions;
    /// output goes to <paramref name="output"/> as it is printed, and into the result.</summary>
    public VmRun Run(long maxSteps = VmLimits.DefaultMaxSteps, Stream? output = null)
    {
        var state = HostVmState.AtEntry(module);
        Execute(ref state, maxSteps, maxSteps, 0, output);
        return Outcome(in state);
    }

    /// <summary>What a run that has stopped (or paused) at <paramref name="state"/> produced so far.</summary>
    internal static VmRun Outcome(in HostVmState state) =>
        new(state.Printed.ToArray(), state.Error is null ? state.Result : 0, state.Error, state.Steps, 0, 0);

    /// <summary>
    /// Runs from <paramref name="state"/> until the program stops (its end or an error) or it has executed
    /// <paramref name="until"/> instructions in all; at <paramref name="maxSteps"/> in all it stops with the step-limit
    /// error, as <see cref="Run"/> does. The state is in locals while it runs and stored back when it returns, so
    /// pausing costs nothing per instruction: the one comparison with the step limit also catches the pause.
    /// A <c>ret</c> that leaves <paramref name="pauseAtDepth"/> frames or fewer live pauses too (step over a call,
    /// step out of one); 0 never pauses there, as 0 frames is the end.
    /// </summary>
    internal void Execute(ref HostVmState state, long until, long maxSteps, int pauseAtDepth, Stream? output)
    {
        if (state.Stopped) return;
        var functions = module.Functions;
        var frames = state.Frames;
        var slots = state.Slots;
        var heap = state.Heap;
        var printed = state.Printed;
        var heapWords = state.HeapWords;
        var steps = state.Steps;
        var depth = state.Depth;
        var digits = new byte[12];

        var fn = state.Function;
        var code = functions[fn].Code;
        var locals = state.Locals;
        var sp = state.Sp;
        var pc = state.Pc;
        RuntimeError? error = null;
        var result = 0;
        var stopped = false;
        var stopAt = Math.Min(until, maxSteps);

        while (true)
        {
            if (steps == stopAt)
            {
                if (steps == maxSteps)
                {
                    error = new RuntimeError(RuntimeErrorKind.StepLimit, fn, pc, maxSteps, 0);
                    stopped = true;
                }
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
                            goto Stopped;
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
                            goto Stopped;
                        }
                        var target = functions[callee];
                        frames[depth - 1] = frames[depth - 1] with { ReturnPc = pc };
                        locals = sp - target.Parameters;
                        sp = locals + target.Locals;
                        EnsureSlots(sp + target.MaxStack);
                        Array.Clear(slots, locals + target.Parameters, target.Locals - target.Parameters);
                        frames[depth++] = new HostFrame(callee, 0, locals);
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
                            goto Stopped;
                        }
                        sp = locals;
                        slots[sp++] = value;
                        var caller = frames[depth - 1];
                        fn = caller.Function;
                        code = functions[fn].Code;
                        pc = caller.ReturnPc;
                        locals = caller.Locals;
                        if (depth <= pauseAtDepth) goto Paused;
                        break;
                    }
                case Opcode.NewArray:
                    {
                        var length = slots[sp - 1];
                        if (length < 0)
                        {
                            error = new RuntimeError(RuntimeErrorKind.NegativeArraySize, fn, at, length, 0);
                            goto Stopped;
                        }
                        heapWords += length + 1L;
                        if (heapWords > VmLimits.HeapWords)
                        {
                            error = new RuntimeError(RuntimeErrorKind.OutOfMemory, fn, at, length, 0);
                            goto Stopped;
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
                            goto Stopped;
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
                            goto Stopped;
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
        goto Paused;
    Stopped:
        stopped = true;
        // A stepping session shows the failing instruction as the current one.
        if (error is not null) pc = error.Offset;
    Paused:
        output?.Flush();
        state.Function = fn;
        state.Pc = pc;
        state.Sp = sp;
        state.Locals = locals;
        state.Depth = depth;
        state.Steps = steps;
        state.HeapWords = heapWords;
        state.Slots = slots;
        state.Stopped = stopped;
        state.Error = error;
        state.Result = result;

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
}
