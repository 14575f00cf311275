using System.Runtime.CompilerServices;
using VirtualizationWorkbench.Machine.Cpu;
using CounterNames = VirtualizationWorkbench.Machine.Costs.Counters;
using VirtualizationWorkbench.Machine.Debugging;
using VirtualizationWorkbench.Machine.Virtualization;

namespace VirtualizationWorkbench.Machine;

/// <summary>
/// Exception and interrupt delivery: the one place that switches ring, changes stack, pushes the frame and
/// jumps through the interrupt table — or hands the event to the host or the hypervisor instead.
/// </summary>
/// <remarks>
/// The interrupt table holds 256 gates of 8 bytes at the linear address in <c>Idtr</c>: word 0 the handler
/// address, word 1 the attributes (bit 0 present, bit 1 interrupt gate: clear IF on entry, bits 2-3 the
/// highest ring that may use it with <c>int n</c>). Handlers run in ring 0. Entering from ring 1-3 switches to
/// the stack in <c>ksp</c> (cr4). The frame is always four words, lowest address first:
/// <c>error code, return pc, flags, old sp</c>; <c>iret</c> pops all four.
/// </remarks>
public sealed partial class Core
{
    /// <summary>Bytes per interrupt-table gate.</summary>
    public const int GateSize = 8;
    /// <summary>Gate attribute: present.</summary>
    public const uint GatePresent = 1;
    /// <summary>Gate attribute: interrupt gate (IF cleared on entry).</summary>
    public const uint GateInterrupt = 2;
    /// <summary>Shift of the gate's two-bit privilege level.</summary>
    public const int GateDplShift = 2;

    /// <summary>
    /// Delivers an exception raised by the instruction at <paramref name="pc"/>. Returns true when the event
    /// left the core (an intercepted trap, a VM exit, a shutdown); <see cref="pendingExit"/> then holds it.
    /// </summary>
    /// <param name="vector">The vector.</param>
    /// <param name="error">The error code pushed with it.</param>
    /// <param name="pc">The instruction that raised it.</param>
    /// <param name="returnPc">Where the handler returns to: the instruction itself for faults, the next one for
    /// traps (<c>int</c>, <c>brk</c>).</param>
    /// <param name="software">Raised by <c>int n</c>: the gate's privilege level is checked.</param>
    /// <param name="depth">0 normally; how many deliveries have failed on the way here.</param>
    private bool DeliverException(ExceptionVector vector, uint error, uint pc, uint returnPc, bool software, int depth = 0)
    {
        var v = (int)vector;
        Counters.Traps[v]++;
        if (depth == 0) firstFault = (vector, pc);
        if (nonRoot)
        {
            if (!software && v < 32 && (vmcs!.ExceptionBitmap & (1u << v)) != 0)
            {
                state.Pc = pc;
                return VmExitNow(VmExitReason.Exception, (uint)v, pc, 0, error, vector == ExceptionVector.PageFault ? faultAddress : 0);
            }
        }
        else if (software ? InterceptSoftwareInterrupts : v < 32 && (InterceptedExceptions & (1u << v)) != 0)
        {
            return LeaveForHost(vector, error, pc, returnPc);
        }
        if (vector == ExceptionVector.PageFault) state.Cr2 = faultAddress;
        Trace.Record(new TraceEvent(Counters.Cycles, Index, TraceEventKind.Exception, pc, v, error));
        return EnterHandler(vector, error, pc, returnPc, software, depth);
    }

    /// <summary>An intercepted exception leaves the core as a trap for the host. Out of line: the exit record is
    /// a large struct, which inlined here made every delivery clear a large stack frame first.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private bool LeaveForHost(ExceptionVector vector, uint error, uint pc, uint returnPc)
    {
        if (vector == ExceptionVector.PageFault) state.Cr2 = faultAddress;
        // Faults restart their instruction (returnPc = pc); traps such as int n resume after it.
        state.Pc = returnPc;
        Leave(new RunExit
        {
            Reason = ExitReason.Trap,
            Pc = pc,
            PcAdvanced = returnPc != pc,
            Vector = (int)vector,
            ErrorCode = error,
            ReturnPc = returnPc,
            FaultAddress = vector == ExceptionVector.PageFault ? faultAddress : 0,
        });
        Counters.Cycles += costs.HostExit;
        return true;
    }

