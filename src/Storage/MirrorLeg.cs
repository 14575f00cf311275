namespace VirtualizationWorkbench.Storage;

/// <summary>One copy of a mirror: a hidden volume whole on one disk, and whether it holds the data.</summary>
public sealed class MirrorLeg
{
    internal MirrorLeg(LogicalVolume volume) => Volume = volume;

    /// <summary>The copy's volume.</summary>
    public LogicalVolume Volume { get; internal set; }

    /// <summary>The disk it lives on.</summary>
    public PhysicalVolume Disk => Volume.Map[0].Volume;

    /// <summary>In sync, failed, or being resynchronised.</summary>
    public MirrorLegState State { get; internal set; } = MirrorLegState.InSync;
}

/// <summary>A mirror leg's state, as <c>lvs -a -o +sync_percent</c> would say.</summary>
public enum MirrorLegState
{
    /// <summary>Holds every block; reads may come from it.</summary>
    InSync,
    /// <summary>Its disk failed: it gets no requests until repaired or replaced.</summary>
    Failed,
    /// <summary>Gets every write, and regions are being copied to it in the background.</summary>
    Resyncing,
}
