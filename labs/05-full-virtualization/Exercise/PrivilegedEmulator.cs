using System.Text;
using VirtualizationWorkbench.Machine;
using VirtualizationWorkbench.Machine.Cpu;
using VirtualizationWorkbench.Machine.Virtualization.Emulation;

namespace VirtualizationWorkbench.Labs.TrapAndEmulate;

/// <summary>
/// The heart of a trap-and-emulate monitor: the guest kernel runs in ring 1, so each privileged instruction it
/// executes faults, and <see cref="Emulate"/> performs it on the guest's <see cref="VirtualCpu"/> instead of the
/// real processor. For each instruction below, do what it would do to the real machine, to the virtual one,
/// then move the guest's pc past it (pc + 4) and return true. Return false — without changing anything — for
/// any other instruction: the monitor then reports the guest's own fault.
/// <list type="table">
/// <item><term>cli / sti</term><description>clear / set the virtual interrupt flag</description></item>
/// <item><term>hlt</term><description>set <see cref="VirtualCpu.Halted"/></description></item>
/// <item><term>lidt rs</term><description>the virtual interrupt-table base = rs</description></item>
/// <item><term>mov crN, rs</term><description>virtual cr0, cr2, cr3, ksp (cr4) or cr8 = rs</description></item>
/// <item><term>mov rd, crN</term><description>rd = that virtual register</description></item>
/// <item><term>out 0x3F8, rs</term><description>the guest prints the low byte of rs: append it to <see cref="Console"/>; writes to other ports are ignored</description></item>
/// <item><term>in rd, 0x3F9</term><description>the console's status: rd = 2 (ready to send); any other port reads 0xFFFFFFFF</description></item>
/// </list>
/// The instruction format is in <c>curriculum/reference/isa.md</c>: opcode in bits 31-24, rd in 23-20, rs in 19-16,
/// the port or immediate in 15-0; <see cref="Opcode"/> and <see cref="ControlRegister"/> name the numbers. Grade
/// your work with <c>workbench grade 05</c>.
/// </summary>
public sealed class PrivilegedEmulator
{
    private readonly StringBuilder console = new();

    /// <summary>What the guest printed.</summary>
    public string Console => console.ToString();

    /// <summary>Emulates the privileged instruction <paramref name="word"/> at the guest's pc; false if it is not
    /// one this monitor emulates.</summary>
    public bool Emulate(Core core, VirtualCpu vcpu, uint word)
    {
        // TODO: decode word (opcode, rd, rs, imm16) and emulate the instructions of the table above on vcpu,
        // reading and writing core.State.R for the registers; then core.State.Pc += 4 and return true.
        _ = (core, vcpu, word, console);
        throw new NotImplementedException($"{nameof(PrivilegedEmulator)}.{nameof(Emulate)}: the emulation is yours to write");
    }
}
