using VirtualizationWorkbench.Machine.Cpu;
using VirtualizationWorkbench.Machine.Virtualization;

namespace VirtualizationWorkbench.Machine;

/// <summary>
/// What <see cref="Core.Run(long)"/> returns: the reason and everything the host needs to handle it and resume.
/// Only the fields that belong to the reason are meaningful; the others are zero.
/// </summary>
public readonly record struct RunExit
{
    /// <summary>Why the core stopped.</summary>
    public ExitReason Reason { get; init; }
    /// <summary>The index of the core that stopped.</summary>
    public int Core { get; init; }
    /// <summary>The address of the instruction that caused the exit.</summary>
    public uint Pc { get; init; }
    /// <summary>Whether the core's pc has already moved past that instruction.</summary>
    public bool PcAdvanced { get; init; }

    /// <summary>I/O and MMIO: the port, or the physical address.</summary>
    public uint Address { get; init; }
    /// <summary>I/O and MMIO: the access size in bytes.</summary>
    public int Size { get; init; }
    /// <summary>I/O and MMIO: true for a write (out, store).</summary>
    public bool IsWrite { get; init; }
    /// <summary>I/O and MMIO writes: the value written.</summary>
    public uint Data { get; init; }

    /// <summary>Trap and Interrupt: the vector.</summary>
    public int Vector { get; init; }
    /// <summary>Trap: the error code (for #PF, see <see cref="PageFaultError"/>).</summary>
    public uint ErrorCode { get; init; }
    /// <summary>Trap on #PF: the faulting address (also in cr2).</summary>
    public uint FaultAddress { get; init; }
    /// <summary>Trap: the pc the guest resumes at if the host returns without changing it.</summary>
    public uint ReturnPc { get; init; }

    /// <summary>Hypercall: the number (r0).</summary>
    public uint HypercallNumber { get; init; }

    /// <summary>VmExit: the reason.</summary>
    public VmExitReason VmExitReason { get; init; }
    /// <summary>VmExit: the qualification (see <see cref="VmExitReason"/>).</summary>
    public uint Qualification { get; init; }

    /// <summary>Shutdown and Breakpoint: a sentence for the user.</summary>
    public string? Message { get; init; }

    /// <inheritdoc/>
    public override string ToString() => Reason switch
    {
        ExitReason.IoIn or ExitReason.IoOut => $"{Reason} port 0x{Address:x} at pc 0x{Pc:x8}",
        ExitReason.Mmio => $"Mmio {(IsWrite ? "write" : "read")} 0x{Address:x8} at pc 0x{Pc:x8}",
        ExitReason.Trap => $"Trap {Costs.Counters.VectorName(Vector)} error 0x{ErrorCode:x} at pc 0x{Pc:x8}",
        ExitReason.VmExit => $"VmExit {VmExitReason} qualification 0x{Qualification:x} at pc 0x{Pc:x8}",
        ExitReason.Hypercall => $"Hypercall {HypercallNumber} at pc 0x{Pc:x8}",
        ExitReason.Shutdown => $"Shutdown: {Message}",
        _ => $"{Reason} at pc 0x{Pc:x8}",
    };
}
