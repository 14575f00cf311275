using VirtualizationWorkbench.Machine.Devices;
using VirtualizationWorkbench.Machine.Memory;
using VirtualizationWorkbench.Partitioning;

namespace VirtualizationWorkbench.Storage.San;

/// <summary>
/// A partition's disk, served by the partition firmware (POWER's virtual SCSI disk): the guest's driver sees the
/// machine disk's registers at the same ports (0x1F0 + n: 0 sector, 1 address — a logical address of the
/// partition, 2 count, 3 command 1 read / 2 write, 4 status, 5 capacity; see <see cref="BlockDisk"/>; requests
/// complete before the <c>out</c> returns, or report busy while the store holds them), and every access exits to
/// the firmware, which hands it here. Behind it stands either a volume attached to this machine (its sectors are
/// local state: the partition cannot move live) or a LUN on a storage machine, reached by a
/// <see cref="SanInitiator"/> from this machine's network card: then the partition moves with its memory only, and
/// the disk logs in to the same LUN from the target machine.
/// The guest waits for each request: the disk's service time (<see cref="StorageCosts.Disk"/>) and, over the SAN,
/// the frames on the wire are charged to its core.
/// </summary>
public sealed class PartitionDisk : IVirtualDevice
{
    private readonly IBlockStore store;
    private readonly VolumeAttachment? local;
    private readonly StorageCosts costs;
    private uint sector, address, count, status;
    // A command the store queued (0: none), retried when the guest polls the status, as BlockDisk does.
    private uint pending;

    private PartitionDisk(IBlockStore store, SanInitiator? initiator, VolumeAttachment? local, StorageCosts? costs)
    {
        this.store = store;
        this.local = local;
        this.costs = costs ?? StorageCosts.Default;
        Initiator = initiator;
    }

    /// <summary>A disk on the SAN: the machine of <paramref name="machine"/> logs in to <paramref name="target"/>
    /// from its network card's MAC address. A <see cref="StorageError"/> if the target refuses (not zoned, or the
    /// LUN held by another initiator).</summary>
    public static PartitionDisk OverSan(SanTarget target, PartitionFirmware machine, StorageCosts? costs = null)
    {
        var initiator = new SanInitiator(target, machine.Machine.Network.MacAddress, costs);
        return new PartitionDisk(initiator, initiator, null, costs);
    }

    /// <summary>A disk on a volume attached to this machine (<see cref="Volume.Attach"/>).</summary>
    public static PartitionDisk Local(VolumeAttachment attachment, StorageCosts? costs = null) => new(attachment, null, attachment, costs);

    /// <inheritdoc/>
    public string Name => "disk";

    /// <inheritdoc/>
    public (uint First, uint Count) Ports => (MemoryMap.DiskPort, 8);

    /// <summary>The SAN initiator behind the disk, or null for a local volume.</summary>
    public SanInitiator? Initiator { get; }

    /// <summary>Capacity in sectors.</summary>
    public uint Sectors => store.Sectors;

    /// <summary>Sectors the guest read and wrote through this disk (they move with it).</summary>
    public ulong SectorsRead { get; private set; }

    /// <inheritdoc cref="SectorsRead"/>
    public ulong SectorsWritten { get; private set; }

    /// <inheritdoc/>
    public uint Read(VirtualIo io, uint offset) => offset switch
    {
        0 => sector,
        1 => address,
        2 => count,
        4 => Status(io),
        5 => store.Sectors,
        _ => 0,
    };

    /// <inheritdoc/>
    public void Write(VirtualIo io, uint offset, uint value)
    {
        switch (offset)
        {
            case 0: sector = value; break;
            case 1: address = value; break;
            case 2: count = value; break;
            case 3: Start(io, value); break;
        }
    }

    /// <inheritdoc/>
    public string? CannotMoveTo(PartitionFirmware target)
    {
        if (local is not null)
        {
            return $"is the volume '{local.Volume.Name}' attached to this machine ({local.Sectors} sectors that would have to move too); serve the volume from a SAN target both machines are zoned to instead";
        }
        var mac = target.Machine.Network.MacAddress;
        if (Initiator!.Target.Zone is { } zone && !zone.Admits(mac))
        {
            return $"cannot reach its LUN from the target machine: initiator {mac:x12} is not in zone '{zone.Name}' (members: {zone}); add the target machine to the zone first";
        }
        return null;
    }

    /// <inheritdoc/>
    public IVirtualDevice MoveTo(PartitionFirmware target)
    {
        if (Initiator is null) throw new InvalidOperationException("a local disk does not move (CannotMoveTo says why)");
        Initiator.Logout();
        var moved = OverSan(Initiator.Target, target, costs);
        (moved.sector, moved.address, moved.count, moved.status, moved.pending) = (sector, address, count, status, pending);
        (moved.SectorsRead, moved.SectorsWritten) = (SectorsRead, SectorsWritten);
        return moved;
    }

    /// <inheritdoc/>
    public void Detach()
    {
        Initiator?.Logout();
        if (local is not null && local.Volume.Holds(local)) local.Volume.Detach();
    }

    private void Start(VirtualIo io, uint command)
    {
        status = Execute(io, command);
        pending = status == BlockDisk.StatusBusy ? command : 0;
    }

    private uint Status(VirtualIo io)
    {
        if (pending != 0) Start(io, pending);
        return status;
    }

    private uint Execute(VirtualIo io, uint command)
    {
        if (command is not (1 or 2)) return 3;
        if ((ulong)sector + count > store.Sectors) return 1;
        var bytes = (int)count * BlockDisk.SectorSize;
        if (!io.Contains(address, bytes)) return 2;
        var network = Initiator?.NetworkCycles ?? 0;
        var buffer = new byte[bytes];
        BlockStatus answer;
        if (command == 2)
        {
            io.ReadMemory(address, buffer);
            answer = store.Write(sector, buffer);
            if (answer == BlockStatus.Ok) SectorsWritten += count;
        }
        else
        {
            answer = store.Read(sector, buffer);
            if (answer == BlockStatus.Ok)
            {
                io.WriteMemory(address, buffer);
                SectorsRead += count;
            }
        }
        io.Charge(costs.Disk(count) + (Initiator?.NetworkCycles ?? 0) - network);
        return answer switch
        {
            BlockStatus.Ok => 0,
            BlockStatus.ReadOnly => 1,
            BlockStatus.Queued => BlockDisk.StatusBusy,
            _ => BlockDisk.StatusIoError,
        };
    }
}
