using VirtualizationWorkbench.Machine.Virtualization;

namespace VirtualizationWorkbench.Machine.Costs;

/// <summary>
/// What one core has done. Same program, same input, same configuration: same counters, always.
/// Plain fields so the interpreter can bump them without calls.
/// </summary>
public sealed class Counters
{
    /// <summary>Instructions completed.</summary>
    public ulong Instructions;
    /// <summary>Virtual cycles charged, from the cost table.</summary>
    public ulong Cycles;
    /// <summary>Cycles spent halted, waiting for the timer (included in <see cref="Cycles"/>).</summary>
    public ulong HaltedCycles;
    /// <summary>TLB probes that hit.</summary>
    public ulong TlbHits;
    /// <summary>TLB probes that missed and walked the page tables.</summary>
    public ulong TlbMisses;
    /// <summary>Page faults raised (delivered or intercepted).</summary>
    public ulong PageFaults;
    /// <summary>Device interrupts delivered.</summary>
    public ulong Interrupts;
    /// <summary>Exceptions and interrupts raised, by vector (traps by kind).</summary>
    public readonly ulong[] Traps = new ulong[256];
    /// <summary>Exits to the host, by <see cref="ExitReason"/>.</summary>
    public readonly ulong[] Exits = new ulong[ExitReasons.Count];
    /// <summary>VM exits from non-root mode, by <see cref="VmExitReason"/>.</summary>
    public readonly ulong[] VmExits = new ulong[VmExitReasons.Count];

    /// <summary>Resets every counter to zero.</summary>
    public void Clear()
    {
        Instructions = Cycles = HaltedCycles = TlbHits = TlbMisses = PageFaults = Interrupts = 0;
        Array.Clear(Traps);
        Array.Clear(Exits);
        Array.Clear(VmExits);
    }

    /// <summary>Copies every counter from <paramref name="other"/>.</summary>
    public void CopyFrom(Counters other)
    {
        Instructions = other.Instructions;
        Cycles = other.Cycles;
        HaltedCycles = other.HaltedCycles;
        TlbHits = other.TlbHits;
        TlbMisses = other.TlbMisses;
        PageFaults = other.PageFaults;
        Interrupts = other.Interrupts;
        other.Traps.CopyTo(Traps, 0);
        other.Exits.CopyTo(Exits, 0);
        other.VmExits.CopyTo(VmExits, 0);
    }

    /// <summary>The counters as name/value pairs, zero entries of the per-kind arrays left out, in a fixed
    /// order: for <c>--stats</c>, the inspector and determinism tests.</summary>
    public IEnumerable<KeyValuePair<string, ulong>> Describe()
    {
        yield return new("instructions", Instructions);
        yield return new("cycles", Cycles);
        yield return new("halted-cycles", HaltedCycles);
        yield return new("tlb.hits", TlbHits);
        yield return new("tlb.misses", TlbMisses);
        yield return new("page-faults", PageFaults);
        yield return new("interrupts", Interrupts);
        for (var v = 0; v < Traps.Length; v++)
        {
            if (Traps[v] != 0) yield return new($"traps.{VectorName(v)}", Traps[v]);
        }
        for (var e = 0; e < Exits.Length; e++)
        {
            if (Exits[e] != 0) yield return new($"exits.{(ExitReason)e}", Exits[e]);
        }
        for (var e = 0; e < VmExits.Length; e++)
        {
            if (VmExits[e] != 0) yield return new($"vm-exits.{(VmExitReason)e}", VmExits[e]);
        }
    }

    /// <summary>A short name for a vector: the exception's name, or <c>irq N</c>, or <c>int 0xNN</c>.</summary>
    public static string VectorName(int vector) => vector switch
    {
        0 => "divide-error",
        3 => "breakpoint",
        6 => "invalid-opcode",
        8 => "double-fault",
        13 => "general-protection",
        14 => "page-fault",
        >= 32 and < 48 => $"irq{vector - 32}",
        _ => $"int-0x{vector:x2}",
    };
}
