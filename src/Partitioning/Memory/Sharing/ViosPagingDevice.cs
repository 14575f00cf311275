namespace VirtualizationWorkbench.Partitioning.Memory.Sharing;

/// <summary>
/// A paging space device served by a Virtual I/O Server partition, as PowerVM's Active Memory Sharing has it: the
/// firmware does not drive the disk itself; it sends each page request to the VIOS (a virtual SCSI request and its
/// answer: <see cref="RoundTripCycles"/>, default 2,000 cycles, 20 µs), which reads or writes its disk
/// (<see cref="Disk"/>). A page in or out costs both.
/// </summary>
public sealed class ViosPagingDevice(HostPagingStore disk, ulong roundTripCycles = ViosPagingDevice.DefaultRoundTripCycles) : IPagingDevice
{
    /// <summary>The default cost of one request to the VIOS and its answer.</summary>
    public const ulong DefaultRoundTripCycles = 2_000;

    /// <summary>A VIOS paging device on a flash disk with the default costs.</summary>
    public ViosPagingDevice() : this(new HostPagingStore())
    {
    }

    /// <summary>The VIOS's disk.</summary>
    public HostPagingStore Disk { get; } = disk;

    /// <summary>Cycles of one request to the VIOS and back.</summary>
    public ulong RoundTripCycles { get; } = roundTripCycles;

    /// <summary>Cycles one page in or out costs: the round trip and the disk.</summary>
    public ulong CyclesPerPage => RoundTripCycles + Disk.CyclesPerPage;

    /// <summary>Requests the VIOS served.</summary>
    public long Requests => Disk.Reads + Disk.Writes;

    public string Name => "VIOS paging device";

    public int PagesHeld => Disk.PagesHeld;

    public long Writes => Disk.Writes;

    public long Reads => Disk.Reads;

    public ulong Write(int partition, int page, ReadOnlySpan<byte> bytes) => RoundTripCycles + Disk.Write(partition, page, bytes);

    public ulong Read(int partition, int page, Span<byte> bytes) => RoundTripCycles + Disk.Read(partition, page, bytes);

    public bool Holds(int partition, int page) => Disk.Holds(partition, page);

    public ReadOnlySpan<byte> Peek(int partition, int page) => Disk.Peek(partition, page);

    public void Forget(int partition, int page) => Disk.Forget(partition, page);
}
