using VirtualizationWorkbench.Machine.Memory;

namespace VirtualizationWorkbench.Partitioning.Memory.Sharing;

/// <summary>
/// A paging space the firmware reaches itself: the pages are kept in the host's memory, and each page read or
/// written costs the device's access time, <see cref="CyclesPerPage"/> (default 8,000 cycles, 80 µs at the
/// 100 MHz <see cref="VirtualClock"/>: a flash device). It is also the disk behind a <see cref="ViosPagingDevice"/>.
/// </summary>
public sealed class HostPagingStore(ulong cyclesPerPage = HostPagingStore.DefaultCyclesPerPage) : IPagingDevice
{
    /// <summary>The default access time of one page.</summary>
    public const ulong DefaultCyclesPerPage = 8_000;

    private readonly Dictionary<(int Partition, int Page), byte[]> pages = [];

    /// <summary>Cycles one page read or write costs.</summary>
    public ulong CyclesPerPage { get; } = cyclesPerPage;

    public string Name => "paging store";

    public int PagesHeld => pages.Count;

    public long Writes { get; private set; }

    public long Reads { get; private set; }

    public ulong Write(int partition, int page, ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != MemoryMap.PageSize) throw new ArgumentException($"a page is {MemoryMap.PageSize} bytes, not {bytes.Length}", nameof(bytes));
        pages[(partition, page)] = bytes.ToArray();
        Writes++;
        return CyclesPerPage;
    }

    public ulong Read(int partition, int page, Span<byte> bytes)
    {
        if (!pages.TryGetValue((partition, page), out var held)) throw new InvalidOperationException($"the paging store holds no page {page} of partition {partition}");
        held.CopyTo(bytes);
        Reads++;
        return CyclesPerPage;
    }

    public bool Holds(int partition, int page) => pages.ContainsKey((partition, page));

    public ReadOnlySpan<byte> Peek(int partition, int page) => pages[(partition, page)];

    public void Forget(int partition, int page) => pages.Remove((partition, page));
}
