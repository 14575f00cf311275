using System.Diagnostics;
using System.Reflection;
using System.Reflection.Emit;
using System.Runtime.InteropServices;
using VirtualizationWorkbench.Machine.Costs;

namespace VirtualizationWorkbench.Machine.Cpu.Translation;

/// <summary>
/// Turns a trace of VW32 guest code into a <see cref="DynamicMethod"/> that the .NET JIT compiles to host code:
/// the TCG step of QEMU, for the workbench's own ISA. Guest registers and flags live in IL locals (host
/// registers, once the JIT is done) and go back to the state wherever the block leaves. Counters are charged
/// from constants computed here from the cost table, so a block charges exactly what the interpreter would.
/// Flags a later instruction overwrites before anyone can see them are not computed at all.
/// </summary>
/// <remarks>
/// Only the interpreter's fast paths are translated: RAM inside the window with paging off, a TLB hit with the
/// right permission and no page crossing with it on. Anything else (a TLB miss, a page fault, a device, a store
/// next to translated code, a division that faults) leaves the block just before that instruction with the state
/// exact, and the interpreter runs it: the slow paths and the traps exist once, in the interpreter.
/// </remarks>
internal sealed class BlockTranslator
{
    /// <summary>At most this many guest instructions in a block.</summary>
    public const int MaxLength = 64;

    /// <summary>Bits of <see cref="TranslatedBlock.Mode"/>: the ring, and whether addresses are translated.</summary>
    public const int ModeRingMask = 3, ModeTranslating = 4;

    // Flag bits for the liveness pass (not the architectural positions).
    private const int LiveC = 1, LiveZ = 2, LiveN = 4, LiveV = 8, LiveAll = 15;

    private static readonly FieldInfo StateRegisters = typeof(CpuState).GetField(nameof(CpuState.R))!;
    private static readonly FieldInfo Register0 = typeof(RegisterFile).GetFields(BindingFlags.NonPublic | BindingFlags.Instance).Single();
    private static readonly FieldInfo StatePc = typeof(CpuState).GetField(nameof(CpuState.Pc))!;
    private static readonly FieldInfo StateFlags = typeof(CpuState).GetField(nameof(CpuState.Flags))!;
    private static readonly FieldInfo StateCr0 = typeof(CpuState).GetField(nameof(CpuState.Cr0))!;
    private static readonly FieldInfo CountInstructions = typeof(Counters).GetField(nameof(Counters.Instructions))!;
    private static readonly FieldInfo CountCycles = typeof(Counters).GetField(nameof(Counters.Cycles))!;
    private static readonly FieldInfo CountTlbHits = typeof(Counters).GetField(nameof(Counters.TlbHits))!;
    private static readonly MethodInfo RamReference = typeof(Core).GetMethod(nameof(Core.TranslationRam), BindingFlags.NonPublic | BindingFlags.Instance)!;
    private static readonly MethodInfo WindowBaseOf = typeof(Core).GetMethod(nameof(Core.TranslationWindowBase), BindingFlags.NonPublic | BindingFlags.Instance)!;
    private static readonly MethodInfo WindowSizeOf = typeof(Core).GetMethod(nameof(Core.TranslationWindowSize), BindingFlags.NonPublic | BindingFlags.Instance)!;
    private static readonly MethodInfo TlbTagOf = typeof(Core).GetMethod(nameof(Core.TranslationTlbTags), BindingFlags.NonPublic | BindingFlags.Instance)!;
    private static readonly MethodInfo TlbFrameOf = typeof(Core).GetMethod(nameof(Core.TranslationTlbFrames), BindingFlags.NonPublic | BindingFlags.Instance)!;
    private static readonly MethodInfo TlbPermOf = typeof(Core).GetMethod(nameof(Core.TranslationTlbPermissions), BindingFlags.NonPublic | BindingFlags.Instance)!;
    private static readonly MethodInfo CodeMapOf = typeof(Core).GetMethod(nameof(Core.TranslationCodeMap), BindingFlags.NonPublic | BindingFlags.Instance)!;
    private static readonly MethodInfo SlowLoad = typeof(Core).GetMethod(nameof(Core.TranslatedLoad), BindingFlags.NonPublic | BindingFlags.Instance)!;
    private static readonly MethodInfo SlowStore = typeof(Core).GetMethod(nameof(Core.TranslatedStore), BindingFlags.NonPublic | BindingFlags.Instance)!;
    private static readonly MethodInfo InvalidatePageOf = typeof(Core).GetMethod(nameof(Core.TranslatedInvalidatePage), BindingFlags.NonPublic | BindingFlags.Instance)!;
    private static readonly MethodInfo InterruptReturnOf = typeof(Core).GetMethod(nameof(Core.TranslatedInterruptReturn), BindingFlags.NonPublic | BindingFlags.Instance)!;
    private static readonly MethodInfo SoftwareInterruptOf = typeof(Core).GetMethod(nameof(Core.TranslatedSoftwareInterrupt), BindingFlags.NonPublic | BindingFlags.Instance)!;

    /// <summary>One guest instruction of a trace.</summary>
    private struct Step
    {
        public uint Pc;
        public InstructionWord Word;
        public uint Immediate;      // li's second word
        public uint Next;           // the address after the instruction
        public uint Continue;       // where the trace goes on after it (Next, a followed target, a return address)
        public bool Followed;       // a jmp or call whose target the trace continues at
        public uint ExpectedReturn; // a ret the trace continues after: the return address it expects (0 = none)
        public bool HasExpectedReturn;
        public ulong Cost;          // issue cost plus memory accesses, on the fast path
        public int FlagsNeeded;     // flags this instruction must compute (liveness)
    }

    private readonly Core core;
    private readonly List<Step> steps = new(MaxLength);
    private readonly List<int> codeIndices = new(MaxLength * 2);
    private readonly List<uint> codeWords = new(MaxLength * 2);
    private readonly Stack<uint> returns = new(MaxLength);
    private readonly HashSet<uint> visited = new(MaxLength);

    /// <summary>A translator for <paramref name="core"/>'s code.</summary>
    public BlockTranslator(Core core) => this.core = core;

    /// <summary>Time spent translating, in stopwatch ticks.</summary>
    public long TranslationTicks { get; private set; }

    /// <summary>
    /// Measures the trace that starts at <paramref name="pc"/> without compiling it: how many instructions it
    /// would hold (0 when its first instruction cannot be translated). <paramref name="frame"/> is the RAM index
    /// of the page being fetched from when paging is on.
    /// </summary>
    public int Measure(uint pc, int mode, int frame)
    {
        Trace(pc, mode, frame);
        return steps.Count;
    }

