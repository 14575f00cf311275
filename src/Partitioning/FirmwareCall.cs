namespace VirtualizationWorkbench.Partitioning;

/// <summary>
/// The small interface a partition's guest calls the firmware through (<c>vmcall</c> with the number in r0), after
/// PowerVM's hcalls. Unknown numbers return <see cref="Unsupported"/> in r0 (H_FUNCTION).
/// </summary>
public static class FirmwareCall
{
    /// <summary>What the partition has now: r0 = memory bytes, r1 = cores.</summary>
    public const uint DlparQuery = 0x10;

    /// <summary>The guest confirms a DLPAR change: r1 = the memory (bytes) it now uses.</summary>
    public const uint DlparDone = 0x11;

    /// <summary>The answer to an unknown call.</summary>
    public const uint Unsupported = 0xFFFF_FFFF;

    /// <summary>The interrupt line the firmware raises to tell a partition that its resources change (vector 44).</summary>
    public const int EventLine = 12;
}
