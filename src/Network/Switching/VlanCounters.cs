namespace VirtualizationWorkbench.Network.Switching;

/// <summary>One VLAN's counters in one switch: frames classified into it at ingress, their bytes, and drops.</summary>
public sealed class VlanCounters
{
    /// <summary>Frames that came in and were classified into the VLAN.</summary>
    public long Frames { get; internal set; }

    /// <summary>Their bytes, as received.</summary>
    public long Bytes { get; internal set; }

    /// <summary>Frames of the VLAN the switch dropped, for any reason.</summary>
    public long Drops { get; internal set; }
}