    /// <summary>Translates the trace at <paramref name="pc"/>, or returns null when its first instruction cannot
    /// be translated.</summary>
    public TranslatedBlock? Translate(uint pc, int mode, int frame)
    {
        var started = Stopwatch.GetTimestamp();
        Trace(pc, mode, frame);
        if (steps.Count == 0) return null;
        Liveness();
        var emitter = new Emitter(this, pc, mode);
        var code = emitter.Emit(out var ilBytes);
        ulong before = 0;
        for (var i = 0; i < steps.Count - 1; i++) before += steps[i].Cost;
        var block = new TranslatedBlock(pc, mode, frame, steps.Count, before, [.. codeIndices], [.. codeWords], code, ilBytes);
        TranslationTicks += Stopwatch.GetTimestamp() - started;
        return block;
    }

    // ---- trace formation ----

    // The RAM index of the word at pc, as the interpreter's fast fetch would find it, or -1 when the fetch would
    // take the slow path (another page with paging on, outside the window with it off).
    private int FetchIndex(uint pc, uint start, int mode, int frame)
    {
        if ((pc & 3) != 0) return -1;
        if ((mode & ModeTranslating) != 0)
        {
            if ((pc & ~0xFFFu) != (start & ~0xFFFu)) return -1;
            return frame + (int)(pc & 0xFFF);
        }
        var size = core.TranslationWindowSize();
        if (size < 4 || pc > size - 4) return -1;
        return (int)(core.TranslationWindowBase() + pc);
    }

    private void Trace(uint start, int mode, int frame)
    {
        steps.Clear();
        codeIndices.Clear();
        codeWords.Clear();
        var ram = core.Machine.Memory.Bytes;
        var costs = core.Costs;
        var opCost = core.TranslationOpCosts();
        returns.Clear();
        visited.Clear();
        var pc = start;
        while (steps.Count < MaxLength)
        {
            var at = FetchIndex(pc, start, mode, frame);
            if (at < 0 || !visited.Add(pc)) break;
            var word = new InstructionWord(BitConverter.ToUInt32(ram, at));
            var accesses = Accesses(word.Opcode);
            if (accesses < 0 && !EndsWithCall(word.Opcode, mode)) break;
            accesses = Math.Max(0, accesses);
            var step = new Step { Pc = pc, Word = word, Next = pc + 4, Continue = pc + 4, Cost = opCost[(int)word.Opcode] + (ulong)accesses * costs.MemoryAccess };
            if (word.Opcode == Opcode.Li)
            {
                var immediateAt = FetchIndex(pc + 4, start, mode, frame);
                if (immediateAt < 0) break;
                step.Immediate = BitConverter.ToUInt32(ram, immediateAt);
                step.Next = pc + 8;
                step.Continue = pc + 8;
                codeIndices.Add(at); codeWords.Add(word.Value);
                codeIndices.Add(immediateAt); codeWords.Add(step.Immediate);
            }
            else
            {
                codeIndices.Add(at); codeWords.Add(word.Value);
            }
            var op = word.Opcode;
            if (op is Opcode.Jmp or Opcode.Call)
            {
                var target = step.Next + word.BranchOffset;
                if (target != start && FetchIndex(target, start, mode, frame) >= 0 && !visited.Contains(target) && steps.Count + 1 < MaxLength)
                {
                    step.Followed = true;
                    step.Continue = target;
                    if (op == Opcode.Call) returns.Push(step.Next);
                    steps.Add(step);
                    pc = target;
                    continue;
                }
                steps.Add(step);
                break;
            }
            if (op == Opcode.Ret && returns.Count > 0)
            {
                step.HasExpectedReturn = true;
                step.ExpectedReturn = returns.Pop();
                step.Continue = step.ExpectedReturn;
                steps.Add(step);
                pc = step.ExpectedReturn;
                if (pc == start) break;
                continue;
            }
            steps.Add(step);
            if (EndsBlock(op)) break;
            pc = step.Next;
        }
    }

    /// <summary>Memory accesses an instruction makes on its fast path, or -1 when the translator leaves the
    /// instruction to the interpreter.</summary>
    private static int Accesses(Opcode op) => op switch
    {
        Opcode.Nop or Opcode.Getcpl or Opcode.Smsw or Opcode.Cpuid or Opcode.Rdcycle or Opcode.Mov or Opcode.Li
            or Opcode.Not or Opcode.Neg or (>= Opcode.Add and <= Opcode.Test) or (>= Opcode.Addi and <= Opcode.Cmpi)
            or (>= Opcode.Jmp and <= Opcode.Jns) or Opcode.Jmpr => 0,
        Opcode.Ld or Opcode.Ldb or Opcode.St or Opcode.Stb or Opcode.Push or Opcode.Pop or Opcode.Pushf
            or Opcode.Call or Opcode.Callr or Opcode.Ret => 1,
        Opcode.Xchg => 2,
        _ => -1,
    };

    private static bool EndsBlock(Opcode op) => op is (>= Opcode.Jmp and <= Opcode.Jns) or Opcode.Call or Opcode.Ret or Opcode.Jmpr or Opcode.Callr
        or Opcode.Int or Opcode.Invlpg or Opcode.Iret;

    /// <summary>System instructions a block ends with by calling the interpreter's own code for them, instead of
    /// leaving the block first: <c>int n</c> (a system call), and <c>invlpg</c> in ring 0 (elsewhere it faults,
    /// which the interpreter does), <c>iret</c> in ring 0 (likewise).</summary>
    private static bool EndsWithCall(Opcode op, int mode) => op == Opcode.Int || (op is Opcode.Invlpg or Opcode.Iret && (mode & ModeRingMask) == 0);

    private static int FlagsRead(Opcode op) => op switch
    {
        Opcode.Je or Opcode.Jne => LiveZ,
        Opcode.Jl or Opcode.Jge => LiveN | LiveV,
        Opcode.Jle or Opcode.Jg => LiveZ | LiveN | LiveV,
        Opcode.Jb or Opcode.Jae => LiveC,
        Opcode.Jbe or Opcode.Ja => LiveC | LiveZ,
        Opcode.Js or Opcode.Jns => LiveN,
        Opcode.Pushf => LiveAll,
        _ => 0,
    };

    private static int FlagsWritten(Opcode op) => op switch
    {
        Opcode.Not or Opcode.Shl or Opcode.Shr or Opcode.Sar or Opcode.Mul or Opcode.Shli or Opcode.Shri
            or Opcode.Sari or Opcode.Muli => LiveZ | LiveN,
        Opcode.Neg or Opcode.Add or Opcode.Sub or Opcode.And or Opcode.Or or Opcode.Xor or Opcode.Cmp or Opcode.Test
            or Opcode.Addi or Opcode.Andi or Opcode.Ori or Opcode.Xori or Opcode.Cmpi => LiveAll,
        _ => 0,
    };

    // Whether the block may leave just before the instruction (state exact there), or just after it (a return
    // that did not go where the trace expected).
    private static bool MayLeaveBefore(Opcode op) => Accesses(op) > 0 || op is Opcode.Div or Opcode.Divu or Opcode.Rem or Opcode.Remu;

    private void Liveness()
    {
        var live = LiveAll; // every end of the block leaves with the flags exact
        for (var i = steps.Count - 1; i >= 0; i--)
        {
            var step = steps[i];
            var op = step.Word.Opcode;
            if (step.HasExpectedReturn) live = LiveAll;
            var written = FlagsWritten(op);
            step.FlagsNeeded = written & live;
            live = (live & ~written) | FlagsRead(op);
            if (MayLeaveBefore(op)) live = LiveAll;
            steps[i] = step;
        }
    }

