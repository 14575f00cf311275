namespace VirtualizationWorkbench.Partitioning;

/// <summary>
/// Dynamic logical partitioning (DLPAR): cores and memory blocks added to or removed from a running partition.
/// Adding is easy: the firmware gives the resource, then tells the guest (its event line, vector 44; the guest
/// asks what it has with <see cref="FirmwareCall.DlparQuery"/>). Removing needs the guest first: the firmware tells
/// it what it is to keep, runs the machine until the guest confirms (<see cref="FirmwareCall.DlparDone"/>) that it
/// no longer uses the rest, and only then unmaps and scrubs it. A guest that does not confirm keeps everything,
/// and the request fails. Changes stay within the profile's minimum and maximum and are not written back to it.
/// </summary>
public sealed class DynamicReallocation(PartitionFirmware firmware)
{
    /// <summary>Instructions per core the guest gets to confirm a removal.</summary>
    public const long ConfirmBudget = 2_000_000;

    /// <summary>Adds <paramref name="blocks"/> memory blocks from the free pool to a running partition.</summary>
    public void AddMemory(LogicalPartition partition, int blocks)
    {
        Running(partition, "add memory to");
        Dedicated(partition, "add memory to");
        if (blocks < 1) throw new PartitionError($"add memory to '{partition.Name}': add at least 1 block, not {blocks}");
        if (partition.Blocks.Count + blocks > partition.Profile.MaxBlocks)
        {
            throw new PartitionError($"add memory to '{partition.Name}': {partition.Blocks.Count} + {blocks} blocks is over its profile's maximum of {partition.Profile.MaxBlocks}");
        }
        if (firmware.FreeBlocks < blocks) throw new PartitionError($"add memory to '{partition.Name}': {blocks} blocks wanted, {firmware.FreeBlocks} free");
        for (var i = 0; i < blocks; i++) firmware.AddBlock(partition, firmware.FreeBlock());
        partition.Request = null;
        PartitionFirmware.Notify(partition);
    }

    /// <summary>Removes <paramref name="blocks"/> memory blocks (its highest) from a running partition once its guest
    /// has released them.</summary>
    public void RemoveMemory(LogicalPartition partition, int blocks)
    {
        Running(partition, "remove memory from");
        Dedicated(partition, "remove memory from");
        if (blocks < 1) throw new PartitionError($"remove memory from '{partition.Name}': remove at least 1 block, not {blocks}");
        if (partition.Blocks.Count - blocks < partition.Profile.MinBlocks)
        {
            throw new PartitionError($"remove memory from '{partition.Name}': {partition.Blocks.Count} - {blocks} blocks is under its profile's minimum of {partition.Profile.MinBlocks}");
        }
        var keep = (uint)(partition.Blocks.Count - blocks) * PartitionFirmware.BlockSize;
        if (!Confirmed(partition, (keep, partition.Cores.Count), released => released <= keep))
        {
            throw new PartitionError($"remove memory from '{partition.Name}': the guest did not release {blocks} block(s) above 0x{keep:x} within {ConfirmBudget:N0} instructions — it still uses them (does it answer the firmware's event, vector 44, with H_DLPAR_DONE?); nothing was taken");
        }
        for (var i = 0; i < blocks; i++) firmware.RemoveLastBlock(partition);
    }

    /// <summary>Adds a core from the free pool to a running partition; it starts at the guest's <c>secondary</c>
    /// label.</summary>
    public void AddCore(LogicalPartition partition)
    {
        Running(partition, "add a core to");
        DedicatedCores(partition, "add a core to");
        if (partition.Cores.Count + 1 > partition.Profile.MaxCores)
        {
            throw new PartitionError($"add a core to '{partition.Name}': it has {partition.Cores.Count}, its profile's maximum is {partition.Profile.MaxCores}");
        }
        var index = firmware.FreeCore();
        if (index < 0) throw new PartitionError($"add a core to '{partition.Name}': no core is free");
        var core = firmware.AddCore(partition, index);
        var secondary = partition.Program?.Symbols.TryGetValue("secondary", out var s) == true ? s : (uint?)null;
        PartitionFirmware.BootCore(partition, core, partition.Cores.Count - 1, secondary ?? 0);
        core.Halted = secondary is null;
        partition.Request = null;
        PartitionFirmware.Notify(partition);
    }

    /// <summary>Removes a running partition's last core once its guest has confirmed.</summary>
    public void RemoveCore(LogicalPartition partition)
    {
        Running(partition, "remove a core from");
        DedicatedCores(partition, "remove a core from");
        if (partition.Cores.Count - 1 < partition.Profile.MinCores)
        {
            throw new PartitionError($"remove a core from '{partition.Name}': it has {partition.Cores.Count}, its profile's minimum is {partition.Profile.MinCores}");
        }
        if (!Confirmed(partition, (partition.MemorySize, partition.Cores.Count - 1), _ => true))
        {
            throw new PartitionError($"remove a core from '{partition.Name}': the guest did not confirm within {ConfirmBudget:N0} instructions (does it answer the firmware's event, vector 44?); nothing was taken");
        }
        firmware.RemoveLastCore(partition);
    }

    // Tells the guest what it is to have and runs the machine until it confirms in a way `enough` accepts.
    private bool Confirmed(LogicalPartition partition, (uint Memory, int Cores) request, Func<uint, bool> enough)
    {
        partition.Request = request;
        var before = partition.Confirmations;
        PartitionFirmware.Notify(partition);
        firmware.RunWhile(() => partition.State == PartitionState.Running && !(partition.Confirmations > before && enough(partition.Released ?? uint.MaxValue)), ConfirmBudget);
        var done = partition.Confirmations > before && enough(partition.Released ?? uint.MaxValue);
        partition.Request = null;
        return done;
    }

    private static void Running(LogicalPartition partition, string what)
    {
        if (partition.State != PartitionState.Running)
        {
            throw new PartitionError($"{what} '{partition.Name}': it is {partition.State.ToString().ToLowerInvariant()}, not running{(partition.Fault is null ? "" : $" ({partition.Fault})")}");
        }
    }

    // A micro-partition has virtual processors on the shared pool, not cores of its own to give or take.
    private static void DedicatedCores(LogicalPartition partition, string what)
    {
        if (partition.Processing is not null)
        {
            throw new PartitionError($"{what} '{partition.Name}': it is a micro-partition, with virtual processors on the shared processor pool and no cores of its own; deactivate it and activate it again with other virtual processors");
        }
    }

    // A shared-memory partition has no blocks to move: its logical memory is fixed, and the pool decides what is resident.
    private static void Dedicated(LogicalPartition partition, string what)
    {
        if (partition.Sharing is not null)
        {
            throw new PartitionError($"{what} '{partition.Name}': it is in shared memory mode, with no memory blocks of its own (the shared memory pool decides what it holds; change its memory weight instead)");
        }
        if (partition.Expansion is not null)
        {
            throw new PartitionError($"{what} '{partition.Name}': it runs with active memory expansion, whose pools are sized from its blocks at activation; deactivate it and activate it again with other blocks");
        }
    }
}
