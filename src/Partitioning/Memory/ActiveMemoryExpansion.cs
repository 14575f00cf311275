using System.IO.Compression;
using System.Security.Cryptography;
using VirtualizationWorkbench.Machine;
using VirtualizationWorkbench.Machine.Memory;

namespace VirtualizationWorkbench.Partitioning.Memory;

/// <summary>The cycles Active Memory Expansion charges per byte of a page it compresses and decompresses (a software
/// compressor; POWER7+ has an accelerator on chip). Charged per page, whatever the page compresses to, so the
/// partition's clock does not depend on the host's compressor build.</summary>
public sealed record ExpansionCosts(double CompressCyclesPerByte = 12, double DecompressCyclesPerByte = 3)
{
    /// <summary>Cycles of compressing one page.</summary>
    public ulong CompressPage => (ulong)(CompressCyclesPerByte * MemoryMap.PageSize);

    /// <summary>Cycles of decompressing one page.</summary>
    public ulong DecompressPage => (ulong)(DecompressCyclesPerByte * MemoryMap.PageSize);
}

/// <summary>
/// Active Memory Expansion of one running partition with dedicated memory. Its true memory (its blocks) is split
/// into an uncompressed pool, whose page frames hold the pages its guest is using, and a compressed pool of
/// <see cref="CompressedPoolPages"/> pages' worth of bytes; its guest is told it has <see cref="LogicalPages"/>, the
/// true memory times the expansion factor. A page that is not in the uncompressed pool is absent from the nested page
/// table, so the guest's touch exits to the firmware, which brings it in (<see cref="IMissingPages"/>):
/// decompressed if it was compressed, zeroed if it was never touched. When the uncompressed pool is full, the page
/// its <see cref="PageClock"/> finds unused (the hardware's accessed bit) is compressed with a real compressor
/// (<see cref="DeflateStream"/>) into the compressed pool; a page that does not shrink is kept whole. The core that
/// waits is charged both (<see cref="ExpansionCosts"/>).
/// The factor achieved is the pages the partition holds over the memory they take (frames in use and compressed
/// bytes), which is the model's <c>(U + C·r) / (U + C)</c>, U the uncompressed pages, C the compressed pool in pages
/// and r its compression ratio. On POWER, AIX does this inside the partition; here the firmware does it below the
/// guest, so any guest runs expanded. The compressed bytes are kept by the firmware (outside the machine's RAM,
/// whose contents stay independent of the host's compressor); beyond <see cref="CompressedPoolPages"/> they are a
/// <see cref="Deficit"/>, what AIX would have to page out.
/// </summary>
public sealed class ActiveMemoryExpansion : IMissingPages
{
    /// <summary>The largest expansion factor (AIX's limit is 10.00).</summary>
    public const double MaxFactor = 10;

    private const int PageSize = (int)MemoryMap.PageSize;
    private static readonly byte[] ZeroPage = new byte[PageSize];

    private readonly PhysicalMemory ram;
    private readonly uint[] frames;
    private readonly Stack<int> free = new();
    private readonly int[] frameOf;
    private readonly byte[]?[] compressed;

    internal ActiveMemoryExpansion(PhysicalMemory ram, LogicalPartition partition, int uncompressedBlocks, int logicalPages, ExpansionCosts? costs)
    {
        this.ram = ram;
        Partition = partition;
        LogicalPages = logicalPages;
        Costs = costs ?? new ExpansionCosts();
        var blocks = partition.Blocks;
        CompressedPoolPages = (blocks.Count - uncompressedBlocks) * PartitionFirmware.PagesPerBlock;
        frames = [.. blocks.Take(uncompressedBlocks).SelectMany(b => Enumerable.Range(0, PartitionFirmware.PagesPerBlock).Select(i => (uint)b * PartitionFirmware.BlockSize + (uint)i * MemoryMap.PageSize))];
        // The blocks were mapped one to one when they were given; from now on the firmware maps what is resident.
        for (var page = 0; page < blocks.Count * PartitionFirmware.PagesPerBlock; page++) partition.Table.Unmap(page);
        for (var frame = frames.Length - 1; frame >= 0; frame--) free.Push(frame);
        frameOf = new int[logicalPages];
        Array.Fill(frameOf, -1);
        compressed = new byte[]?[logicalPages];
        Clock = new PageClock(logicalPages);
    }

