using System.Buffers.Binary;
using VirtualizationWorkbench.Bytecode.Format;

namespace VirtualizationWorkbench.Bytecode.Verification;

/// <summary>
/// The bytecode verifier, as the JVM's type-checking verifier: before any code runs, it proves for every function
/// that each instruction starts where decoding says it does, each jump lands on an instruction, the operand stack
/// never underflows nor grows past the declared maximum, every path into an instruction brings the same stack, and
/// every value is used as what it is: an integer where integers go, an array reference where arrays go. Verified
/// code needs no checks of these at run time, in either VM: only division by zero, array bounds, the heap, the call
/// depth and the step limit remain for the interpreters.
/// </summary>
/// <remarks>
/// A data-flow analysis over the abstract state "types of the operand stack and of the locals" (JVM spec §4.10.2.2):
/// parameters start with their declared types, other locals as integers (they hold 0); at a join the stacks must be
/// equal and a local whose types differ becomes unusable until stored again.
/// </remarks>
public static class Verifier
{
    /// <summary>The most operand-stack slots a function may declare.</summary>
    public const int MaxStackLimit = 1024;

    /// <summary>The abstract type of a stack slot or a local.</summary>
    internal enum Kind : byte
    {
        Int = 1,
        Ref = 2,
        /// <summary>A local whose paths disagree: it cannot be read until stored again.</summary>
        Conflict = 3,
    }

    /// <summary>Verifies every function of <paramref name="module"/>.</summary>
    /// <exception cref="VerifyException">The first rule broken.</exception>
    public static void Verify(BytecodeModule module)
    {
        var entry = module.Functions[module.Entry];
        if (entry.Parameters != 0) throw new VerifyException(VerifyRule.Limits, entry.Name, 0, $"the entry function takes {entry.Parameters} parameters; it must take none");
        foreach (var function in module.Functions) VerifyFunction(module, function);
    }

    /// <summary>The operand-stack depth before each instruction of a verified function (-1 where no instruction
    /// starts or the code is unreachable): what a compiler needs to keep stack slots in registers.</summary>
    public static int[] StackDepths(BytecodeModule module, BytecodeFunction function)
    {
        var states = VerifyFunction(module, function);
        var depths = new int[states.Length];
        for (var i = 0; i < states.Length; i++) depths[i] = states[i]?.Stack.Length ?? -1;
        return depths;
    }

    /// <summary>What the verifier proved each stack slot and local holds before each instruction of a verified
    /// function (null where no instruction starts or the code is unreachable): what a debugger needs to show an
    /// array reference as an array rather than as its handle.</summary>
    public static VerifiedTypes?[] Types(BytecodeModule module, BytecodeFunction function)
    {
        var states = VerifyFunction(module, function);
        var types = new VerifiedTypes?[states.Length];
        for (var i = 0; i < states.Length; i++)
        {
            if (states[i] is { } state) types[i] = new VerifiedTypes([.. state.Stack.Select(Public)], [.. state.Locals.Select(Public)]);
        }
        return types;

        static SlotType Public(Kind kind) => kind switch
        {
            Kind.Int => SlotType.Int,
            Kind.Ref => SlotType.Array,
            _ => SlotType.Unusable,
        };
    }

