using VirtualizationWorkbench.Machine.Cpu;

namespace VirtualizationWorkbench.Machine.Virtualization.Emulation;

/// <summary>What became of an instruction handed to the emulator.</summary>
public enum EmulationOutcome
{
    /// <summary>Emulated on the virtual CPU; the guest continues after it (or where iret goes).</summary>
    Emulated,
    /// <summary>Not an instruction the monitor emulates: the guest's own fault (reflect it).</summary>
    NotEmulated,
    /// <summary>The emulation itself failed (the guest's stack is unmapped, say); the guest cannot go on.</summary>
    Failed,
}

/// <summary>
/// Emulates privileged and sensitive instructions against the guest's <see cref="VirtualCpu"/>, the heart of a
/// software monitor: <c>cli</c>/<c>sti</c> change the virtual interrupt flag, control-register moves change the
/// virtual registers (and tell the monitor's memory virtualization), <c>in</c>/<c>out</c> go to the virtual
/// devices, <c>iret</c> returns into the guest's virtual ring. The sensitive-but-unprivileged ones
/// (<c>pushf</c>, <c>popf</c>, <c>getcpl</c>, <c>sidt</c>, <c>smsw</c>) are handled too, for monitors that get to
/// see them (binary translation); trap-and-emulate never does, which is its flaw.
/// </summary>
public sealed class PrivilegedInstructionEmulator(DeprivilegedMonitor monitor)
{
    /// <summary>Emulates the instruction at the guest's pc.</summary>
    public EmulationOutcome Emulate(out string failure)
    {
        failure = "";
        var core = monitor.Core;
        var vcpu = monitor.Vcpu;
        ref var s = ref core.State;
        var pc = s.Pc;
        if (!monitor.Guest.TryRead(pc, out var fetched))
        {
            failure = $"cannot read the guest's instruction at 0x{pc:x8}";
            return EmulationOutcome.Failed;
        }
        var word = new InstructionWord(fetched);
        var rd = word.Rd;
        var rs = word.Rs;
        var next = pc + 4;
        switch (word.Opcode)
        {
            case Opcode.Cli: vcpu.InterruptsEnabled = false; break;
            case Opcode.Sti: vcpu.InterruptsEnabled = true; break;
            case Opcode.Hlt: vcpu.Halted = true; break;
            case Opcode.Lidt: vcpu.Idtr = s.R[rs]; break;
            case Opcode.Mtcr:
                var value = s.R[rs];
                switch (rd)
                {
                    case ControlRegister.Cr0: vcpu.Cr0 = value; monitor.OnAddressSpaceChanged(); break;
                    case ControlRegister.Cr2: vcpu.Cr2 = value; break;
                    case ControlRegister.Cr3: vcpu.Cr3 = value; monitor.OnAddressSpaceChanged(); break;
                    case ControlRegister.Ksp: vcpu.Ksp = value; break;
                    case ControlRegister.Cr8: vcpu.Cr8 = value & 15; break;
                    default: return EmulationOutcome.NotEmulated;
                }
                break;
            case Opcode.Mfcr:
                s.R[rd] = rs switch
                {
                    ControlRegister.Cr0 => vcpu.Cr0,
                    ControlRegister.Cr2 => vcpu.Cr2,
                    ControlRegister.Cr3 => vcpu.Cr3,
                    ControlRegister.Ksp => vcpu.Ksp,
                    _ => vcpu.Cr8,
                };
                break;
            case Opcode.In: s.R[rd] = monitor.Devices.In(word.Imm16); break;
            case Opcode.Out: monitor.Devices.Out(word.Imm16, s.R[rs]); break;
            case Opcode.Invlpg: monitor.OnTlbInvalidated(s.R[rs]); break;
            case Opcode.Invtlb: monitor.OnTlbInvalidated(null); break;
            case Opcode.Iret:
                if (!monitor.ReturnFromTrap(s.R[15], out failure)) return EmulationOutcome.Failed;
                next = s.Pc;
                break;

            // Sensitive but unprivileged: only a monitor that finds them (binary translation) gets here.
            case Opcode.Pushf:
                if (!monitor.Guest.TryWrite(s.R[15] - 4, vcpu.GuestFlags(s.Flags)))
                {
                    failure = $"pushf: the guest's stack at 0x{s.R[15] - 4:x8} is not writable";
                    return EmulationOutcome.Failed;
                }
                s.R[15] -= 4;
                break;
            case Opcode.Popf:
                if (!monitor.Guest.TryRead(s.R[15], out var popped))
                {
                    failure = $"popf: the guest's stack at 0x{s.R[15]:x8} is not readable";
                    return EmulationOutcome.Failed;
                }
                s.R[15] += 4;
                s.Flags = (s.Flags & ~Flags.Arithmetic) | (popped & Flags.Arithmetic);
                if (vcpu.Ring == 0) vcpu.InterruptsEnabled = (popped & Flags.IF) != 0;
                break;
            case Opcode.Getcpl: s.R[rd] = (uint)vcpu.Ring; break;
            case Opcode.Sidt: s.R[rd] = vcpu.Idtr; break;
            case Opcode.Smsw: s.R[rd] = vcpu.Cr0 & 0xFFFF; break;
            default:
                return EmulationOutcome.NotEmulated;
        }
        s.Pc = next;
        monitor.Statistics.EmulatedInstructions++;
        core.Charge(monitor.Costs.Emulation);
        return EmulationOutcome.Emulated;
    }
}