    // ---- code generation ----

    /// <summary>Emits one block's IL.</summary>
    private sealed class Emitter
    {
        private readonly BlockTranslator owner;
        private readonly List<Step> steps;
        private readonly uint start;
        private readonly bool translating;
        private readonly int ring;
        private readonly DynamicMethod method;
        private readonly ILGenerator il;
        private readonly LocalBuilder?[] registers = new LocalBuilder?[16];
        private readonly bool[] written = new bool[16];
        private readonly LocalBuilder flags, instructions, cycles, hits, ram, a, b, v, address, index;
        private LocalBuilder? windowBase, windowSize, tlbTag, tlbFrame, tlbPerm, codeMap, slowValue;
        private readonly bool flagsUsed, flagsWritten;
        private readonly uint memoryAccess;
        private Label top;

        public Emitter(BlockTranslator owner, uint start, int mode)
        {
            this.owner = owner;
            steps = owner.steps;
            this.start = start;
            translating = (mode & ModeTranslating) != 0;
            ring = mode & ModeRingMask;
            memoryAccess = owner.core.Costs.MemoryAccess;
            method = new DynamicMethod($"vw32_0x{start:x8}", typeof(BlockExit),
                [typeof(Core), typeof(CpuState).MakeByRefType(), typeof(Counters), typeof(ulong), typeof(ulong)],
                typeof(Core), skipVisibility: true);
            il = method.GetILGenerator();
            flags = il.DeclareLocal(typeof(uint));
            instructions = il.DeclareLocal(typeof(ulong));
            cycles = il.DeclareLocal(typeof(ulong));
            hits = il.DeclareLocal(typeof(ulong));
            ram = il.DeclareLocal(typeof(byte).MakeByRefType());
            a = il.DeclareLocal(typeof(uint));
            b = il.DeclareLocal(typeof(uint));
            v = il.DeclareLocal(typeof(uint));
            address = il.DeclareLocal(typeof(uint));
            index = il.DeclareLocal(typeof(int));
            foreach (var step in steps)
            {
                var op = step.Word.Opcode;
                flagsUsed |= FlagsRead(op) != 0 || step.FlagsNeeded != 0;
                flagsWritten |= step.FlagsNeeded != 0;
            }
        }

        public BlockCode Emit(out int ilBytes)
        {
            Prologue();
            top = il.DefineLabel();
            il.MarkLabel(top);
            ulong cost = 0;
            var last = steps.Count - 1;
            for (var i = 0; i < steps.Count; i++)
            {
                var step = steps[i];
                var ended = Instruction(step, i, cost, i == last);
                cost += step.Cost;
                if (ended) break;
                if (i == last) Exit(() => Constant(step.Continue), steps.Count, cost, BlockExit.Completed);
            }
            ilBytes = il.ILOffset;
            // Closed over the core (a block belongs to one core's cache): the call then needs no shuffle thunk,
            // which a delegate to a static method pays on every call.
            return (BlockCode)method.CreateDelegate(typeof(BlockCode), owner.core);
        }

        private void Prologue()
        {
            // Every register the block reads or writes, into a local.
            foreach (var step in steps)
            {
                foreach (var (r, isWritten) in Operands(step))
                {
                    if (registers[r] is null)
                    {
                        registers[r] = il.DeclareLocal(typeof(uint));
                        RegisterAddress(r);
                        il.Emit(OpCodes.Ldind_U4);
                        il.Emit(OpCodes.Stloc, registers[r]!);
                    }
                    if (isWritten) written[r] = true;
                }
            }
            if (flagsUsed)
            {
                il.Emit(OpCodes.Ldarg_1); il.Emit(OpCodes.Ldfld, StateFlags); il.Emit(OpCodes.Stloc, flags);
            }
            il.Emit(OpCodes.Ldarg_2); il.Emit(OpCodes.Ldfld, CountInstructions); il.Emit(OpCodes.Stloc, instructions);
            il.Emit(OpCodes.Ldarg_2); il.Emit(OpCodes.Ldfld, CountCycles); il.Emit(OpCodes.Stloc, cycles);
            var memory = steps.Any(s => Accesses(s.Word.Opcode) > 0);
            if (!memory) return;
            il.Emit(OpCodes.Ldarg_0); il.Emit(OpCodes.Call, RamReference); il.Emit(OpCodes.Stloc, ram);
            if (steps.Any(s => Stores(s.Word.Opcode)))
            {
                codeMap = il.DeclareLocal(typeof(byte[]));
                il.Emit(OpCodes.Ldarg_0); il.Emit(OpCodes.Call, CodeMapOf); il.Emit(OpCodes.Stloc, codeMap);
            }
            if (translating)
            {
                il.Emit(OpCodes.Ldarg_2); il.Emit(OpCodes.Ldfld, CountTlbHits); il.Emit(OpCodes.Stloc, hits);
                tlbTag = Cached(typeof(uint[]), TlbTagOf);
                tlbFrame = Cached(typeof(int[]), TlbFrameOf);
                tlbPerm = Cached(typeof(byte[]), TlbPermOf);
            }
            else
            {
                windowBase = Cached(typeof(uint), WindowBaseOf);
                windowSize = Cached(typeof(uint), WindowSizeOf);
            }
        }

        private LocalBuilder Cached(Type type, MethodInfo getter)
        {
            var local = il.DeclareLocal(type);
            il.Emit(OpCodes.Ldarg_0); il.Emit(OpCodes.Call, getter); il.Emit(OpCodes.Stloc, local);
            return local;
        }

        private static bool Stores(Opcode op) => op is Opcode.St or Opcode.Stb or Opcode.Push or Opcode.Pushf or Opcode.Call or Opcode.Callr or Opcode.Xchg;

        // The registers an instruction names, and whether it writes them.
        private static IEnumerable<(int Register, bool Written)> Operands(Step step)
        {
            var w = step.Word;
            int rd = w.Rd, rs = w.Rs, rt = w.Rt;
            switch (w.Opcode)
            {
                case Opcode.Getcpl or Opcode.Smsw or Opcode.Cpuid or Opcode.Rdcycle or Opcode.Li:
                    yield return (rd, true); break;
                case Opcode.Mov or Opcode.Not or Opcode.Neg or (>= Opcode.Addi and <= Opcode.Muli):
                    yield return (rs, false); yield return (rd, true); break;
                case >= Opcode.Add and <= Opcode.Remu:
                    yield return (rs, false); yield return (rt, false); yield return (rd, true); break;
                case Opcode.Cmp or Opcode.Test:
                    yield return (rd, false); yield return (rs, false); break;
                case Opcode.Cmpi:
                    yield return (rd, false); break;
                case Opcode.Ld or Opcode.Ldb:
                    yield return (rs, false); yield return (rd, true); break;
                case Opcode.St or Opcode.Stb:
                    yield return (rs, false); yield return (rd, false); break;
                case Opcode.Xchg:
                    yield return (rs, false); yield return (rd, true); break;
                case Opcode.Push:
                    yield return (rs, false); yield return (15, true); break;
                case Opcode.Pop:
                    yield return (15, true); yield return (rd, true); break;
                case Opcode.Pushf or Opcode.Call or Opcode.Ret:
                    yield return (15, true); break;
                case Opcode.Callr:
                    yield return (rs, false); yield return (15, true); break;
                case Opcode.Jmpr or Opcode.Invlpg:
                    yield return (rs, false); break;
            }
        }

