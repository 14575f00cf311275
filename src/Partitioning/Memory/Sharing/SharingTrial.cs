using VirtualizationWorkbench.Machine;

namespace VirtualizationWorkbench.Partitioning.Memory.Sharing;

/// <summary>One partition of a <see cref="SharingTrial"/>: its name, memory weight and loan policy.</summary>
public sealed record SharingMember(string Name, int Weight, LoanPolicy Policy);

/// <summary>
/// Active Memory Sharing as the experiment and lab scripts run it: a fresh 1 MiB machine with a shared memory pool
/// on a VIOS paging device, one shared-memory partition of 8 blocks (128 pages) of logical memory per member, each
/// with a core of its own and running guests/ams.s, run for a number of instructions each.
/// </summary>
public static class SharingTrial
{
    /// <summary>Each partition's logical memory, in blocks.</summary>
    public const int LogicalBlocks = 8;

    /// <summary>Runs the trial and returns the machine's firmware as the run left it (its
    /// <see cref="PartitionFirmware.SharedPool"/> holds the partitions' paging).</summary>
    public static PartitionFirmware Run(int poolBlocks, IReadOnlyList<SharingMember> members, long instructions, GuestMemoryUse? use = null)
    {
        if (members.Count is < 1 or > 4) throw new PartitionError($"a sharing trial has 1 to 4 partitions, not {members.Count}");
        var firmware = new PartitionFirmware(new MachineConfiguration { MemorySize = 1024 * 1024, Cores = members.Count });
        firmware.CreateSharedMemoryPool(poolBlocks, new ViosPagingDevice());
        foreach (var member in members)
        {
            var partition = firmware.ActivateShared(new PartitionProfile { Name = member.Name, DesiredBlocks = LogicalBlocks, MaxBlocks = LogicalBlocks }, PartitionGuests.Ams, member.Weight, member.Policy);
            if (use is not null) PartitionGuests.SetMemoryUse(firmware, partition, use);
        }
        firmware.Run(instructions);
        return firmware;
    }

    /// <summary>A word of the guest's (ams.s's <c>corrupt</c> or <c>cache_misses</c>), read without moving a page.</summary>
    public static uint GuestWord(PartitionFirmware firmware, LogicalPartition partition, string label) =>
        firmware.ReadLogicalWord(partition, partition.Program!.Symbols[label]);
}
