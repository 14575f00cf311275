using VirtualizationWorkbench.Machine;

namespace VirtualizationWorkbench.Partitioning.Migration;

/// <summary>
/// One live partition mobility as the experiment and the lab run it: a fresh pair of machines, guests/lpar.s running
/// <see cref="GuestWorkload"/> in a partition of a given size, warmed up for 5 virtual ms, then moved.
/// </summary>
public static class MigrationTrial
{
    /// <summary>The modes by the names the command line and lab scripts use.</summary>
    public static IReadOnlyList<(string Name, MigrationMode Mode)> Modes { get; } =
        [("pre-copy", MigrationMode.PreCopy), ("stop-and-copy", MigrationMode.StopAndCopy), ("hybrid", MigrationMode.Hybrid)];

    /// <summary>The mode called <paramref name="name"/>, or null if there is none.</summary>
    public static MigrationMode? ModeNamed(string name)
    {
        foreach (var (n, mode) in Modes)
        {
            if (n == name) return mode;
        }
        return null;
    }

    /// <summary>A mode's name (see <see cref="Modes"/>).</summary>
    public static string NameOf(MigrationMode mode)
    {
        foreach (var (n, m) in Modes)
        {
            if (m == mode) return n;
        }
        throw new ArgumentOutOfRangeException(nameof(mode), mode, null);
    }

    /// <summary>Moves a partition of <paramref name="blocks"/> 64 KiB blocks running <paramref name="workload"/>.</summary>
    public static MigrationResult Run(GuestWorkload workload, MigrationOptions options, int blocks)
    {
        var configuration = new MachineConfiguration { MemorySize = (uint)(blocks + 2) * PartitionFirmware.BlockSize, Cores = 1 };
        var source = new PartitionFirmware(configuration);
        var target = new PartitionFirmware(configuration);
        var partition = source.Activate(new PartitionProfile { Name = "mover", DesiredBlocks = blocks, MaxBlocks = blocks }, PartitionGuests.Lpar);
        PartitionGuests.SetWorkload(source, partition, workload);
        source.RunFor(partition, 5 * VirtualClock.CyclesPerMillisecond);
        return new PartitionMigration(source, target, options).Move(partition);
    }
}