    private static State?[] VerifyFunction(BytecodeModule module, BytecodeFunction f)
    {
        if (f.Parameters > f.Locals) throw new VerifyException(VerifyRule.Limits, f.Name, 0, $"{f.Parameters} parameters but only {f.Locals} locals");
        if (f.MaxStack > MaxStackLimit) throw new VerifyException(VerifyRule.Limits, f.Name, 0, $"max stack {f.MaxStack}: at most {MaxStackLimit}");
        if (f.Parameters < 32 && f.ReferenceParameters >> f.Parameters != 0) throw new VerifyException(VerifyRule.Limits, f.Name, 0, $"the reference-parameter mask 0x{f.ReferenceParameters:x} names parameters beyond its {f.Parameters}");
        var code = f.Code;
        if (code.Length == 0) throw new VerifyException(VerifyRule.FallOff, f.Name, 0, "the function has no code");

        // Pass 1: where instructions start.
        var starts = new bool[code.Length];
        for (var pc = 0; pc < code.Length;)
        {
            if (!Instructions.IsDefined(code[pc])) throw new VerifyException(VerifyRule.Opcode, f.Name, pc, $"0x{code[pc]:x2} is not an instruction");
            var size = Instructions.Size((Opcode)code[pc]);
            if (pc + size > code.Length) throw new VerifyException(VerifyRule.Operand, f.Name, pc, $"'{Instructions.Name((Opcode)code[pc])}' needs {size - 1} operand bytes; the code ends after {code.Length - pc - 1}");
            starts[pc] = true;
            pc += size;
        }

        // Pass 2: the data flow.
        var states = new State?[code.Length];
        var work = new Stack<int>();
        var initial = new State([], new Kind[f.Locals]);
        for (var i = 0; i < f.Locals; i++) initial.Locals[i] = i < f.Parameters && f.IsReferenceParameter(i) ? Kind.Ref : Kind.Int;
        states[0] = initial;
        work.Push(0);
        while (work.Count > 0)
        {
            var pc = work.Pop();
            var state = states[pc]!;
            var stack = new List<Kind>(state.Stack);
            var locals = (Kind[])state.Locals.Clone();
            var op = (Opcode)code[pc];
            var name = Instructions.Name(op);
            var next = pc + Instructions.Size(op);
            var fallsThrough = true;
            int? target = null;
            switch (op)
            {
                case Opcode.Push: stack.Add(Kind.Int); break;
                case Opcode.Pop: Pop(1); break;
                case Opcode.Dup:
                    Need(1);
                    stack.Add(stack[^1]);
                    break;
                case Opcode.ILoad:
                case Opcode.ALoad:
                    {
                        var index = Local();
                        var want = op == Opcode.ILoad ? Kind.Int : Kind.Ref;
                        if (locals[index] == Kind.Conflict) Fail(VerifyRule.Type, $"'{name} {index}': local {index} holds different types on different paths into here");
                        if (locals[index] != want) Fail(VerifyRule.Type, $"'{name} {index}': local {index} holds {Describe(locals[index])}, not {Describe(want)}");
                        stack.Add(want);
                        break;
                    }
                case Opcode.IStore:
                case Opcode.AStore:
                    {
                        var index = Local();
                        var want = op == Opcode.IStore ? Kind.Int : Kind.Ref;
                        Pop(1, want);
                        locals[index] = want;
                        break;
                    }
                case Opcode.Add or Opcode.Sub or Opcode.Mul or Opcode.Div or Opcode.Rem
                    or Opcode.Eq or Opcode.Ne or Opcode.Lt or Opcode.Le or Opcode.Gt or Opcode.Ge:
                    Pop(2, Kind.Int);
                    stack.Add(Kind.Int);
                    break;
                case Opcode.Neg:
                    Pop(1, Kind.Int);
                    stack.Add(Kind.Int);
                    break;
                case Opcode.Jmp:
                    target = JumpTarget();
                    fallsThrough = false;
                    break;
                case Opcode.Jz:
                case Opcode.Jnz:
                    Pop(1, Kind.Int);
                    target = JumpTarget();
                    break;
                case Opcode.Call:
                    {
                        var index = code[pc + 1];
                        if (index >= module.Functions.Count) Fail(VerifyRule.FunctionIndex, $"'call {index}': the module has {module.Functions.Count} functions");
                        var callee = module.Functions[index];
                        Need(callee.Parameters);
                        for (var p = 0; p < callee.Parameters; p++)
                        {
                            var want = callee.IsReferenceParameter(p) ? Kind.Ref : Kind.Int;
                            var have = stack[stack.Count - callee.Parameters + p];
                            if (have != want) Fail(VerifyRule.Type, $"'call {index}' ({callee.Name}): argument {p + 1} is {Describe(have)}, the parameter is {Describe(want)}");
                        }
                        stack.RemoveRange(stack.Count - callee.Parameters, callee.Parameters);
                        stack.Add(Kind.Int);
                        break;
                    }
                case Opcode.Ret:
                    Pop(1, Kind.Int);
                    fallsThrough = false;
                    break;
                case Opcode.NewArray:
                    Pop(1, Kind.Int);
                    stack.Add(Kind.Ref);
                    break;
                case Opcode.IALoad:
                    Pop(1, Kind.Int);
                    Pop(1, Kind.Ref);
                    stack.Add(Kind.Int);
                    break;
                case Opcode.IAStore:
                    Pop(2, Kind.Int);
                    Pop(1, Kind.Ref);
                    break;
                case Opcode.ArrayLength:
                    Pop(1, Kind.Ref);
                    stack.Add(Kind.Int);
                    break;
                case Opcode.Print:
                case Opcode.PutChar:
                    Pop(1, Kind.Int);
                    break;
                default:
                    Fail(VerifyRule.Opcode, $"0x{code[pc]:x2} is not an instruction");
                    break;
            }
            if (stack.Count > f.MaxStack) Fail(VerifyRule.StackLimit, $"after '{name}' the operand stack holds {stack.Count} values; the function declares max stack {f.MaxStack}");
            var after = new State([.. stack], locals);
            if (fallsThrough)
            {
                if (next >= code.Length) Fail(VerifyRule.FallOff, $"execution runs past the last instruction '{name}' (end a function with 'ret')");
                Merge(next, after);
            }
            if (target is { } t) Merge(t, after);

            void Merge(int at, State incoming)
            {
                var existing = states[at];
                if (existing is null)
                {
                    states[at] = incoming;
                    work.Push(at);
                    return;
                }
                if (existing.Stack.Length != incoming.Stack.Length)
                {
                    throw new VerifyException(VerifyRule.StackMerge, f.Name, at, $"reached with {existing.Stack.Length} values on the operand stack on one path and {incoming.Stack.Length} on another (from offset 0x{pc:x4})");
                }
                for (var i = 0; i < existing.Stack.Length; i++)
                {
                    if (existing.Stack[i] != incoming.Stack[i])
                    {
                        throw new VerifyException(VerifyRule.StackMerge, f.Name, at, $"stack slot {i} is {Describe(existing.Stack[i])} on one path and {Describe(incoming.Stack[i])} on another (from offset 0x{pc:x4})");
                    }
                }
                var changed = false;
                for (var i = 0; i < existing.Locals.Length; i++)
                {
                    if (existing.Locals[i] != incoming.Locals[i] && existing.Locals[i] != Kind.Conflict)
                    {
                        existing.Locals[i] = Kind.Conflict;
                        changed = true;
                    }
                }
                if (changed) work.Push(at);
            }

            void Need(int count)
            {
                if (stack.Count < count) Fail(VerifyRule.StackUnderflow, $"'{name}' needs {count} value{(count == 1 ? "" : "s")} on the operand stack; it holds {stack.Count}");
            }

            void Pop(int count, Kind? want = null)
            {
                Need(count);
                for (var i = 0; i < count; i++)
                {
                    var have = stack[^1];
                    if (want is { } w && have != w) Fail(VerifyRule.Type, $"'{name}' needs {Describe(w)} but the operand stack holds {Describe(have)}");
                    stack.RemoveAt(stack.Count - 1);
                }
            }

            int Local()
            {
                var index = code[pc + 1];
                if (index >= f.Locals) Fail(VerifyRule.LocalIndex, $"'{name} {index}': the function has {f.Locals} locals");
                return index;
            }

            int JumpTarget()
            {
                var to = BinaryPrimitives.ReadUInt16LittleEndian(code.AsSpan(pc + 1));
                if (to >= code.Length) Fail(VerifyRule.JumpTarget, $"'{name} 0x{to:x4}' jumps outside the code ({code.Length} bytes)");
                if (!starts[to]) Fail(VerifyRule.JumpTarget, $"'{name} 0x{to:x4}' jumps into the middle of an instruction");
                return to;
            }

            void Fail(VerifyRule rule, string detail) => throw new VerifyException(rule, f.Name, pc, detail);
        }
        return states;
    }

    private static string Describe(Kind kind) => kind switch
    {
        Kind.Int => "an integer",
        Kind.Ref => "an array reference",
        _ => "a value of different types on different paths",
    };

    private sealed record State(Kind[] Stack, Kind[] Locals);
}