        // Emits one instruction; returns true when it ended the block (it emitted the block's exits).
        // `before` is the fast-path cost of the instructions before it in this pass.
        private bool Instruction(Step step, int i, ulong before, bool last)
        {
            var w = step.Word;
            int rd = w.Rd, rs = w.Rs, rt = w.Rt;
            var after = before + step.Cost;
            var needed = step.FlagsNeeded;
            switch (w.Opcode)
            {
                case Opcode.Nop: return false;
                case Opcode.Getcpl: Constant((uint)ring); Set(rd); return false;
                case Opcode.Cpuid: Constant((uint)owner.core.Index); Set(rd); return false;
                case Opcode.Smsw:
                    il.Emit(OpCodes.Ldarg_1); il.Emit(OpCodes.Ldfld, StateCr0); Constant(0xFFFF); il.Emit(OpCodes.And); Set(rd);
                    return false;
                case Opcode.Rdcycle:
                    // The interpreter charges the instruction's issue cost before it reads the counter.
                    il.Emit(OpCodes.Ldloc, cycles); il.Emit(OpCodes.Ldc_I8, (long)(before + step.Cost)); il.Emit(OpCodes.Add);
                    il.Emit(OpCodes.Conv_U4); Set(rd);
                    return false;
                case Opcode.Mov: Get(rs); Set(rd); return false;
                case Opcode.Li: Constant(step.Immediate); Set(rd); return false;
                case Opcode.Not:
                    Get(rs); il.Emit(OpCodes.Not); il.Emit(OpCodes.Stloc, v); Result(rd, needed, FlagKind.ZeroNegative);
                    return false;
                case Opcode.Neg:
                    Constant(0); il.Emit(OpCodes.Stloc, a); Get(rs); il.Emit(OpCodes.Stloc, b);
                    Constant(0); Get(rs); il.Emit(OpCodes.Sub); il.Emit(OpCodes.Stloc, v);
                    Result(rd, needed, FlagKind.Subtract);
                    return false;
                case Opcode.Add: Binary(rs, rt, OpCodes.Add); Result(rd, needed, FlagKind.Add); return false;
                case Opcode.Sub: Binary(rs, rt, OpCodes.Sub); Result(rd, needed, FlagKind.Subtract); return false;
                case Opcode.And: Binary(rs, rt, OpCodes.And); Result(rd, needed, FlagKind.Logic); return false;
                case Opcode.Or: Binary(rs, rt, OpCodes.Or); Result(rd, needed, FlagKind.Logic); return false;
                case Opcode.Xor: Binary(rs, rt, OpCodes.Xor); Result(rd, needed, FlagKind.Logic); return false;
                case Opcode.Shl: Shift(rs, rt, OpCodes.Shl); Result(rd, needed, FlagKind.ZeroNegative); return false;
                case Opcode.Shr: Shift(rs, rt, OpCodes.Shr_Un); Result(rd, needed, FlagKind.ZeroNegative); return false;
                case Opcode.Sar: Shift(rs, rt, OpCodes.Shr); Result(rd, needed, FlagKind.ZeroNegative); return false;
                case Opcode.Mul: Binary(rs, rt, OpCodes.Mul); Result(rd, needed, FlagKind.ZeroNegative); return false;
                case Opcode.Div or Opcode.Divu or Opcode.Rem or Opcode.Remu:
                    {
                        var fault = il.DefineLabel();
                        var done = il.DefineLabel();
                        Get(rs); il.Emit(OpCodes.Stloc, a); Get(rt); il.Emit(OpCodes.Stloc, b);
                        il.Emit(OpCodes.Ldloc, b); il.Emit(OpCodes.Brfalse, fault);
                        var signed = w.Opcode is Opcode.Div or Opcode.Rem;
                        if (signed)
                        {
                            var fine = il.DefineLabel();
                            il.Emit(OpCodes.Ldloc, a); Constant(0x8000_0000); il.Emit(OpCodes.Bne_Un, fine);
                            il.Emit(OpCodes.Ldloc, b); Constant(0xFFFF_FFFF); il.Emit(OpCodes.Beq, fault);
                            il.MarkLabel(fine);
                        }
                        il.Emit(OpCodes.Ldloc, a); il.Emit(OpCodes.Ldloc, b);
                        il.Emit(w.Opcode switch { Opcode.Div => OpCodes.Div, Opcode.Divu => OpCodes.Div_Un, Opcode.Rem => OpCodes.Rem, _ => OpCodes.Rem_Un });
                        Set(rd);
                        il.Emit(OpCodes.Br, done);
                        il.MarkLabel(fault);
                        Exit(() => Constant(step.Pc), i, before, BlockExit.NeedsInterpreter);
                        il.MarkLabel(done);
                        return false;
                    }
                case Opcode.Cmp:
                    Get(rd); il.Emit(OpCodes.Stloc, a); Get(rs); il.Emit(OpCodes.Stloc, b);
                    il.Emit(OpCodes.Ldloc, a); il.Emit(OpCodes.Ldloc, b); il.Emit(OpCodes.Sub); il.Emit(OpCodes.Stloc, v);
                    Flags(needed, FlagKind.Subtract);
                    return false;
                case Opcode.Test:
                    Get(rd); Get(rs); il.Emit(OpCodes.And); il.Emit(OpCodes.Stloc, v);
                    Flags(needed, FlagKind.Logic);
                    return false;
                case Opcode.Addi: Immediate(rs, w.SignedImm16, OpCodes.Add); Result(rd, needed, FlagKind.Add); return false;
                case Opcode.Andi: Immediate(rs, w.Imm16, OpCodes.And); Result(rd, needed, FlagKind.Logic); return false;
                case Opcode.Ori: Immediate(rs, w.Imm16, OpCodes.Or); Result(rd, needed, FlagKind.Logic); return false;
                case Opcode.Xori: Immediate(rs, w.Imm16, OpCodes.Xor); Result(rd, needed, FlagKind.Logic); return false;
                case Opcode.Shli: Immediate(rs, (uint)w.ShiftCount, OpCodes.Shl); Result(rd, needed, FlagKind.ZeroNegative); return false;
                case Opcode.Shri: Immediate(rs, (uint)w.ShiftCount, OpCodes.Shr_Un); Result(rd, needed, FlagKind.ZeroNegative); return false;
                case Opcode.Sari: Immediate(rs, (uint)w.ShiftCount, OpCodes.Shr); Result(rd, needed, FlagKind.ZeroNegative); return false;
                case Opcode.Muli: Immediate(rs, w.SignedImm16, OpCodes.Mul); Result(rd, needed, FlagKind.ZeroNegative); return false;
                case Opcode.Cmpi:
                    Get(rd); il.Emit(OpCodes.Stloc, a); Constant(w.SignedImm16); il.Emit(OpCodes.Stloc, b);
                    il.Emit(OpCodes.Ldloc, a); il.Emit(OpCodes.Ldloc, b); il.Emit(OpCodes.Sub); il.Emit(OpCodes.Stloc, v);
                    Flags(needed, FlagKind.Subtract);
                    return false;

                case Opcode.Ld or Opcode.Ldb:
                    {
                        var size = w.Opcode == Opcode.Ld ? 4u : 1u;
                        Get(rs); Constant(w.SignedImm16); il.Emit(OpCodes.Add); il.Emit(OpCodes.Stloc, address);
                        var done = Access(step, i, before, size, write: false, accesses: 1, slowPathCall: translating);
                        LoadRam(size); Set(rd);
                        if (done is { } continued) il.MarkLabel(continued);
                        return false;
                    }
                case Opcode.St or Opcode.Stb:
                    {
                        var size = w.Opcode == Opcode.St ? 4u : 1u;
                        Get(rs); Constant(w.SignedImm16); il.Emit(OpCodes.Add); il.Emit(OpCodes.Stloc, address);
                        var done = Access(step, i, before, size, write: true, accesses: 1, slowPathCall: translating);
                        StoreRam(size, () => Get(rd));
                        if (done is { } continued) il.MarkLabel(continued);
                        return false;
                    }
                case Opcode.Xchg:
                    Get(rs); Constant(w.SignedImm16); il.Emit(OpCodes.Add); il.Emit(OpCodes.Stloc, address);
                    // A page the store may use, the load may read: one check serves both; the interpreter's two
                    // accesses are two TLB hits.
                    Access(step, i, before, 4, write: true, accesses: 2);
                    LoadRam(4); il.Emit(OpCodes.Stloc, v);
                    StoreRam(4, () => Get(rd));
                    il.Emit(OpCodes.Ldloc, v); Set(rd);
                    return false;
                case Opcode.Push:
                    Get(15); Constant(4); il.Emit(OpCodes.Sub); il.Emit(OpCodes.Stloc, address);
                    Access(step, i, before, 4, write: true, accesses: 1);
                    StoreRam(4, () => Get(rs));
                    il.Emit(OpCodes.Ldloc, address); Set(15);
                    return false;
                case Opcode.Pushf:
                    Get(15); Constant(4); il.Emit(OpCodes.Sub); il.Emit(OpCodes.Stloc, address);
                    Access(step, i, before, 4, write: true, accesses: 1);
                    StoreRam(4, () => il.Emit(OpCodes.Ldloc, flags));
                    il.Emit(OpCodes.Ldloc, address); Set(15);
                    return false;
                case Opcode.Pop:
                    Get(15); il.Emit(OpCodes.Stloc, address);
                    Access(step, i, before, 4, write: false, accesses: 1);
                    LoadRam(4); il.Emit(OpCodes.Stloc, v);
                    Get(15); Constant(4); il.Emit(OpCodes.Add); Set(15);
                    il.Emit(OpCodes.Ldloc, v); Set(rd);
                    return false;
                case Opcode.Call or Opcode.Callr:
                    {
                        if (w.Opcode == Opcode.Callr) { Get(rs); il.Emit(OpCodes.Stloc, a); }
                        Get(15); Constant(4); il.Emit(OpCodes.Sub); il.Emit(OpCodes.Stloc, address);
                        Access(step, i, before, 4, write: true, accesses: 1);
                        StoreRam(4, () => Constant(step.Next));
                        il.Emit(OpCodes.Ldloc, address); Set(15);
                        if (w.Opcode == Opcode.Callr)
                        {
                            Exit(() => il.Emit(OpCodes.Ldloc, a), i + 1, after, BlockExit.Completed);
                            return true;
                        }
                        if (step.Followed) return false;
                        Jump(step.Next + w.BranchOffset, i + 1, after);
                        return true;
                    }
                case Opcode.Ret:
                    {
                        Get(15); il.Emit(OpCodes.Stloc, address);
                        Access(step, i, before, 4, write: false, accesses: 1);
                        LoadRam(4); il.Emit(OpCodes.Stloc, v);
                        Get(15); Constant(4); il.Emit(OpCodes.Add); Set(15);
                        if (!step.HasExpectedReturn)
                        {
                            Exit(() => il.Emit(OpCodes.Ldloc, v), i + 1, after, BlockExit.Completed);
                            return true;
                        }
                        if (step.ExpectedReturn == start && last)
                        {
                            var elsewhere = il.DefineLabel();
                            il.Emit(OpCodes.Ldloc, v); Constant(start); il.Emit(OpCodes.Bne_Un, elsewhere);
                            Jump(start, i + 1, after);
                            il.MarkLabel(elsewhere);
                            Exit(() => il.Emit(OpCodes.Ldloc, v), i + 1, after, BlockExit.Completed);
                            return true;
                        }
                        var expected = il.DefineLabel();
                        il.Emit(OpCodes.Ldloc, v); Constant(step.ExpectedReturn); il.Emit(OpCodes.Beq, expected);
                        Exit(() => il.Emit(OpCodes.Ldloc, v), i + 1, after, BlockExit.Completed);
                        il.MarkLabel(expected);
                        if (last)
                        {
                            Exit(() => Constant(step.ExpectedReturn), i + 1, after, BlockExit.Completed);
                            return true;
                        }
                        return false;
                    }
                case Opcode.Invlpg:
                    {
                        // Ends the block: the page may be the one code is fetched from, and the dispatcher then
                        // fetches as the interpreter would.
                        var exiting = il.DefineLabel();
                        il.Emit(OpCodes.Ldarg_0); Get(rs); il.Emit(OpCodes.Call, InvalidatePageOf); il.Emit(OpCodes.Brfalse, exiting);
                        Exit(() => Constant(step.Next), i + 1, after, BlockExit.Completed);
                        il.MarkLabel(exiting);
                        Exit(() => Constant(step.Pc), i, before, BlockExit.NeedsInterpreter);
                        return true;
                    }
                case Opcode.Int:
                    {
                        // The interpreter counts the instruction, then delivers from the state: all of it goes back
                        // first, and the delivery sets the pc, the flags and the stack.
                        WriteBack(() => Constant(step.Pc), i + 1, after);
                        var exited = il.DefineLabel();
                        il.Emit(OpCodes.Ldarg_0); Constant((uint)w.Vector); Constant(step.Pc); il.Emit(OpCodes.Call, SoftwareInterruptOf);
                        il.Emit(OpCodes.Brtrue, exited);
                        il.Emit(OpCodes.Ldc_I4, (int)BlockExit.Completed); il.Emit(OpCodes.Ret);
                        il.MarkLabel(exited);
                        il.Emit(OpCodes.Ldc_I4, (int)BlockExit.Exited); il.Emit(OpCodes.Ret);
                        return true;
                    }
                case Opcode.Iret:
                    {
                        // The interpreter's own iret (three loads that may fault, the ring change) on the state.
                        WriteBack(() => Constant(step.Pc), i, after);
                        var done = il.DefineLabel();
                        il.Emit(OpCodes.Ldarg_0); Constant(step.Pc); il.Emit(OpCodes.Call, InterruptReturnOf);
                        il.Emit(OpCodes.Dup); il.Emit(OpCodes.Brfalse, done);
                        il.Emit(OpCodes.Ret); // Faulted (2) or Exited (3), as BlockExit
                        il.MarkLabel(done);
                        il.Emit(OpCodes.Pop);
                        il.Emit(OpCodes.Ldc_I4, (int)BlockExit.SliceEnded); il.Emit(OpCodes.Ret);
                        return true;
                    }
                case Opcode.Jmpr:
                    Get(rs); il.Emit(OpCodes.Stloc, a);
                    Exit(() => il.Emit(OpCodes.Ldloc, a), i + 1, after, BlockExit.Completed);
                    return true;
                case Opcode.Jmp:
                    if (step.Followed) return false;
                    Jump(step.Next + w.BranchOffset, i + 1, after);
                    return true;
                case >= Opcode.Je and <= Opcode.Jns:
                    {
                        var taken = il.DefineLabel();
                        Condition(w.Opcode, taken);
                        Exit(() => Constant(step.Next), i + 1, after, BlockExit.Completed);
                        il.MarkLabel(taken);
                        Jump(step.Next + w.BranchOffset, i + 1, after);
                        return true;
                    }
                default:
                    throw new InvalidOperationException($"{w.Opcode} at 0x{step.Pc:x8} cannot be translated; the trace ends before it");
            }
        }

