using VirtualizationWorkbench.Machine.Devices;
using VirtualizationWorkbench.Machine.Memory;
using VirtualizationWorkbench.Partitioning.Memory.Sharing;

namespace VirtualizationWorkbench.Partitioning;

/// <summary>
/// A virtual SCSI disk served by a Virtual I/O Server, as every partition in shared memory mode has (Active Memory
/// Sharing allows virtual I/O only): where its guest keeps its files, so that a file-cache page it lent to the
/// firmware can be read again. The guest's driver sees the machine disk's registers at the same ports (0x1F0 + n:
/// 0 sector, 1 address (a logical address of the partition), 2 count, 3 command (1 read, 2 write), 4 status (0 done,
/// 1 past the disk's end, 2 buffer outside the partition, 3 unknown command), 5 capacity; see
/// <see cref="BlockDisk"/>). Each request completes before the <c>out</c> returns and costs its guest the VIOS's
/// round trip and the disk's time per page, the costs of the <see cref="ViosPagingDevice"/>: reading a loaned page
/// back costs what paging it in would; loaning saves only the page-out.
/// </summary>
public sealed class ViosDisk(int sectors, ulong roundTripCycles = ViosPagingDevice.DefaultRoundTripCycles, ulong cyclesPerPage = HostPagingStore.DefaultCyclesPerPage) : IVirtualDevice
{
    private const int SectorsPerPage = (int)(MemoryMap.PageSize / BlockDisk.SectorSize);

    private readonly byte[] image = new byte[(long)sectors * BlockDisk.SectorSize];
    private uint sector, address, count, status;

    /// <summary>A disk of <paramref name="pages"/> pages' worth of sectors, with the VIOS's default costs.</summary>
    public static ViosDisk OfPages(int pages) => new(pages * SectorsPerPage);

    /// <inheritdoc/>
    public string Name => "VIOS disk";

    /// <inheritdoc/>
    public (uint First, uint Count) Ports => (MemoryMap.DiskPort, 8);

    /// <summary>Capacity in sectors.</summary>
    public int Sectors { get; } = sectors;

    /// <summary>Read requests served.</summary>
    public long Reads { get; private set; }

    /// <summary>Write requests served.</summary>
    public long Writes { get; private set; }

    /// <summary>Cycles its guest waited for it.</summary>
    public ulong Cycles { get; private set; }

    /// <summary>Cycles of one request of <paramref name="sectors"/> sectors: the round trip, and the disk's time for
    /// each page (or part of one) it moves.</summary>
    public ulong CostOf(uint sectors) => roundTripCycles + (sectors + SectorsPerPage - 1) / SectorsPerPage * cyclesPerPage;

    /// <inheritdoc/>
    public uint Read(VirtualIo io, uint offset) => offset switch
    {
        0 => sector,
        1 => address,
        2 => count,
        4 => status,
        5 => (uint)Sectors,
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
            case 3: status = Execute(io, value); break;
        }
    }

    /// <inheritdoc/>
    public string? CannotMoveTo(PartitionFirmware target) => "is served by this machine's VIOS";

    /// <inheritdoc/>
    public IVirtualDevice MoveTo(PartitionFirmware target) => throw new InvalidOperationException("a VIOS disk does not move (CannotMoveTo says why)");

    /// <inheritdoc/>
    public void Detach()
    {
    }

    private uint Execute(VirtualIo io, uint command)
    {
        if (command is not (1 or 2)) return 3;
        if ((ulong)sector + count > (ulong)Sectors) return 1;
        var bytes = (int)count * BlockDisk.SectorSize;
        if (!io.Contains(address, bytes)) return 2;
        var at = (int)sector * BlockDisk.SectorSize;
        if (command == 1)
        {
            io.WriteMemory(address, image.AsSpan(at, bytes));
            Reads++;
        }
        else
        {
            io.ReadMemory(address, image.AsSpan(at, bytes));
            Writes++;
        }
        var cycles = CostOf(count);
        Cycles += cycles;
        io.Charge(cycles);
        return 0;
    }
}
