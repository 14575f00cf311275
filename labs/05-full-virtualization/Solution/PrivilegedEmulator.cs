using System.Text;
using VirtualizationWorkbench.Machine;
using VirtualizationWorkbench.Machine.Cpu;
using VirtualizationWorkbench.Machine.Virtualization.Emulation;

namespace VirtualizationWorkbench.Labs.TrapAndEmulate;

/// <summary>Reference solution of lab 05's exercise: see the exercise's comment for the contract.</summary>
public sealed class PrivilegedEmulator
{
    private const uint ConsoleData = 0x3F8;
    private const uint ConsoleStatus = 0x3F9;
    private readonly StringBuilder console = new();

    /// <summary>What the guest printed.</summary>
    public string Console => console.ToString();

    /// <summary>Emulates the privileged instruction <paramref name="word"/> at the guest's pc; false if it is not
    /// one this monitor emulates.</summary>
    public bool Emulate(Core core, VirtualCpu vcpu, uint word)
    {
        ref var s = ref core.State;
        var rd = (int)(word >> 20) & 15;
        var rs = (int)(word >> 16) & 15;
        var port = word & 0xFFFF;
        switch ((Opcode)(word >> 24))
        {
            case Opcode.Cli: vcpu.InterruptsEnabled = false; break;
            case Opcode.Sti: vcpu.InterruptsEnabled = true; break;
            case Opcode.Hlt: vcpu.Halted = true; break;
            case Opcode.Lidt: vcpu.Idtr = s.R[rs]; break;
            case Opcode.Mtcr:
                switch (rd)
                {
                    case ControlRegister.Cr0: vcpu.Cr0 = s.R[rs]; break;
                    case ControlRegister.Cr2: vcpu.Cr2 = s.R[rs]; break;
                    case ControlRegister.Cr3: vcpu.Cr3 = s.R[rs]; break;
                    case ControlRegister.Ksp: vcpu.Ksp = s.R[rs]; break;
                    case ControlRegister.Cr8: vcpu.Cr8 = s.R[rs]; break;
                    default: return false;
                }
                break;
            case Opcode.Mfcr:
                switch (rs)
                {
                    case ControlRegister.Cr0: s.R[rd] = vcpu.Cr0; break;
                    case ControlRegister.Cr2: s.R[rd] = vcpu.Cr2; break;
                    case ControlRegister.Cr3: s.R[rd] = vcpu.Cr3; break;
                    case ControlRegister.Ksp: s.R[rd] = vcpu.Ksp; break;
                    case ControlRegister.Cr8: s.R[rd] = vcpu.Cr8; break;
                    default: return false;
                }
                break;
            case Opcode.Out:
                if (port == ConsoleData) console.Append((char)(s.R[rs] & 0xFF));
                break;
            case Opcode.In:
                s.R[rd] = port == ConsoleStatus ? 2u : 0xFFFF_FFFF;
                break;
            default:
                return false;
        }
        s.Pc += 4;
        return true;
    }
}
