using VirtualizationWorkbench.Machine.Devices;

namespace VirtualizationWorkbench.Storage;

/// <summary>
/// A physical disk: sectors in a file or in memory, the same store the machine's <see cref="BlockDisk"/> uses.
/// It counts its requests and their virtual time, and it can be made to fail (at once, or after a number of
/// further sector writes: a disk that dies in the middle of a write), as the labs need.
/// </summary>
public sealed class PhysicalDisk
{
    private readonly IBlockStore store;
    private long writesUntilFailure = -1;

    /// <summary>A disk named <paramref name="name"/> over <paramref name="store"/>.</summary>
    public PhysicalDisk(string name, IBlockStore store, StorageCosts? costs = null)
    {
        Name = name;
        this.store = store;
        Costs = costs ?? StorageCosts.Default;
    }

    /// <summary>A zeroed disk in memory.</summary>
    public static PhysicalDisk InMemory(string name, uint sectors, StorageCosts? costs = null) =>
        new(name, new StreamBlockStore(new MemoryStream(new byte[sectors * BlockDisk.SectorSize])), costs);

    /// <summary>The disk's name ("sdb", "disk1").</summary>
    public string Name { get; }

    /// <summary>The cost table its requests are charged from.</summary>
    public StorageCosts Costs { get; }

    /// <summary>Capacity in sectors.</summary>
    public uint Sectors => store.Sectors;

    /// <summary>Whether the disk has failed: every request then fails with an I/O error.</summary>
    public bool Failed { get; private set; }

    /// <summary>Requests served (reads and writes), the labs' I/O count.</summary>
    public ulong Reads { get; private set; }

    /// <inheritdoc cref="Reads"/>
    public ulong Writes { get; private set; }

    /// <summary>Sectors moved.</summary>
    public ulong SectorsRead { get; private set; }

    /// <inheritdoc cref="SectorsRead"/>
    public ulong SectorsWritten { get; private set; }

    /// <summary>Virtual cycles the disk spent on requests (<see cref="StorageCosts.Disk"/> each).</summary>
    public ulong BusyCycles { get; private set; }

    /// <summary>The disk fails now.</summary>
    public void Fail() => Failed = true;

    /// <summary>The disk fails after <paramref name="sectors"/> more sectors have been written: a write request
    /// that crosses that point writes its first sectors and then fails.</summary>
    public void FailAfterWrites(uint sectors) => writesUntilFailure = sectors;

    /// <summary>The disk works again (a transient failure: a cable reseated).</summary>
    public void Recover()
    {
        Failed = false;
        writesUntilFailure = -1;
    }

    /// <summary>Reads sectors; an I/O error if the disk has failed.</summary>
    public BlockStatus Read(uint sector, Span<byte> destination)
    {
        if (Failed) return BlockStatus.IoError;
        var sectors = (uint)(destination.Length / BlockDisk.SectorSize);
        Reads++;
        SectorsRead += sectors;
        BusyCycles += Costs.Disk(sectors);
        return store.Read(sector, destination);
    }

    /// <summary>Writes sectors; an I/O error if the disk has failed, or fails during this write.</summary>
    public BlockStatus Write(uint sector, ReadOnlySpan<byte> source)
    {
        if (Failed) return BlockStatus.IoError;
        var sectors = (uint)(source.Length / BlockDisk.SectorSize);
        Writes++;
        BusyCycles += Costs.Disk(sectors);
        if (writesUntilFailure >= 0 && writesUntilFailure < sectors)
        {
            // The disk dies part-way: the first sectors land, the rest do not, and the request fails.
            var landed = (int)writesUntilFailure;
            if (landed > 0) store.Write(sector, source[..(landed * BlockDisk.SectorSize)]);
            SectorsWritten += (uint)landed;
            Failed = true;
            writesUntilFailure = -1;
            return BlockStatus.IoError;
        }
        if (writesUntilFailure >= 0) writesUntilFailure -= sectors;
        SectorsWritten += sectors;
        return store.Write(sector, source);
    }
}
