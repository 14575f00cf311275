using System.Runtime.CompilerServices;
using VirtualizationWorkbench.Machine.Cpu;
using VirtualizationWorkbench.Machine.Memory;
using VirtualizationWorkbench.Machine.Virtualization;

namespace VirtualizationWorkbench.Machine;

/// <summary>The decode/execute loop: one switch on the opcode, state in plain fields, no allocation.</summary>
public sealed partial class Core
{
    /// <summary>
    /// Executes instructions until <paramref name="stopInstructions"/> instructions or
    /// <paramref name="stopCycles"/> cycles have been counted, or something needs attention. Returns true when
    /// an exit for the host is pending (<see cref="pendingExit"/>), false when the caller should check
    /// interrupts, the timer and the budget and call again. An instruction that changes what may interrupt
    /// (sti, popf, iret, control registers, port I/O) ends the slice by zeroing <paramref name="stopCycles"/>.
    /// When it returns false, <see cref="instructionsRanOut"/> says whether nothing but
    /// <paramref name="stopInstructions"/> ended the call: no instruction ended the slice, the cycle bound was not
    /// reached, the core did not halt.
    /// </summary>
    private bool Execute<THooks>(ref THooks hooks, ulong stopInstructions, ulong stopCycles) where THooks : struct, IExecutionHooks
    {
        // A field, written once per call, rather than an out parameter: a byref live across the loop takes a
        // register the loop needs (the counters then live on the stack, one more load per instruction).
        instructionsRanOut = false;
        ref var s = ref state;
        var c = Counters;
        var cost = opCost;
        int r;
        while (c.Instructions < stopInstructions && c.Cycles < stopCycles)
        {
            var pc = s.Pc;
            if (hooks.StopBefore(this, pc, out var hookReason))
            {
                Leave(new RunExit { Reason = hookReason, Pc = pc });
                return true;
            }
            InstructionWord w;
            if (TryFastFetch(pc, out var fetchAt))
            {
                w = new InstructionWord(ReadRam(fetchAt));
            }
            else
            {
                r = FetchSlow(pc, out var fetched);
                if (r != Ok) goto Outcome;
                w = new InstructionWord(fetched);
            }

            var op = w.Opcode;
            var rd = w.Rd;
            var rs = w.Rs;
            var next = pc + 4;
            uint a, b, v;
            c.Cycles += cost[(int)op];

            switch (op)
            {
                case Opcode.Nop:
                    break;

                // ---- system and privileged ----
                case Opcode.Hlt:
                    if (s.Cpl != 0) goto Privileged;
                    if (nonRoot && vmcs!.HltExiting) return VmExitNow(VmExitReason.Hlt, 0, pc, 4);
                    s.Pc = next;
                    c.Instructions++;
                    halted = true;
                    return false;
                case Opcode.Cli:
                    if (s.Cpl != 0) goto Privileged;
                    s.Flags &= ~Flags.IF;
                    break;
                case Opcode.Sti:
                    if (s.Cpl != 0) goto Privileged;
                    s.Flags |= Flags.IF;
                    stopCycles = 0;
                    break;
                case Opcode.Pushf:
                    r = Store(s.R[15] - 4, 4, s.Flags, pc, next);
                    if (r != Ok) goto Outcome;
                    s.R[15] -= 4;
                    break;
                case Opcode.Popf:
                    r = Load(s.R[15], 4, -1, pc, next, out v);
                    if (r != Ok) goto Outcome;
                    s.R[15] += 4;
                    // The sensitive-but-unprivileged behaviour: outside ring 0 the interrupt flag is silently
                    // kept, so a deprivileged kernel that restores IF with popf never gets interrupts back.
                    var writable = s.Cpl == 0 ? Flags.PopfWritable : Flags.Arithmetic;
                    s.Flags = (s.Flags & ~writable) | (v & writable);
                    stopCycles = 0;
                    break;
                case Opcode.Iret:
                    if (s.Cpl != 0) goto Privileged;
                    r = InterruptReturn(pc, out next);
                    if (r != Ok) goto Outcome;
                    stopCycles = 0;
                    break;
                case Opcode.Brk:
                    c.Instructions++;
                    if (!nonRoot && (InterceptedExceptions & (1u << (int)ExceptionVector.Breakpoint)) == 0 && !HasGate(ExceptionVector.Breakpoint))
                    {
                        // No handler: act as if a debugger were attached rather than triple-faulting.
                        s.Pc = next;
                        Leave(new RunExit { Reason = ExitReason.Breakpoint, Pc = pc, PcAdvanced = true, Message = "brk with no breakpoint handler installed" });
                        return true;
                    }
                    if (DeliverException(ExceptionVector.Breakpoint, 0, pc, next, software: false)) return true;
                    continue;
                case Opcode.Int:
                    c.Instructions++;
                    if (DeliverException((ExceptionVector)w.Vector, 0, pc, next, software: true)) return true;
                    continue;
                case Opcode.Vmcall:
                    if (nonRoot) return VmExitNow(VmExitReason.Vmcall, s.R[0], pc, 4);
                    s.Pc = next;
                    c.Instructions++;
                    Leave(new RunExit { Reason = ExitReason.Hypercall, Pc = pc, PcAdvanced = true, HypercallNumber = s.R[0] });
                    return true;
                case Opcode.Invtlb:
                    if (s.Cpl != 0) goto Privileged;
                    FlushTlb();
                    break;
                case Opcode.Getcpl:
                    s.R[rd] = (uint)s.Cpl;
                    break;
                case Opcode.Sidt:
                    if (nonRoot && vmcs!.DescriptorTableExiting) return VmExitNow(VmExitReason.DescriptorTableAccess, (uint)rd << 20, pc, 4);
                    s.R[rd] = s.Idtr;
                    break;
                case Opcode.Smsw:
                    s.R[rd] = s.Cr0 & 0xFFFF;
                    break;
                case Opcode.Lidt:
                    if (s.Cpl != 0) goto Privileged;
                    if (nonRoot && vmcs!.DescriptorTableExiting) return VmExitNow(VmExitReason.DescriptorTableAccess, 0x100 | (uint)rs << 20, pc, 4);
                    s.Idtr = s.R[rs];
                    break;
                case Opcode.Invlpg:
                    if (s.Cpl != 0) goto Privileged;
                    if (nonRoot && vmcs!.InvlpgExiting) return VmExitNow(VmExitReason.Invlpg, s.R[rs], pc, 4);
                    InvalidatePage(s.R[rs]);
                    break;
                case Opcode.Mtcr:
                    if (s.Cpl != 0) goto Privileged;
                    if (!ControlRegister.Exists(rd)) goto Invalid;
                    if (nonRoot && (vmcs!.ControlRegisterWriteExiting & (1u << rd)) != 0)
                    {
                        return VmExitNow(VmExitReason.ControlRegisterAccess, (uint)rd | 0x100 | (uint)rs << 20, pc, 4);
                    }
                    WriteControlRegister(rd, s.R[rs]);
                    stopCycles = 0;
                    break;
                case Opcode.Mfcr:
                    if (s.Cpl != 0) goto Privileged;
                    if (!ControlRegister.Exists(rs)) goto Invalid;
                    if (nonRoot && (vmcs!.ControlRegisterReadExiting & (1u << rs)) != 0)
                    {
                        return VmExitNow(VmExitReason.ControlRegisterAccess, (uint)rs | (uint)rd << 20, pc, 4);
                    }
                    s.R[rd] = ReadControlRegister(rs);
                    break;
                case Opcode.In:
                    if (s.Cpl != 0) goto Privileged;
                    if (nonRoot && (vmcs!.UnconditionalIoExiting || vmcs.ExitingPorts.Contains(w.Imm16)))
                    {
                        return VmExitNow(VmExitReason.IoInstruction, w.Imm16 | (uint)rd << 20, pc, 4);
                    }
                    if (PortIn(w.Imm16, rd, pc, next)) return true;
                    stopCycles = 0;
                    break;
                case Opcode.Out:
                    if (s.Cpl != 0) goto Privileged;
                    if (nonRoot && (vmcs!.UnconditionalIoExiting || vmcs.ExitingPorts.Contains(w.Imm16)))
                    {
                        return VmExitNow(VmExitReason.IoInstruction, w.Imm16 | 0x10000 | (uint)rs << 20, pc, 4);
                    }
                    if (PortOut(w.Imm16, s.R[rs], pc, next)) return true;
                    stopCycles = 0;
                    break;
                case Opcode.Cpuid:
                    s.R[rd] = (uint)Index;
                    break;
                case Opcode.Rdcycle:
                    s.R[rd] = (uint)c.Cycles;
                    break;

                // ---- stack, calls, exchange ----
                case Opcode.Xchg:
                    a = s.R[rs] + w.SignedImm16;
                    r = Load(a, 4, -1, pc, next, out v);
                    if (r == Ok) r = Store(a, 4, s.R[rd], pc, next);
                    if (r != Ok) goto Outcome;
                    s.R[rd] = v;
                    break;
                case Opcode.Push:
                    r = Store(s.R[15] - 4, 4, s.R[rs], pc, next);
                    if (r != Ok) goto Outcome;
                    s.R[15] -= 4;
                    break;
                case Opcode.Pop:
                    r = Load(s.R[15], 4, -1, pc, next, out v);
                    if (r != Ok) goto Outcome;
                    s.R[15] += 4;
                    s.R[rd] = v;
                    break;
                case Opcode.Callr:
                    a = s.R[rs];
                    r = Store(s.R[15] - 4, 4, next, pc, next);
                    if (r != Ok) goto Outcome;
                    s.R[15] -= 4;
                    next = a;
                    break;
                case Opcode.Jmpr:
                    next = s.R[rs];
                    break;
                case Opcode.Call:
                    r = Store(s.R[15] - 4, 4, next, pc, next);
                    if (r != Ok) goto Outcome;
                    s.R[15] -= 4;
                    next += w.BranchOffset;
                    break;
                case Opcode.Ret:
                    r = Load(s.R[15], 4, -1, pc, next, out v);
                    if (r != Ok) goto Outcome;
                    s.R[15] += 4;
                    next = v;
                    break;

                // ---- moves and arithmetic ----
                case Opcode.Mov:
                    s.R[rd] = s.R[rs];
                    break;
                case Opcode.Li:
                    if (TryFastFetch(next, out var immAt))
                    {
                        v = ReadRam(immAt);
                    }
                    else
                    {
                        r = FetchSlow(next, out v);
                        if (r != Ok) goto Outcome;
                    }
                    s.R[rd] = v;
                    next += 4;
                    break;
                case Opcode.Not:
                    v = ~s.R[rs];
                    s.R[rd] = v;
                    s.Flags = ZeroNegative(s.Flags, v);
                    break;
                case Opcode.Neg:
                    b = s.R[rs];
                    v = 0 - b;
                    s.R[rd] = v;
                    s.Flags = SubtractFlags(s.Flags, 0, b, v);
                    break;
                case Opcode.Add:
                    a = s.R[rs]; b = s.R[w.Rt]; v = a + b;
                    s.R[rd] = v;
                    s.Flags = AddFlags(s.Flags, a, b, v);
                    break;
                case Opcode.Sub:
                    a = s.R[rs]; b = s.R[w.Rt]; v = a - b;
                    s.R[rd] = v;
                    s.Flags = SubtractFlags(s.Flags, a, b, v);
                    break;
                case Opcode.And:
                    v = s.R[rs] & s.R[w.Rt];
                    s.R[rd] = v;
                    s.Flags = LogicFlags(s.Flags, v);
                    break;
                case Opcode.Or:
                    v = s.R[rs] | s.R[w.Rt];
                    s.R[rd] = v;
                    s.Flags = LogicFlags(s.Flags, v);
                    break;
                case Opcode.Xor:
                    v = s.R[rs] ^ s.R[w.Rt];
                    s.R[rd] = v;
                    s.Flags = LogicFlags(s.Flags, v);
                    break;
                case Opcode.Shl:
                    v = s.R[rs] << (int)(s.R[w.Rt] & 31);
                    s.R[rd] = v;
                    s.Flags = ZeroNegative(s.Flags, v);
                    break;
                case Opcode.Shr:
                    v = s.R[rs] >> (int)(s.R[w.Rt] & 31);
                    s.R[rd] = v;
                    s.Flags = ZeroNegative(s.Flags, v);
                    break;
                case Opcode.Sar:
                    v = (uint)((int)s.R[rs] >> (int)(s.R[w.Rt] & 31));
                    s.R[rd] = v;
                    s.Flags = ZeroNegative(s.Flags, v);
                    break;
                case Opcode.Mul:
                    v = s.R[rs] * s.R[w.Rt];
                    s.R[rd] = v;
                    s.Flags = ZeroNegative(s.Flags, v);
                    break;
                case Opcode.Div:
                    a = s.R[rs]; b = s.R[w.Rt];
                    if (b == 0 || (a == 0x8000_0000 && b == 0xFFFF_FFFF)) goto DivideError;
                    s.R[rd] = (uint)((int)a / (int)b);
                    break;
                case Opcode.Divu:
                    b = s.R[w.Rt];
                    if (b == 0) goto DivideError;
                    s.R[rd] = s.R[rs] / b;
                    break;
                case Opcode.Rem:
                    a = s.R[rs]; b = s.R[w.Rt];
                    if (b == 0 || (a == 0x8000_0000 && b == 0xFFFF_FFFF)) goto DivideError;
                    s.R[rd] = (uint)((int)a % (int)b);
                    break;
                case Opcode.Remu:
                    b = s.R[w.Rt];
                    if (b == 0) goto DivideError;
                    s.R[rd] = s.R[rs] % b;
                    break;
                case Opcode.Cmp:
                    a = s.R[rd]; b = s.R[rs];
                    s.Flags = SubtractFlags(s.Flags, a, b, a - b);
                    break;
                case Opcode.Test:
                    s.Flags = LogicFlags(s.Flags, s.R[rd] & s.R[rs]);
                    break;
                case Opcode.Addi:
                    a = s.R[rs]; b = w.SignedImm16; v = a + b;
                    s.R[rd] = v;
                    s.Flags = AddFlags(s.Flags, a, b, v);
                    break;
                case Opcode.Andi:
                    v = s.R[rs] & w.Imm16;
                    s.R[rd] = v;
                    s.Flags = LogicFlags(s.Flags, v);
                    break;
                case Opcode.Ori:
                    v = s.R[rs] | w.Imm16;
                    s.R[rd] = v;
                    s.Flags = LogicFlags(s.Flags, v);
                    break;
                case Opcode.Xori:
                    v = s.R[rs] ^ w.Imm16;
                    s.R[rd] = v;
                    s.Flags = LogicFlags(s.Flags, v);
                    break;
                case Opcode.Shli:
                    v = s.R[rs] << w.ShiftCount;
                    s.R[rd] = v;
                    s.Flags = ZeroNegative(s.Flags, v);
                    break;
                case Opcode.Shri:
                    v = s.R[rs] >> w.ShiftCount;
                    s.R[rd] = v;
                    s.Flags = ZeroNegative(s.Flags, v);
                    break;
                case Opcode.Sari:
                    v = (uint)((int)s.R[rs] >> w.ShiftCount);
                    s.R[rd] = v;
                    s.Flags = ZeroNegative(s.Flags, v);
                    break;
                case Opcode.Muli:
                    v = s.R[rs] * w.SignedImm16;
                    s.R[rd] = v;
                    s.Flags = ZeroNegative(s.Flags, v);
                    break;
                case Opcode.Cmpi:
                    a = s.R[rd]; b = w.SignedImm16;
                    s.Flags = SubtractFlags(s.Flags, a, b, a - b);
                    break;

                // ---- loads and stores ----
                case Opcode.Ld:
                    r = Load(s.R[rs] + w.SignedImm16, 4, rd, pc, next, out v);
                    if (r != Ok) goto Outcome;
                    s.R[rd] = v;
                    break;
                case Opcode.Ldb:
                    r = Load(s.R[rs] + w.SignedImm16, 1, rd, pc, next, out v);
                    if (r != Ok) goto Outcome;
                    s.R[rd] = v;
                    break;
                case Opcode.St:
                    r = Store(s.R[rs] + w.SignedImm16, 4, s.R[rd], pc, next);
                    if (r != Ok) goto Outcome;
                    break;
                case Opcode.Stb:
                    r = Store(s.R[rs] + w.SignedImm16, 1, s.R[rd], pc, next);
                    if (r != Ok) goto Outcome;
                    break;

                // ---- branches (x86 condition codes) ----
                case Opcode.Jmp:
                    next += w.BranchOffset;
                    break;
                case Opcode.Je:
                    if ((s.Flags & Flags.Z) != 0) next += w.BranchOffset;
                    break;
                case Opcode.Jne:
                    if ((s.Flags & Flags.Z) == 0) next += w.BranchOffset;
                    break;
                case Opcode.Jl:
                    if (SignDiffersFromOverflow(s.Flags)) next += w.BranchOffset;
                    break;
                case Opcode.Jge:
                    if (!SignDiffersFromOverflow(s.Flags)) next += w.BranchOffset;
                    break;
                case Opcode.Jle:
                    if ((s.Flags & Flags.Z) != 0 || SignDiffersFromOverflow(s.Flags)) next += w.BranchOffset;
                    break;
                case Opcode.Jg:
                    if ((s.Flags & Flags.Z) == 0 && !SignDiffersFromOverflow(s.Flags)) next += w.BranchOffset;
                    break;
                case Opcode.Jb:
                    if ((s.Flags & Flags.C) != 0) next += w.BranchOffset;
                    break;
                case Opcode.Jae:
                    if ((s.Flags & Flags.C) == 0) next += w.BranchOffset;
                    break;
                case Opcode.Jbe:
                    if ((s.Flags & (Flags.C | Flags.Z)) != 0) next += w.BranchOffset;
                    break;
                case Opcode.Ja:
                    if ((s.Flags & (Flags.C | Flags.Z)) == 0) next += w.BranchOffset;
                    break;
                case Opcode.Js:
                    if ((s.Flags & Flags.N) != 0) next += w.BranchOffset;
                    break;
                case Opcode.Jns:
                    if ((s.Flags & Flags.N) == 0) next += w.BranchOffset;
                    break;

                default:
                    goto Invalid;
            }
            s.Pc = next;
            c.Instructions++;
            continue;

        Invalid:
            r = Raise(ExceptionVector.InvalidOpcode, 0);
            goto Outcome;
        Privileged:
            r = Raise(ExceptionVector.GeneralProtection, 0);
            goto Outcome;
        DivideError:
            r = Raise(ExceptionVector.DivideError, 0);
        Outcome:
            // r is Faulted (an exception recorded for this instruction) or Exited (an exit is pending).
            if (r == Exited) return true;
            if (DeliverException(trapVector, trapError, pc, pc, software: false)) return true;
        }
        // Looked at once per call, not per instruction: the loop condition failed, and not on the cycles.
        instructionsRanOut = c.Cycles < stopCycles;
        return false;
    }