        // Branches to `taken` when the condition holds, from the flags local (the interpreter's tests).
        private void Condition(Opcode op, Label taken)
        {
            void Bit(uint mask) { il.Emit(OpCodes.Ldloc, flags); Constant(mask); il.Emit(OpCodes.And); }
            void SignDiffersFromOverflow()
            {
                il.Emit(OpCodes.Ldloc, flags); Constant(7); il.Emit(OpCodes.Shr_Un);
                il.Emit(OpCodes.Ldloc, flags); Constant(11); il.Emit(OpCodes.Shr_Un);
                il.Emit(OpCodes.Xor); Constant(1); il.Emit(OpCodes.And);
            }
            switch (op)
            {
                case Opcode.Je: Bit(Cpu.Flags.Z); il.Emit(OpCodes.Brtrue, taken); break;
                case Opcode.Jne: Bit(Cpu.Flags.Z); il.Emit(OpCodes.Brfalse, taken); break;
                case Opcode.Jl: SignDiffersFromOverflow(); il.Emit(OpCodes.Brtrue, taken); break;
                case Opcode.Jge: SignDiffersFromOverflow(); il.Emit(OpCodes.Brfalse, taken); break;
                case Opcode.Jle: Bit(Cpu.Flags.Z); il.Emit(OpCodes.Brtrue, taken); SignDiffersFromOverflow(); il.Emit(OpCodes.Brtrue, taken); break;
                case Opcode.Jg:
                    {
                        var not = il.DefineLabel();
                        Bit(Cpu.Flags.Z); il.Emit(OpCodes.Brtrue, not); SignDiffersFromOverflow(); il.Emit(OpCodes.Brfalse, taken);
                        il.MarkLabel(not);
                        break;
                    }
                case Opcode.Jb: Bit(Cpu.Flags.C); il.Emit(OpCodes.Brtrue, taken); break;
                case Opcode.Jae: Bit(Cpu.Flags.C); il.Emit(OpCodes.Brfalse, taken); break;
                case Opcode.Jbe: Bit(Cpu.Flags.C | Cpu.Flags.Z); il.Emit(OpCodes.Brtrue, taken); break;
                case Opcode.Ja: Bit(Cpu.Flags.C | Cpu.Flags.Z); il.Emit(OpCodes.Brfalse, taken); break;
                case Opcode.Js: Bit(Cpu.Flags.N); il.Emit(OpCodes.Brtrue, taken); break;
                case Opcode.Jns: Bit(Cpu.Flags.N); il.Emit(OpCodes.Brfalse, taken); break;
            }
        }

