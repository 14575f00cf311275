using VirtualizationWorkbench.Bytecode.Format;
using VirtualizationWorkbench.Bytecode.Running;
using VirtualizationWorkbench.Bytecode.Verification;

namespace VirtualizationWorkbench.Bytecode.Host;

/// <summary>
/// The host VM under a debugger: it runs the same interpreter as <see cref="HostVm.Run"/>, one instruction, a call
/// or a slice at a time, and between two instructions shows what the VM holds: the current function, offset and
/// source line, each call frame's locals and operand stack (typed by what the verifier proved), the heap's arrays
/// and the output so far. Run to its end, it gives exactly what <see cref="HostVm.Run"/> gives. Deterministic.
/// </summary>
public sealed class SteppingSession
{
    private readonly HostVm vm;
    private readonly VerifiedTypes?[]?[] types;
    private HostVmState state;

    /// <summary>A session at the first instruction of <paramref name="module"/>, which must have passed the
    /// verifier; it stops with the step-limit error after <paramref name="maxSteps"/> instructions.</summary>
    public SteppingSession(BytecodeModule module, long maxSteps = VmLimits.DefaultMaxSteps)
    {
        vm = new HostVm(module);
        MaxSteps = maxSteps;
        types = new VerifiedTypes?[]?[module.Functions.Count];
        state = HostVmState.AtEntry(module);
    }

    /// <summary>The program.</summary>
    public BytecodeModule Module => vm.Module;

    /// <summary>The step limit.</summary>
    public long MaxSteps { get; }

    /// <summary>Whether the program has ended: returned from its entry function, or stopped on an error.</summary>
    public bool Finished => state.Stopped;

    /// <summary>Instructions executed so far.</summary>
    public long Steps => state.Steps;

    /// <summary>Why the program stopped, if it failed.</summary>
    public RuntimeError? Error => state.Error;

    /// <summary>The index of the function running (after an error: the one that failed; after the end: the entry
    /// function).</summary>
    public int Function => state.Depth == 0 ? Module.Entry : state.Function;

    /// <summary>The offset of the next instruction in its function's code (after an error: the failing one).</summary>
    public int Offset => state.Pc;

    /// <summary>The source position of the statement the next instruction belongs to, if the module has a line table.</summary>
    public LineEntry? Line => Finished && Error is null ? null : Module.Functions[Function].LineAt(Offset);

    /// <summary>The next instruction as the listing shows it (<c>0x0004  10 00  iload 0</c>), or "" at the end.</summary>
    public string Instruction => Finished && Error is null ? "" : BytecodeListing.Instruction(Module, Module.Functions[Function], Offset, out _);

    /// <summary>The live call frames, innermost (the running function) first; none once the program returned.</summary>
    public IReadOnlyList<SteppedFrame> Frames
    {
        get
        {
            var frames = new SteppedFrame[state.Depth];
            for (var d = state.Depth - 1; d >= 0; d--)
            {
                var frame = state.Frames[d];
                var function = Module.Functions[frame.Function];
                var innermost = d == state.Depth - 1;
                // A caller stands at its call: the instruction before its return offset (call is two bytes). Its
                // operand stack ends where its callee's locals begin, as the call moved the arguments there.
                var offset = innermost ? state.Pc : frame.ReturnPc - Instructions.Size(Opcode.Call);
                var stackEnd = innermost ? state.Sp : state.Frames[d + 1].Locals;
                var proved = TypesAt(frame.Function, offset);
                var locals = new SteppedValue[function.Locals];
                for (var i = 0; i < locals.Length; i++) locals[i] = Value(state.Slots[frame.Locals + i], proved?.Locals[i] ?? SlotType.Int);
                var stack = new SteppedValue[stackEnd - frame.Locals - function.Locals];
                for (var i = 0; i < stack.Length; i++) stack[i] = Value(state.Slots[frame.Locals + function.Locals + i], proved is { } p && i < p.Stack.Count ? p.Stack[i] : SlotType.Int);
                frames[state.Depth - 1 - d] = new SteppedFrame(frame.Function, function.Name, offset, function.LineAt(offset), locals, stack);
            }
            return frames;
        }
    }

    /// <summary>The running function's operand stack, bottom first (empty at the end).</summary>
    public IReadOnlyList<SteppedValue> Stack => Frames is [var top, ..] ? top.Stack : [];

    /// <summary>How many arrays the program has made (their references are 1 to this).</summary>
    public int Arrays => state.Heap.Count;

    /// <summary>The elements of the array with reference <paramref name="reference"/> (a copy).</summary>
    public int[] Array(int reference) => reference >= 1 && reference <= state.Heap.Count ? [.. state.Heap[reference - 1]] : [];

    /// <summary>What the program printed so far.</summary>
    public string Output => System.Text.Encoding.UTF8.GetString(state.Printed.GetBuffer(), 0, (int)state.Printed.Length);

    /// <summary>What the run gave so far; once <see cref="Finished"/>, what <see cref="HostVm.Run"/> gives.</summary>
    public VmRun Outcome() => HostVm.Outcome(in state);

    /// <summary>Executes one instruction (into a call: the callee's first instruction comes next).</summary>
    public void Step() => vm.Execute(ref state, state.Steps + 1, MaxSteps, 0, null);

    /// <summary>Executes one instruction; if it is a call, runs on until the call returns (or the program stops).</summary>
    public void StepOver()
    {
        if (Finished) return;
        var depth = state.Depth;
        var isCall = Module.Functions[state.Function].Code[state.Pc] == (byte)Opcode.Call;
        Step();
        if (isCall && !Finished && state.Depth > depth) vm.Execute(ref state, MaxSteps, MaxSteps, depth, null);
    }

    /// <summary>Runs until the running function returns to its caller (in the entry function: to the end).</summary>
    public void StepOut()
    {
        if (Finished) return;
        vm.Execute(ref state, MaxSteps, MaxSteps, state.Depth - 1, null);
    }

    /// <summary>Executes up to <paramref name="steps"/> instructions (fewer if the program stops).</summary>
    public void Run(long steps) => vm.Execute(ref state, state.Steps + Math.Max(0, Math.Min(steps, MaxSteps - state.Steps)), MaxSteps, 0, null);

    /// <summary>Runs to the end, an error, or the step limit.</summary>
    public void RunToEnd() => vm.Execute(ref state, MaxSteps, MaxSteps, 0, null);

    /// <summary>Back to the first instruction, with nothing printed and an empty heap.</summary>
    public void Restart() => state = HostVmState.AtEntry(Module);

    private VerifiedTypes? TypesAt(int function, int offset)
    {
        var table = types[function] ??= Verifier.Types(Module, Module.Functions[function]);
        return offset >= 0 && offset < table.Length ? table[offset] : null;
    }

    private SteppedValue Value(int raw, SlotType type) =>
        new(raw, type, type == SlotType.Array && raw >= 1 && raw <= state.Heap.Count ? state.Heap[raw - 1].Length : 0);
}
