using VirtualizationWorkbench.Machine;
using VirtualizationWorkbench.Machine.Memory;

namespace VirtualizationWorkbench.Partitioning;

/// <summary>
/// What a <see cref="IVirtualDevice"/> may do while it serves one access: read and write its partition's memory at
/// the partition's logical addresses (the firmware's copy, so a device never reaches another partition's memory,
/// the I/O MMU this machine lacks), and charge the partition's core the time the access takes.
/// The firmware keeps its bookkeeping true for device writes as for the guest's own: a page a device writes during
/// a migration's pre-copy is marked dirty (as QEMU marks DMA), and a page still missing after a hybrid migration is
/// fetched before the device touches it.
/// </summary>
public readonly struct VirtualIo
{
    private readonly PartitionFirmware firmware;
    private readonly Core core;

    internal VirtualIo(PartitionFirmware firmware, LogicalPartition partition, Core core)
    {
        this.firmware = firmware;
        this.core = core;
        Partition = partition;
    }

    /// <summary>The partition whose guest made the access.</summary>
    public LogicalPartition Partition { get; }

    /// <summary>Whether [address, address + length) lies inside the partition's memory.</summary>
    public bool Contains(uint address, int length) => length >= 0 && (ulong)address + (ulong)length <= Partition.MemorySize;

    /// <summary>Copies the partition's memory at <paramref name="address"/> into <paramref name="destination"/>
    /// (a device reading the guest's buffer: a disk write). The range must be inside (<see cref="Contains"/>).</summary>
    public void ReadMemory(uint address, Span<byte> destination)
    {
        for (var done = 0; done < destination.Length;)
        {
            var at = address + (uint)done;
            var length = (int)Math.Min(destination.Length - done, MemoryMap.PageSize - at % MemoryMap.PageSize);
            Present(at);
            firmware.Machine.Memory.Slice(firmware.MachineAddress(Partition, at, write: false), (uint)length).CopyTo(destination[done..]);
            done += length;
        }
    }

    /// <summary>Copies <paramref name="source"/> into the partition's memory at <paramref name="address"/> (a
    /// device filling the guest's buffer: a disk read). The range must be inside (<see cref="Contains"/>).</summary>
    public void WriteMemory(uint address, ReadOnlySpan<byte> source)
    {
        for (var done = 0; done < source.Length;)
        {
            var at = address + (uint)done;
            var length = (int)Math.Min(source.Length - done, MemoryMap.PageSize - at % MemoryMap.PageSize);
            var page = Present(at);
            source.Slice(done, length).CopyTo(firmware.Machine.Memory.Slice(firmware.MachineAddress(Partition, at), (uint)length));
            if (Partition.DirtyLogging) Partition.Dirty[page] = true;
            done += length;
        }
    }

    /// <summary>The partition waits <paramref name="cycles"/> for the device (its clock advances).</summary>
    public void Charge(ulong cycles) => core.Charge(cycles);

    private int Present(uint address)
    {
        var page = (int)(address / MemoryMap.PageSize);
        if (!Partition.Table.IsPresent(page) && Partition.MissingPages?.BringIn(Partition, page, core) == true) Partition.MissingPageFaults++;
        return page;
    }
}