        // A jump to a constant target at the end of the block. Back to the block's own start, the pass's counters
        // go to the locals and, while the bounds leave room for another whole pass, the code runs again in place,
        // registers still in locals: the dispatcher would enter it again under exactly that condition.
        private void Jump(uint target, int retired, ulong charged)
        {
            if (target != start)
            {
                Exit(() => Constant(target), retired, charged, BlockExit.Completed);
                return;
            }
            il.Emit(OpCodes.Ldloc, instructions); il.Emit(OpCodes.Ldc_I8, (long)retired); il.Emit(OpCodes.Add); il.Emit(OpCodes.Stloc, instructions);
            il.Emit(OpCodes.Ldloc, cycles); il.Emit(OpCodes.Ldc_I8, (long)charged); il.Emit(OpCodes.Add); il.Emit(OpCodes.Stloc, cycles);
            var leave = il.DefineLabel();
            // instructions + length <= stopInstructions
            il.Emit(OpCodes.Ldloc, instructions); il.Emit(OpCodes.Ldc_I8, (long)steps.Count); il.Emit(OpCodes.Add);
            il.Emit(OpCodes.Ldarg_3); il.Emit(OpCodes.Bgt_Un, leave);
            // cycles + (cost before the last instruction) < stopCycles
            ulong beforeLast = 0;
            for (var i = 0; i < steps.Count - 1; i++) beforeLast += steps[i].Cost;
            il.Emit(OpCodes.Ldloc, cycles); il.Emit(OpCodes.Ldc_I8, (long)beforeLast); il.Emit(OpCodes.Add);
            il.Emit(OpCodes.Ldarg, 4); il.Emit(OpCodes.Blt_Un, top);
            il.MarkLabel(leave);
            Exit(() => Constant(start), 0, 0, BlockExit.Completed);
        }