    /// <summary>Delivers the lowest pending device interrupt the task priority allows. Returns true when it
    /// left the core instead (intercepted, or a VM exit).</summary>
    private bool DeliverPendingInterrupt()
    {
        var line = System.Numerics.BitOperations.TrailingZeroCount(irqPending);
        var vector = (int)ExceptionVector.IrqBase + line;
        if ((uint)(vector >> 4) <= state.Cr8) return false;
        irqPending &= ~(1u << line);
        halted = false;
        Counters.Interrupts++;
        Counters.Traps[vector]++;
        if (nonRoot && vmcs!.ExternalInterruptExiting)
        {
            return VmExitNow(VmExitReason.ExternalInterrupt, (uint)vector, state.Pc, 0);
        }
        if (InterceptInterrupts)
        {
            Leave(new RunExit { Reason = ExitReason.Interrupt, Pc = state.Pc, Vector = vector, ReturnPc = state.Pc });
            Counters.Cycles += costs.HostExit;
            return true;
        }
        Trace.Record(new TraceEvent(Counters.Cycles, Index, TraceEventKind.Interrupt, state.Pc, vector, 0));
        return EnterHandler((ExceptionVector)vector, 0, state.Pc, state.Pc, software: false, depth: 0);
    }

    /// <summary>The hardware part of delivery: read the gate, switch to ring 0 and its stack, push the frame.</summary>
    private bool EnterHandler(ExceptionVector vector, uint error, uint pc, uint returnPc, bool software, int depth)
    {
        var v = (int)vector;
        var oldFlags = state.Flags;
        var oldCpl = state.Cpl;
        var oldSp = state.R[15];
        // Every access delivery makes is a ring-0 access, whatever ring the event came from.
        state.Flags = oldFlags & ~Flags.CplMask;

        var attributes = 0u;
        var r = ReadSystemWord(state.Idtr + (uint)v * GateSize, out var handler);
        if (r == Ok) r = ReadSystemWord(state.Idtr + (uint)v * GateSize + 4, out attributes);
        if (r == Exited) return ExitedDuringDelivery(oldFlags);
        if (r == Faulted && PageFaultDuringDelivery(vector))
        {
            state.Flags = oldFlags;
            return DeliverException(ExceptionVector.PageFault, trapError, pc, pc, software: false, depth + 1);
        }
        if (r != Ok || (attributes & GatePresent) == 0)
        {
            state.Flags = oldFlags;
            if (software && r == Ok) return Escalate(ExceptionVector.GeneralProtection, (uint)v * GateSize + 2, pc, depth, forSoftware: true);
            return Escalate(vector, 0, pc, depth);
        }
        if (software && oldCpl > (int)((attributes >> GateDplShift) & 3))
        {
            state.Flags = oldFlags;
            return Escalate(ExceptionVector.GeneralProtection, (uint)v * GateSize + 2, pc, depth, forSoftware: true);
        }

        var sp = oldCpl != 0 ? state.Ksp : oldSp;
        r = WriteSystemWord(sp - 4, oldSp);
        if (r == Ok) r = WriteSystemWord(sp - 8, oldFlags);
        if (r == Ok) r = WriteSystemWord(sp - 12, returnPc);
        if (r == Ok) r = WriteSystemWord(sp - 16, error);
        if (r == Exited) return ExitedDuringDelivery(oldFlags);
        if (r == Faulted && PageFaultDuringDelivery(vector))
        {
            // As on x86, a page fault while delivering another event is delivered as a page fault (the
            // instruction restarts once it is fixed); only a fault while delivering a page fault doubles.
            state.Flags = oldFlags;
            state.R[15] = oldSp;
            return DeliverException(ExceptionVector.PageFault, trapError, pc, pc, software: false, depth + 1);
        }
        if (r != Ok)
        {
            state.Flags = oldFlags;
            return Escalate(vector, 0, pc, depth);
        }

        state.R[15] = sp - 16;
        if ((attributes & GateInterrupt) != 0) state.Flags &= ~Flags.IF;
        state.Pc = handler;
        Counters.Cycles += software ? costs.SoftwareInterrupt : costs.ExceptionDelivery;
        if (oldCpl != 0)
        {
            Counters.Cycles += costs.RingTransition;
            fetchPage = 1;
        }
        return false;
    }

