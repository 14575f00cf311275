namespace VirtualizationWorkbench.Machine.Devices;

/// <summary>
/// The real-time clock. Registers (ports 0x70-0x71, or device memory at 0xF000_1000 + 4 × register):
/// 0 seconds since 1970-01-01 UTC, 1 ticks within the second (1/1000). Time is derived from virtual cycles
/// (<see cref="CyclesPerSecond"/>) after a fixed start time, so runs are reproducible.
/// </summary>
public sealed class RealTimeClock(Func<ulong> cycles) : IDevice
{
    /// <summary>How many virtual cycles make one second of guest time.</summary>
    public const ulong CyclesPerSecond = 100_000_000;

    /// <summary>The guest's time when the machine starts, in seconds since 1970 (default 2026-01-01 UTC).</summary>
    public uint StartSeconds { get; set; } = 1_767_225_600;

    /// <inheritdoc/>
    public string Name => "rtc";

    /// <inheritdoc/>
    public uint Read(uint offset, int size)
    {
        var now = cycles();
        return (offset >= 4 ? offset / 4 : offset) switch
        {
            0 => StartSeconds + (uint)(now / CyclesPerSecond),
            1 => (uint)(now % CyclesPerSecond / (CyclesPerSecond / 1000)),
            _ => 0,
        };
    }

    /// <inheritdoc/>
    public void Write(uint offset, int size, uint value)
    {
        if ((offset >= 4 ? offset / 4 : offset) == 0)
        {
            StartSeconds = value - (uint)(cycles() / CyclesPerSecond);
        }
    }

    /// <inheritdoc/>
    public void Save(BinaryWriter writer) => writer.Write(StartSeconds);

    /// <inheritdoc/>
    public void Restore(BinaryReader reader) => StartSeconds = reader.ReadUInt32();
}
