namespace VirtualizationWorkbench.Partitioning;

/// <summary>
/// What a partition asks of the machine, as an HMC profile does: minimum, desired and maximum cores and memory
/// blocks, optionally where its memory lies (<see cref="FirstBlock"/>), and the devices it owns. The firmware
/// activates a partition with the desired values; dynamic reallocation may move it anywhere between minimum and
/// maximum, and does not write the change back to the profile (as on PowerVM).
/// </summary>
public sealed record PartitionProfile
{
    /// <summary>The partition's name (1 to 32 letters, digits, '-' or '_').</summary>
    public required string Name { get; init; }

    public int MinCores { get; init; } = 1;
    public int DesiredCores { get; init; } = 1;
    public int MaxCores { get; init; } = 1;

    /// <summary>Memory in blocks of <see cref="PartitionFirmware.BlockSize"/> (the logical memory block).</summary>
    public int MinBlocks { get; init; } = 1;
    public int DesiredBlocks { get; init; } = 4;
    public int MaxBlocks { get; init; } = 8;

    /// <summary>The machine block the partition's memory starts at (its blocks are then contiguous), or null for
    /// any free blocks.</summary>
    public int? FirstBlock { get; init; }

    /// <summary>Devices the partition owns (<see cref="PartitionDevices.Names"/>); every partition has its own
    /// virtual terminal besides.</summary>
    public IReadOnlyList<string> Devices { get; init; } = [];

    /// <summary>Throws a <see cref="PartitionError"/> naming the first thing wrong with the profile on a machine of
    /// <paramref name="cores"/> cores and <paramref name="blocks"/> blocks for partitions.</summary>
    public void Validate(int cores, int blocks)
    {
        var where = $"profile '{Name}'";
        if (string.IsNullOrEmpty(Name) || Name.Length > 32 || !Name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            throw new PartitionError($"profile name '{Name}': use 1 to 32 letters, digits, '-' or '_'");
        }
        Order(where, "cores", MinCores, DesiredCores, MaxCores);
        Order(where, "memory blocks", MinBlocks, DesiredBlocks, MaxBlocks);
        if (DesiredCores > cores)
        {
            throw new PartitionError($"{where}: desired {DesiredCores} cores, but the machine has {cores}; ask for at most {cores}");
        }
        if (DesiredBlocks > blocks)
        {
            throw new PartitionError($"{where}: desired {DesiredBlocks} memory blocks ({DesiredBlocks * (PartitionFirmware.BlockSize / 1024)} KiB), but the machine has {blocks} for partitions; ask for at most {blocks}");
        }
        if (MaxBlocks * PartitionFirmware.PagesPerBlock > PartitionPageTable.MaxPages)
        {
            throw new PartitionError($"{where}: at most {PartitionPageTable.MaxPages / PartitionFirmware.PagesPerBlock} memory blocks (4 MiB) per partition, not {MaxBlocks}");
        }
        if (FirstBlock is { } first && (first < PartitionFirmware.FirmwareBlocks || first + DesiredBlocks > blocks + PartitionFirmware.FirmwareBlocks))
        {
            throw new PartitionError($"{where}: blocks {first}-{first + DesiredBlocks - 1} are not all partition memory (blocks {PartitionFirmware.FirmwareBlocks}-{blocks + PartitionFirmware.FirmwareBlocks - 1} are; block 0 is the firmware's)");
        }
        foreach (var device in Devices)
        {
            if (!PartitionDevices.Names.Contains(device))
            {
                throw new PartitionError($"{where}: no device '{device}' (devices a partition can own: {string.Join(", ", PartitionDevices.Names)})");
            }
        }
    }

    private static void Order(string where, string what, int min, int desired, int max)
    {
        if (min < 1) throw new PartitionError($"{where}: minimum {what} must be at least 1, not {min}");
        if (desired < min || max < desired)
        {
            throw new PartitionError($"{where}: {what} must be minimum ≤ desired ≤ maximum, not {min} / {desired} / {max}");
        }
    }
}
