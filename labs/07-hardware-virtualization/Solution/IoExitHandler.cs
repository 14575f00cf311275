using System.Text;
using VirtualizationWorkbench.Machine.Virtualization;

namespace VirtualizationWorkbench.Labs.ExitHandling;

/// <summary>Reference solution of lab 07's exercise: see the exercise's comment for the contract.</summary>
public sealed class IoExitHandler
{
    private const uint ConsoleData = 0x3F8;
    private const uint ConsoleStatus = 0x3F9;
    private readonly StringBuilder console = new();

    /// <summary>What the guest printed.</summary>
    public string Console => console.ToString();

    /// <summary>Sets the exit controls.</summary>
    public void Configure(VirtualMachineControl control)
    {
        control.UnconditionalIoExiting = true;
        control.HltExiting = true;
    }

    /// <summary>Handles one VM exit; false if it is not a port-I/O exit.</summary>
    public bool Handle(VirtualMachineControl control)
    {
        if (control.ExitReason != VmExitReason.IoInstruction) return false;
        var q = control.ExitQualification;
        var port = q & 0xFFFF;
        var register = (int)(q >> 20) & 15;
        if ((q & 0x10000) != 0)
        {
            if (port == ConsoleData) console.Append((char)(control.Guest.R[register] & 0xFF));
        }
        else
        {
            control.Guest.R[register] = port == ConsoleStatus ? 2u : 0xFFFF_FFFF;
        }
        control.Guest.Pc += control.ExitInstructionLength;
        return true;
    }
}