        /// <summary>The interpreter's fast-path test for an access at <c>address</c>, leaving the RAM index in
        /// <c>index</c>; the block leaves before the instruction when it fails.</summary>
        // With paging on, a load or store whose fast path fails (mostly a TLB miss) calls the slow path from the
        // block; with it off, the fast path fails only off the RAM window (a device), rarely, and the block leaves
        // instead: the call site's code, in every access of a copy loop, cost that loop about 7 %.
        private Label? Access(Step step, int i, ulong before, uint size, bool write, int accesses, bool slowPathCall = false)
        {
            var slow = il.DefineLabel();
            var fast = il.DefineLabel();
            var nearCode = slowPathCall ? il.DefineLabel() : slow;
            if (!translating)
            {
                il.Emit(OpCodes.Ldloc, address); il.Emit(OpCodes.Ldloc, windowSize!); Constant(size); il.Emit(OpCodes.Sub);
                il.Emit(OpCodes.Bgt_Un, slow);
                // windowSize < size wraps above: the interpreter's test `va <= windowSize - size` wraps the same way.
                il.Emit(OpCodes.Ldloc, windowBase!); il.Emit(OpCodes.Ldloc, address); il.Emit(OpCodes.Add); il.Emit(OpCodes.Stloc, index);
            }
            else
            {
                var slot = v; // reused: v is not live across an access
                var vpn = b;
                il.Emit(OpCodes.Ldloc, address); Constant(12); il.Emit(OpCodes.Shr_Un); il.Emit(OpCodes.Stloc, vpn);
                il.Emit(OpCodes.Ldloc, vpn); Constant(63); il.Emit(OpCodes.And); il.Emit(OpCodes.Stloc, slot);
                il.Emit(OpCodes.Ldloc, tlbTag!); il.Emit(OpCodes.Ldloc, slot); il.Emit(OpCodes.Ldelem_U4);
                il.Emit(OpCodes.Ldloc, vpn); Constant(1); il.Emit(OpCodes.Add); il.Emit(OpCodes.Bne_Un, slow);
                var user = ring == 3 ? 1 : 0;
                var need = write ? 2 << user : user;
                if (need != 0)
                {
                    il.Emit(OpCodes.Ldloc, tlbPerm!); il.Emit(OpCodes.Ldloc, slot); il.Emit(OpCodes.Ldelem_U1);
                    Constant((uint)need); il.Emit(OpCodes.And); Constant((uint)need); il.Emit(OpCodes.Bne_Un, slow);
                }
                il.Emit(OpCodes.Ldloc, address); Constant(0xFFF); il.Emit(OpCodes.And); Constant(0x1000 - size); il.Emit(OpCodes.Bgt_Un, slow);
                il.Emit(OpCodes.Ldloc, tlbFrame!); il.Emit(OpCodes.Ldloc, slot); il.Emit(OpCodes.Ldelem_I4);
                il.Emit(OpCodes.Ldloc, address); Constant(0xFFF); il.Emit(OpCodes.And); il.Emit(OpCodes.Add); il.Emit(OpCodes.Stloc, index);
            }
            if (write)
            {
                // A store near translated code goes to the interpreter; the dispatcher then checks every block
                // against memory before it runs again.
                il.Emit(OpCodes.Ldloc, codeMap!); il.Emit(OpCodes.Ldloc, index); Constant(TranslationCache.LineShift); il.Emit(OpCodes.Shr_Un);
                il.Emit(OpCodes.Ldelem_U1); il.Emit(OpCodes.Brtrue, nearCode);
            }
            if (translating)
            {
                il.Emit(OpCodes.Ldloc, hits); il.Emit(OpCodes.Ldc_I8, (long)accesses); il.Emit(OpCodes.Add); il.Emit(OpCodes.Stloc, hits);
            }
            il.Emit(OpCodes.Br, fast);
            il.MarkLabel(slow);
            Label? done = null;
            if (slowPathCall)
            {
                done = il.DefineLabel();
                SlowAccess(step, i, before, size, write, done.Value);
                il.MarkLabel(nearCode);
            }
            Exit(() => Constant(step.Pc), i, before, BlockExit.NeedsInterpreter);
            il.MarkLabel(fast);
            return done;
        }

        /// <summary>
        /// The slow path of a load or store, done by the interpreter's own code from inside the block (a TLB miss
        /// then costs a page walk, not a round trip through the dispatcher): the state and the counters up to
        /// this instruction's issue and access cost go back first, as the interpreter would have them when it
        /// walks; the counters come back into the locals after. A fault or a pending exit leaves with the state
        /// as the slow path left it; a store that landed near translated code leaves after the instruction.
        /// </summary>
        private void SlowAccess(Step step, int i, ulong before, uint size, bool write, Label done)
        {
            var w = step.Word;
            var charged = before + step.Cost;
            WriteBack(() => Constant(step.Pc), i, charged);
            il.Emit(OpCodes.Ldarg_0); il.Emit(OpCodes.Ldloc, address); Constant(size);
            if (write)
            {
                Get(w.Rd); Constant(step.Pc); il.Emit(OpCodes.Call, SlowStore);
            }
            else
            {
                // Its own local: a local whose address is taken stays in memory, and v is the block's busiest.
                slowValue ??= il.DeclareLocal(typeof(uint));
                il.Emit(OpCodes.Ldc_I4, w.Rd); Constant(step.Pc); il.Emit(OpCodes.Ldloca, slowValue); il.Emit(OpCodes.Call, SlowLoad);
            }
            il.Emit(OpCodes.Stloc, index);
            var goOn = il.DefineLabel();
            var stop = il.DefineLabel();
            il.Emit(OpCodes.Ldloc, index); Constant(Core.SlowAccessDoneLeave); il.Emit(OpCodes.Bgt_Un, stop);
            il.Emit(OpCodes.Ldarg_2); il.Emit(OpCodes.Ldfld, CountCycles); il.Emit(OpCodes.Ldc_I8, (long)charged); il.Emit(OpCodes.Sub); il.Emit(OpCodes.Stloc, cycles);
            if (translating && tlbTag is not null)
            {
                il.Emit(OpCodes.Ldarg_2); il.Emit(OpCodes.Ldfld, CountTlbHits); il.Emit(OpCodes.Stloc, hits);
            }
            if (!write)
            {
                il.Emit(OpCodes.Ldloc, slowValue!); Set(w.Rd);
            }
            var leave = il.DefineLabel();
            il.Emit(OpCodes.Ldloc, index); il.Emit(OpCodes.Brtrue, leave);
            // The block was entered because, at fast-path costs, its last instruction starts before the cycle
            // bound (the timer's deadline). The walk charged more: the rest of the block runs only if that still
            // holds; otherwise the dispatcher goes on from the next instruction, as the interpreter would stop at
            // the bound between two instructions.
            ulong beforeLast = 0;
            for (var k = 0; k < steps.Count - 1; k++) beforeLast += steps[k].Cost;
            il.Emit(OpCodes.Ldloc, cycles); il.Emit(OpCodes.Ldc_I8, (long)beforeLast); il.Emit(OpCodes.Add);
            il.Emit(OpCodes.Ldarg, 4); il.Emit(OpCodes.Blt_Un, done);
            il.MarkLabel(leave);
            Exit(() => Constant(step.Next), i + 1, charged, BlockExit.Completed);
            il.MarkLabel(stop);
            // Faulted (2) and Exited (3) are BlockExit.Faulted and BlockExit.Exited: everything is in the state.
            il.Emit(OpCodes.Ldloc, index); il.Emit(OpCodes.Ret);
        }

        private void RamAddress()
        {
            il.Emit(OpCodes.Ldloc, ram); il.Emit(OpCodes.Ldloc, index); il.Emit(OpCodes.Conv_U); il.Emit(OpCodes.Add);
        }

