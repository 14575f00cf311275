using VirtualizationWorkbench.Machine.Devices;

namespace VirtualizationWorkbench.Storage;

/// <summary>
/// What storage operations cost in virtual cycles (the machine's clock: 100 MHz, so 100 cycles are one
/// microsecond). A model, not a measurement: a request pays a fixed cost (command, seek) and a cost per sector
/// transferred; a network frame pays its latency and a cost per byte. Experiments compare mechanisms under the
/// same table, so their ratios mean something and their figures repeat exactly.
/// </summary>
public sealed record StorageCosts
{
    /// <summary>Fixed cost of one request to a physical disk (50 µs: a fast SSD's command latency).</summary>
    public ulong DiskRequest { get; init; } = 5_000;

    /// <summary>Cost per 512-byte sector moved to or from a physical disk (about 500 MB/s).</summary>
    public ulong DiskSector { get; init; } = 100;

    /// <summary>One-way latency of a frame on the storage network (20 µs, a switched 10 GbE hop and its stacks).</summary>
    public ulong FrameLatency { get; init; } = 2_000;

    /// <summary>Cost per byte on the wire, in hundredths of a cycle (10 Gbit/s: 0.8 ns a byte = 0.08 cycles).</summary>
    public ulong WireHundredthsPerByte { get; init; } = 8;

    /// <summary>The table the workbench uses.</summary>
    public static StorageCosts Default { get; } = new();

    /// <summary>Cycles for one disk request of <paramref name="sectors"/> sectors.</summary>
    public ulong Disk(uint sectors) => DiskRequest + DiskSector * sectors;

    /// <summary>Cycles for one frame of <paramref name="bytes"/> bytes.</summary>
    public ulong Frame(int bytes) => FrameLatency + (ulong)bytes * WireHundredthsPerByte / 100;

    /// <summary>Cycles as microseconds at the machine's clock.</summary>
    public static double Microseconds(ulong cycles) => cycles * 1e6 / RealTimeClock.CyclesPerSecond;
}
