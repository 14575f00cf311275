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

    /// <summary>A shared-memory partition's guest says what some of its pages hold (Active Memory Sharing's page
    /// hints): r1 = the first logical page, r2 = how many, r3 = the use (0 working, 1 file cache, 2 free; see
    /// <see cref="Memory.Sharing.PageUse"/>). r0 = <see cref="Success"/>, or <see cref="Parameter"/> for pages outside
    /// the partition or an unknown use; a dedicated-memory partition gets <see cref="Unsupported"/>.</summary>
    public const uint PageUse = 0x12;

    /// <summary>Done (H_SUCCESS).</summary>
    public const uint Success = 0;

    /// <summary>A bad argument (H_PARAMETER).</summary>
    public const uint Parameter = 0xFFFF_FFFC;

    /// <summary>The answer to an unknown call.</summary>
    public const uint Unsupported = 0xFFFF_FFFF;

    /// <summary>The interrupt line the firmware raises to tell a partition that its resources change (vector 44).</summary>
    public const int EventLine = 12;
}