    /// <summary>
    /// <c>iret</c> in ring 0 (the caller checked): pops the frame (error code skipped, pc, flags, stack pointer),
    /// charging a ring transition when the ring changes. Returns Ok with the pc to continue at, or Faulted or
    /// Exited from a load of the frame, with nothing changed. The caller then ends the slice: the interrupt flag
    /// may have changed. Shared by the interpreter and translated blocks.
    /// </summary>
    private int InterruptReturn(uint pc, out uint newPc)
    {
        var sp = state.R[15];
        var r = Load(sp + 4, 4, -1, pc, pc + 4, out newPc);
        if (r != Ok) return r;
        r = Load(sp + 8, 4, -1, pc, pc + 4, out var flags);
        if (r != Ok) return r;
        r = Load(sp + 12, 4, -1, pc, pc + 4, out var stack);
        if (r != Ok) return r;
        var newFlags = flags & (Flags.PopfWritable | Flags.CplMask);
        if ((newFlags & Flags.CplMask) != (state.Flags & Flags.CplMask))
        {
            Counters.Cycles += costs.RingTransition;
            fetchPage = 1;
        }
        state.Flags = newFlags;
        state.R[15] = stack;
        return Ok;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int Load(uint va, uint size, int destination, uint pc, uint next, out uint value)
    {
        Counters.Cycles += costs.MemoryAccess;
        if (TryFast(va, size, false, out var at))
        {
            value = size == 4 ? ReadRam(at) : ram[at];
            return Ok;
        }
        return LoadSlow(va, size, destination, pc, next, out value);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int Store(uint va, uint size, uint value, uint pc, uint next)
    {
        Counters.Cycles += costs.MemoryAccess;
        if (TryFast(va, size, true, out var at))
        {
            NoteWrite(at);
            if (size == 4) WriteRam(at, value);
            else ram[at] = (byte)value;
            return Ok;
        }
        return StoreSlow(va, size, value, pc, next);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint ZeroNegative(uint flags, uint result) =>
        (flags & ~(Flags.Z | Flags.N)) | (result == 0 ? Flags.Z : 0) | ((result >> 24) & Flags.N);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint LogicFlags(uint flags, uint result) =>
        (flags & ~Flags.Arithmetic) | (result == 0 ? Flags.Z : 0) | ((result >> 24) & Flags.N);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint AddFlags(uint flags, uint a, uint b, uint result) =>
        (flags & ~Flags.Arithmetic) | (result == 0 ? Flags.Z : 0) | ((result >> 24) & Flags.N)
        | (result < a ? Flags.C : 0) | (((a ^ result) & (b ^ result)) >> 31 << 11);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint SubtractFlags(uint flags, uint a, uint b, uint result) =>
        (flags & ~Flags.Arithmetic) | (result == 0 ? Flags.Z : 0) | ((result >> 24) & Flags.N)
        | (a < b ? Flags.C : 0) | (((a ^ b) & (a ^ result)) >> 31 << 11);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool SignDiffersFromOverflow(uint flags) => (((flags >> 7) ^ (flags >> 11)) & 1) != 0;

    private void WriteControlRegister(int cr, uint value)
    {
        switch (cr)
        {
            case ControlRegister.Cr0:
                if (((state.Cr0 ^ value) & ControlRegister.PagingEnabled) != 0) FlushTlb();
                state.Cr0 = value;
                break;
            case ControlRegister.Cr2: state.Cr2 = value; break;
            case ControlRegister.Cr3: state.Cr3 = value; FlushTlb(); break;
            case ControlRegister.Ksp: state.Ksp = value; break;
            case ControlRegister.Cr8: state.Cr8 = value & 15; break;
        }
    }

    private uint ReadControlRegister(int cr) => cr switch
    {
        ControlRegister.Cr0 => state.Cr0,
        ControlRegister.Cr2 => state.Cr2,
        ControlRegister.Cr3 => state.Cr3,
        ControlRegister.Ksp => state.Ksp,
        _ => state.Cr8,
    };

    /// <summary>Port input: the local timer, then the bus; a port nobody claims leaves for the host.</summary>
    private bool PortIn(uint port, int destination, uint pc, uint next)
    {
        if (port - MemoryMap.TimerPeriodPort < 3)
        {
            Counters.Cycles += costs.PortIo;
            state.R[destination] = Timer.Read(port - MemoryMap.TimerPeriodPort, Counters.Cycles);
            return false;
        }
        var device = machine.Bus.FindPort(port, out var offset);
        if (device is not null)
        {
            Counters.Cycles += costs.PortIo;
            NoteDeviceAccess();
            state.R[destination] = device.Read(offset, 4);
            return false;
        }
        pendingIoRegister = destination;
        state.Pc = next;
        Counters.Instructions++;
        Counters.Cycles += costs.HostExit;
        Leave(new RunExit { Reason = ExitReason.IoIn, Pc = pc, PcAdvanced = true, Address = port, Size = 4 });
        return true;
    }

    /// <summary>Port output; see <see cref="PortIn"/>.</summary>
    private bool PortOut(uint port, uint value, uint pc, uint next)
    {
        if (port - MemoryMap.TimerPeriodPort < 3)
        {
            Counters.Cycles += costs.PortIo;
            Timer.Write(port - MemoryMap.TimerPeriodPort, value, Counters.Cycles);
            return false;
        }
        var device = machine.Bus.FindPort(port, out var offset);
        if (device is not null)
        {
            Counters.Cycles += costs.PortIo;
            NoteDeviceAccess();
            device.Write(offset, 4, value);
            return false;
        }
        state.Pc = next;
        Counters.Instructions++;
        Counters.Cycles += costs.HostExit;
        Leave(new RunExit { Reason = ExitReason.IoOut, Pc = pc, PcAdvanced = true, Address = port, Size = 4, IsWrite = true, Data = value });
        return true;
    }

    /// <summary>Whether the interrupt table has a present gate for <paramref name="vector"/>.</summary>
    private bool HasGate(ExceptionVector vector)
    {
        Span<byte> attributes = stackalloc byte[4];
        return ReadVirtual(state.Idtr + (uint)vector * GateSize + 4, attributes) == 4 && (attributes[0] & GatePresent) != 0;
    }
}