    // The exception that started a chain of failed deliveries, for the shutdown message.
    private (ExceptionVector Vector, uint Pc) firstFault;

    private bool PageFaultDuringDelivery(ExceptionVector delivering) =>
        trapVector == ExceptionVector.PageFault && delivering is not (ExceptionVector.PageFault or ExceptionVector.DoubleFault);

    /// <summary>A nested page fault during delivery left for the hypervisor: the guest's saved flags must be
    /// the ones from before delivery began, so that re-entering redoes the delivery.</summary>
    private bool ExitedDuringDelivery(uint oldFlags)
    {
        if (!nonRoot && vmcs is not null) vmcs.Guest.Flags = oldFlags;
        return true;
    }

    /// <summary>A delivery failed: deliver a double fault, or shut down if that was the double fault.</summary>
    private bool Escalate(ExceptionVector failed, uint error, uint pc, int depth, bool forSoftware = false)
    {
        if (forSoftware && depth == 0)
        {
            // int n through a gate the ring may not use: an ordinary #GP, not yet a double fault.
            return DeliverException(ExceptionVector.GeneralProtection, error, pc, pc, software: false, depth + 1);
        }
        if (failed == ExceptionVector.DoubleFault || depth >= 2)
        {
            var message = $"triple fault: {CounterNames.VectorName((int)firstFault.Vector)} at pc 0x{firstFault.Pc:x8} could not be delivered, " +
                          $"nor the double fault after it (interrupt table at 0x{state.Idtr:x8}, stack at 0x{state.R[15]:x8}); " +
                          "is an interrupt table with handlers installed (lidt), and is the stack mapped?";
            state.Pc = pc;
            if (nonRoot) return VmExitNow(VmExitReason.TripleFault, 0, pc, 0);
            halted = true;
            Leave(new RunExit { Reason = ExitReason.Shutdown, Pc = pc, Message = message });
            return true;
        }
        return DeliverException(ExceptionVector.DoubleFault, 0, pc, pc, software: false, depth + 1);
    }

    // Delivery's reads and writes take the same fast path as an instruction's (RAM without paging, a TLB hit),
    // with the same counters, before the general translation: a system call's frame costs four stores, not
    // four calls of Translate.
    // The general translation is out of line, so that delivery's own frame stays small.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int ReadSystemWord(uint va, out uint value)
    {
        if (TryFast(va, 4, false, out var at))
        {
            value = ReadRam(at);
            return Ok;
        }
        return ReadSystemWordSlow(va, out value);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private int ReadSystemWordSlow(uint va, out uint value)
    {
        value = 0;
        var r = Translate(va, Access.Read, 4, out _, out var hpa);
        if (r == ToRam) value = ReadRam(hpa);
        return r == ToDevice ? Faulted : r;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int WriteSystemWord(uint va, uint value)
    {
        if (TryFast(va, 4, true, out var at))
        {
            NoteWrite(at);
            WriteRam(at, value);
            return Ok;
        }
        return WriteSystemWordSlow(va, value);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private int WriteSystemWordSlow(uint va, uint value)
    {
        var r = Translate(va, Access.Write, 4, out _, out var hpa);
        if (r == ToRam)
        {
            NoteWrite(hpa);
            WriteRam(hpa, value);
        }
        return r == ToDevice ? Faulted : r;
    }

    /// <summary>
    /// Delivers <paramref name="vector"/> through the interrupt table as the hardware would, from host code:
    /// how a monitor reflects a trap or an interrupt into its guest. Returns false if delivery itself failed
    /// and the core shut down.
    /// </summary>
    public bool Inject(ExceptionVector vector, uint error = 0)
    {
        var exited = EnterHandler(vector, error, state.Pc, state.Pc, software: false, depth: 0);
        return !exited || pendingExit.Reason != ExitReason.Shutdown;
    }
}
