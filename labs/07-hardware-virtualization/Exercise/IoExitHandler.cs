using System.Text;
using VirtualizationWorkbench.Machine.Virtualization;

namespace VirtualizationWorkbench.Labs.ExitHandling;

/// <summary>
/// A hardware-assisted hypervisor's choice of exits and its handler for port I/O. The guest's console is
/// emulated: the guest must never reach the machine's real console device.
/// <list type="number">
/// <item><see cref="Configure"/>: make every port access exit (either all ports, or the console's 0x3F8 and
/// 0x3F9 in the control's I/O bitmap <c>ExitingPorts</c>), and make hlt exit so the hypervisor knows when the
/// guest is done.</item>
/// <item><see cref="Handle"/>: for an <see cref="VmExitReason.IoInstruction"/> exit, decode the qualification —
/// bits 15-0 the port, bit 16 set for out, bits 23-20 the register — and emulate it on the guest's state
/// (<c>control.Guest.R</c>): out 0x3F8 appends the low byte to <see cref="Console"/>; in 0x3F9 reads 2 (ready);
/// any other in reads 0xFFFFFFFF; any other out is ignored. Then move the guest past the instruction
/// (<c>control.Guest.Pc += control.ExitInstructionLength</c>) and return true. Return false for any other exit.</item>
/// </list>
/// Grade your work with <c>workbench grade 07</c>.
/// </summary>
public sealed class IoExitHandler
{
    private readonly StringBuilder console = new();

    /// <summary>What the guest printed.</summary>
    public string Console => console.ToString();

    /// <summary>Sets the exit controls.</summary>
    public void Configure(VirtualMachineControl control)
    {
        // TODO: choose the exits (see the class comment).
        _ = control;
        throw new NotImplementedException($"{nameof(IoExitHandler)}.{nameof(Configure)}: choosing the exits is yours to do");
    }

    /// <summary>Handles one VM exit; false if it is not a port-I/O exit.</summary>
    public bool Handle(VirtualMachineControl control)
    {
        // TODO: decode control.ExitQualification, emulate the access on control.Guest, skip the instruction.
        _ = (control, console);
        throw new NotImplementedException($"{nameof(IoExitHandler)}.{nameof(Handle)}: the exit handler is yours to write");
    }
}