        private void LoadRam(uint size)
        {
            RamAddress();
            if (size == 4)
            {
                il.Emit(OpCodes.Unaligned, (byte)1); il.Emit(OpCodes.Ldind_U4);
            }
            else
            {
                il.Emit(OpCodes.Ldind_U1);
            }
        }

        private void StoreRam(uint size, Action value)
        {
            RamAddress();
            value();
            if (size == 4)
            {
                il.Emit(OpCodes.Unaligned, (byte)1); il.Emit(OpCodes.Stind_I4);
            }
            else
            {
                il.Emit(OpCodes.Stind_I1);
            }
        }

        private enum FlagKind { ZeroNegative, Logic, Add, Subtract }

        private void Binary(int rs, int rt, OpCode operation)
        {
            Get(rs); il.Emit(OpCodes.Stloc, a); Get(rt); il.Emit(OpCodes.Stloc, b);
            il.Emit(OpCodes.Ldloc, a); il.Emit(OpCodes.Ldloc, b); il.Emit(operation); il.Emit(OpCodes.Stloc, v);
        }

        private void Shift(int rs, int rt, OpCode operation)
        {
            Get(rs); Get(rt); Constant(31); il.Emit(OpCodes.And); il.Emit(operation); il.Emit(OpCodes.Stloc, v);
        }

        private void Immediate(int rs, uint immediate, OpCode operation)
        {
            Get(rs); il.Emit(OpCodes.Stloc, a); Constant(immediate); il.Emit(OpCodes.Stloc, b);
            il.Emit(OpCodes.Ldloc, a); il.Emit(OpCodes.Ldloc, b); il.Emit(operation); il.Emit(OpCodes.Stloc, v);
        }

        // rd = v, then the flags of v (operands in a and b) if anyone reads them.
        private void Result(int rd, int needed, FlagKind kind)
        {
            il.Emit(OpCodes.Ldloc, v); Set(rd);
            Flags(needed, kind);
        }

        // The interpreter's ZeroNegative, LogicFlags, AddFlags and SubtractFlags, on the flags local.
        private void Flags(int needed, FlagKind kind)
        {
            if (needed == 0) return;
            var keep = kind == FlagKind.ZeroNegative ? ~(Cpu.Flags.Z | Cpu.Flags.N) : ~Cpu.Flags.Arithmetic;
            il.Emit(OpCodes.Ldloc, flags); Constant(keep); il.Emit(OpCodes.And);
            // Z
            il.Emit(OpCodes.Ldloc, v); Constant(0); il.Emit(OpCodes.Ceq); Constant(6); il.Emit(OpCodes.Shl); il.Emit(OpCodes.Or);
            // N
            il.Emit(OpCodes.Ldloc, v); Constant(24); il.Emit(OpCodes.Shr_Un); Constant(Cpu.Flags.N); il.Emit(OpCodes.And); il.Emit(OpCodes.Or);
            if (kind == FlagKind.Add)
            {
                il.Emit(OpCodes.Ldloc, v); il.Emit(OpCodes.Ldloc, a); il.Emit(OpCodes.Clt_Un); il.Emit(OpCodes.Or);
                il.Emit(OpCodes.Ldloc, a); il.Emit(OpCodes.Ldloc, v); il.Emit(OpCodes.Xor);
                il.Emit(OpCodes.Ldloc, b); il.Emit(OpCodes.Ldloc, v); il.Emit(OpCodes.Xor);
                il.Emit(OpCodes.And); Constant(31); il.Emit(OpCodes.Shr_Un); Constant(11); il.Emit(OpCodes.Shl); il.Emit(OpCodes.Or);
            }
            else if (kind == FlagKind.Subtract)
            {
                il.Emit(OpCodes.Ldloc, a); il.Emit(OpCodes.Ldloc, b); il.Emit(OpCodes.Clt_Un); il.Emit(OpCodes.Or);
                il.Emit(OpCodes.Ldloc, a); il.Emit(OpCodes.Ldloc, b); il.Emit(OpCodes.Xor);
                il.Emit(OpCodes.Ldloc, a); il.Emit(OpCodes.Ldloc, v); il.Emit(OpCodes.Xor);
                il.Emit(OpCodes.And); Constant(31); il.Emit(OpCodes.Shr_Un); Constant(11); il.Emit(OpCodes.Shl); il.Emit(OpCodes.Or);
            }
            il.Emit(OpCodes.Stloc, flags);
        }

        // Leaves the block: registers and flags back to the state, the pc, the counters, the result. `retired`
        // instructions and `charged` cycles of this pass are added to the locals' values.
        private void Exit(Action pc, int retired, ulong charged, BlockExit result)
        {
            WriteBack(pc, retired, charged);
            il.Emit(OpCodes.Ldc_I4, (int)result);
            il.Emit(OpCodes.Ret);
        }

        // Registers, flags, the pc and the counters back to the core, as Exit leaves them.
        private void WriteBack(Action pc, int retired, ulong charged)
        {
            for (var r = 0; r < 16; r++)
            {
                if (!written[r]) continue;
                RegisterAddress(r);
                il.Emit(OpCodes.Ldloc, registers[r]!);
                il.Emit(OpCodes.Stind_I4);
            }
            if (flagsWritten)
            {
                il.Emit(OpCodes.Ldarg_1); il.Emit(OpCodes.Ldloc, flags); il.Emit(OpCodes.Stfld, StateFlags);
            }
            il.Emit(OpCodes.Ldarg_1); pc(); il.Emit(OpCodes.Stfld, StatePc);
            il.Emit(OpCodes.Ldarg_2); il.Emit(OpCodes.Ldloc, instructions);
            if (retired != 0) { il.Emit(OpCodes.Ldc_I8, (long)retired); il.Emit(OpCodes.Add); }
            il.Emit(OpCodes.Stfld, CountInstructions);
            il.Emit(OpCodes.Ldarg_2); il.Emit(OpCodes.Ldloc, cycles);
            if (charged != 0) { il.Emit(OpCodes.Ldc_I8, (long)charged); il.Emit(OpCodes.Add); }
            il.Emit(OpCodes.Stfld, CountCycles);
            if (translating && tlbTag is not null)
            {
                il.Emit(OpCodes.Ldarg_2); il.Emit(OpCodes.Ldloc, hits); il.Emit(OpCodes.Stfld, CountTlbHits);
            }
        }

        private void Get(int r) => il.Emit(OpCodes.Ldloc, registers[r]!);

        private void Set(int r) => il.Emit(OpCodes.Stloc, registers[r]!);

        private void Constant(uint value) => il.Emit(OpCodes.Ldc_I4, unchecked((int)value));

        private void RegisterAddress(int r)
        {
            il.Emit(OpCodes.Ldarg_1);
            il.Emit(OpCodes.Ldflda, StateRegisters);
            il.Emit(OpCodes.Ldflda, Register0);
            if (r != 0) { il.Emit(OpCodes.Ldc_I4, r * 4); il.Emit(OpCodes.Add); }
        }
    }
}