    /// <summary>The partition.</summary>
    public LogicalPartition Partition { get; }

    /// <summary>Its expanded memory in pages: what its guest is told it has.</summary>
    public int LogicalPages { get; }

    /// <summary>Frames of the uncompressed pool.</summary>
    public int UncompressedPages => frames.Length;

    /// <summary>The compressed pool's share of the true memory, in pages.</summary>
    public int CompressedPoolPages { get; }

    /// <summary>What compressing and decompressing cost.</summary>
    public ExpansionCosts Costs { get; }

    /// <summary>The resident pages, in the clock that chooses which to compress.</summary>
    public PageClock Clock { get; }

    /// <summary>Pages its guest touched while they were not in the uncompressed pool (each an exit).</summary>
    public long Faults { get; private set; }

    public long Compressions { get; private set; }

    public long Decompressions { get; private set; }

    /// <summary>Pages touched for the first time: a zeroed frame, nothing to decompress.</summary>
    public long ZeroFills { get; private set; }

    /// <summary>Cycles its cores waited for compressing and decompressing.</summary>
    public ulong Cycles { get; private set; }

    /// <summary>Cycles of the firmware's own accesses (loading a program, a host writing a word), which no guest
    /// waited for.</summary>
    public ulong FirmwareCycles { get; private set; }

    /// <summary>Pages now in the compressed pool.</summary>
    public int CompressedPageCount { get; private set; }

    /// <summary>Bytes the compressed pool holds.</summary>
    public long CompressedBytes { get; private set; }

    /// <summary>U: pages in the uncompressed pool.</summary>
    public int U => Clock.Count;

    /// <summary>C: the compressed pool in use, in pages (its bytes over the page size).</summary>
    public double C => CompressedBytes / (double)PageSize;

    /// <summary>r: the compression ratio of what the compressed pool holds.</summary>
    public double Ratio => CompressedBytes == 0 ? 1 : CompressedPageCount * (double)PageSize / CompressedBytes;

    /// <summary>Pages' worth of compressed bytes beyond the compressed pool: memory the partition lacks (AIX's
    /// memory deficit, which it pages out); 0 while the data compresses as well as the factor needs.</summary>
    public double Deficit => Math.Max(0, C - CompressedPoolPages);

    /// <summary>The factor achieved, counted page by page from the pools: pages held over the memory they take.</summary>
    public double AchievedFactor
    {
        get
        {
            long held = 0, bytes = 0;
            for (var page = 0; page < LogicalPages; page++)
            {
                if (frameOf[page] >= 0) (held, bytes) = (held + 1, bytes + PageSize);
                else if (compressed[page] is { } packed) (held, bytes) = (held + 1, bytes + packed.Length);
            }
            return bytes == 0 ? 1 : held * (double)PageSize / bytes;
        }
    }

    /// <summary>The model's factor, <c>(U + C·r) / (U + C)</c>, from the pools' totals.</summary>
    public double FormulaFactor => U + C == 0 ? 1 : (U + C * Ratio) / (U + C);

    /// <summary>Whether logical page <paramref name="page"/> is in the uncompressed pool.</summary>
    public bool IsResident(int page) => frameOf[page] >= 0;

    /// <summary>Whether logical page <paramref name="page"/> is in the compressed pool.</summary>
    public bool IsCompressed(int page) => compressed[page] is not null;

