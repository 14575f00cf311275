namespace VirtualizationWorkbench.Machine.Debugging;

/// <summary>What kind of event the trace recorded.</summary>
public enum TraceEventKind
{
    /// <summary>An exception or software interrupt delivered through the interrupt table.</summary>
    Exception,
    /// <summary>A device interrupt delivered.</summary>
    Interrupt,
    /// <summary>A page fault (delivered, intercepted or exiting).</summary>
    PageFault,
    /// <summary>An exit to the host.</summary>
    Exit,
    /// <summary>A VM entry into non-root mode.</summary>
    VmEntry,
    /// <summary>A VM exit to root mode.</summary>
    VmExit,
}

/// <summary>One entry of the event trace.</summary>
/// <param name="Cycle">The core's cycle count when it happened.</param>
/// <param name="Core">The core's index.</param>
/// <param name="Kind">What happened.</param>
/// <param name="Pc">The pc of the instruction involved.</param>
/// <param name="Code">The vector, exit reason or VM exit reason, as a number.</param>
/// <param name="Detail">Error code, fault address or qualification.</param>
public readonly record struct TraceEvent(ulong Cycle, int Core, TraceEventKind Kind, uint Pc, int Code, uint Detail)
{
    /// <inheritdoc/>
    public override string ToString()
    {
        var what = Kind switch
        {
            TraceEventKind.Exception or TraceEventKind.Interrupt => Costs.Counters.VectorName(Code),
            TraceEventKind.PageFault => $"address 0x{Detail:x8}",
            TraceEventKind.Exit => ((ExitReason)Code).ToString(),
            TraceEventKind.VmExit => ((Virtualization.VmExitReason)Code).ToString(),
            _ => "",
        };
        return $"[{Cycle,12}] core {Core} {Kind,-9} pc=0x{Pc:x8} {what}";
    }
}