    bool IMissingPages.BringIn(LogicalPartition partition, int page, Core core)
    {
        if (page >= LogicalPages || IsResident(page)) return false;
        Faults++;
        var cycles = BringIn(page);
        Cycles += cycles;
        core.Charge(cycles);
        return true;
    }

    /// <summary>The machine address of a page's frame, bringing it in first (for the firmware's own accesses);
    /// marked dirty if <paramref name="write"/>.</summary>
    internal uint FrameAddress(int page, bool write)
    {
        if (!IsResident(page)) FirmwareCycles += BringIn(page);
        if (write) Partition.Table.MarkDirty(page);
        return frames[frameOf[page]];
    }

    /// <summary>A page's bytes wherever they are, without moving it (a compressed page is decompressed into a copy).</summary>
    public ReadOnlySpan<byte> Peek(int page)
    {
        if (IsResident(page)) return ram.Slice(frames[frameOf[page]], MemoryMap.PageSize);
        if (compressed[page] is not { } packed) return ZeroPage;
        var bytes = new byte[PageSize];
        Inflate(packed, bytes);
        return bytes;
    }

    /// <summary>SHA-256 of the expanded memory in page order, wherever each page is, as hex.</summary>
    public string HashOf()
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        for (var page = 0; page < LogicalPages; page++) sha.AppendData(Peek(page));
        return Convert.ToHexString(sha.GetHashAndReset());
    }

    /// <summary>The partition goes away: every page unmapped, the compressed pool emptied.</summary>
    internal void Release()
    {
        foreach (var page in Clock.FromHand().ToList()) Evict(page, compress: false);
        Array.Clear(compressed);
        (CompressedBytes, CompressedPageCount) = (0, 0);
    }

    private ulong BringIn(int page)
    {
        var cycles = 0ul;
        if (free.Count == 0) cycles += Evict(Clock.Choose(Partition.Table), compress: true);
        var frame = free.Pop();
        var bytes = ram.Slice(frames[frame], MemoryMap.PageSize);
        if (compressed[page] is { } packed)
        {
            Inflate(packed, bytes);
            compressed[page] = null;
            CompressedBytes -= packed.Length;
            CompressedPageCount--;
            Decompressions++;
            cycles += Costs.DecompressPage;
        }
        else
        {
            bytes.Clear();
            ZeroFills++;
        }
        frameOf[page] = frame;
        Clock.Add(page);
        Partition.Table.Map(page, frames[frame]);
        return cycles;
    }

    // Takes a page out of the uncompressed pool: unmapped (the partition's cores forget it), compressed if asked,
    // its frame scrubbed and free.
    private ulong Evict(int page, bool compress)
    {
        Partition.Table.Unmap(page);
        foreach (var core in Partition.Cores) core.Core.FlushTlb();
        var frame = frameOf[page];
        frameOf[page] = -1;
        Clock.Remove(page);
        var bytes = ram.Slice(frames[frame], MemoryMap.PageSize);
        var cycles = 0ul;
        if (compress)
        {
            var packed = Deflate(bytes);
            compressed[page] = packed;
            CompressedBytes += packed.Length;
            CompressedPageCount++;
            Compressions++;
            cycles = Costs.CompressPage;
        }
        bytes.Clear();
        free.Push(frame);
        return cycles;
    }

    // A page that does not shrink is kept whole: storing it compressed would only cost.
    private static byte[] Deflate(ReadOnlySpan<byte> page)
    {
        using var output = new MemoryStream();
        using (var deflate = new DeflateStream(output, CompressionLevel.Fastest, leaveOpen: true)) deflate.Write(page);
        return output.Length < PageSize ? output.ToArray() : page.ToArray();
    }

    private static void Inflate(byte[] packed, Span<byte> page)
    {
        if (packed.Length == PageSize)
        {
            packed.CopyTo(page);
            return;
        }
        using var deflate = new DeflateStream(new MemoryStream(packed), CompressionMode.Decompress);
        deflate.ReadExactly(page);
    }
}
