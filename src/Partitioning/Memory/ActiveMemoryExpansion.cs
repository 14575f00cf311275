using System.IO.Compression;
using VirtualizationWorkbench.Machine.Memory;

namespace VirtualizationWorkbench.Partitioning.Memory;

/// <summary>The cycles Active Memory Expansion charges per byte it compresses and decompresses (a software
/// compressor; POWER7+ has an accelerator on chip).</summary>
public sealed record ExpansionCosts(double CompressCyclesPerByte = 12, double DecompressCyclesPerByte = 3);

/// <summary>
/// Active Memory Expansion, as AIX does it inside one partition: its memory is an uncompressed pool of
/// <see cref="UncompressedPages"/> page frames and a compressed pool. A page touched is decompressed into the
/// uncompressed pool if it was compressed; when that pool is full, its least recently used page is compressed (with
/// a real compressor, <see cref="DeflateStream"/>) into the compressed pool. A page that does not compress is kept
/// as it is (AIX never pages compressed memory out either). Both directions charge cycles.
/// The partition then holds more pages than it has frames: the expansion factor achieved is its logical pages over the
/// physical pages used, and it equals the model's <c>(U + C·r) / (U + C)</c> with U the uncompressed pool, C the
/// compressed pool in pages and r the compression ratio.
/// </summary>
public sealed class ActiveMemoryExpansion
{
    private const int PageSize = (int)MemoryMap.PageSize;
    private readonly byte[]?[] uncompressed;
    private readonly byte[]?[] compressed;
    private readonly LinkedList<int> recent = new();
    private readonly LinkedListNode<int>?[] nodes;
    private readonly ExpansionCosts costs;

    /// <summary>A partition of <paramref name="logicalPages"/> pages (all zero) with
    /// <paramref name="uncompressedPages"/> frames of uncompressed memory.</summary>
    public ActiveMemoryExpansion(int logicalPages, int uncompressedPages, ExpansionCosts? costs = null)
    {
        if (logicalPages is < 1 or > 1 << 20) throw new PartitionError($"active memory expansion: 1 to {1 << 20} logical pages, not {logicalPages}");
        if (uncompressedPages < 1 || uncompressedPages > logicalPages) throw new PartitionError($"active memory expansion: the uncompressed pool is 1 to {logicalPages} pages, not {uncompressedPages}");
        LogicalPages = logicalPages;
        UncompressedPages = uncompressedPages;
        uncompressed = new byte[]?[logicalPages];
        compressed = new byte[]?[logicalPages];
        nodes = new LinkedListNode<int>?[logicalPages];
        this.costs = costs ?? new ExpansionCosts();
    }

    public int LogicalPages { get; }

    public int UncompressedPages { get; }

    /// <summary>Cycles charged for compressing and decompressing.</summary>
    public double Cycles { get; private set; }

    public long Compressions { get; private set; }

    public long Decompressions { get; private set; }

    /// <summary>Pages now in the compressed pool.</summary>
    public int CompressedPageCount { get; private set; }

    /// <summary>Bytes the compressed pool holds.</summary>
    public long CompressedBytes { get; private set; }

    /// <summary>U: pages of the uncompressed pool in use.</summary>
    public int U => recent.Count;

    /// <summary>C: the compressed pool in pages (its bytes over the page size).</summary>
    public double C => CompressedBytes / (double)PageSize;

    /// <summary>r: the compression ratio of what the compressed pool holds.</summary>
    public double Ratio => CompressedBytes == 0 ? 1 : CompressedPageCount * (double)PageSize / CompressedBytes;

    /// <summary>The expansion achieved, counted from the pools themselves: pages the partition holds over the
    /// physical pages its frames and compressed copies take.</summary>
    public double AchievedFactor
    {
        get
        {
            long held = 0, bytes = 0;
            for (var page = 0; page < LogicalPages; page++)
            {
                if (uncompressed[page] is { } frame) (held, bytes) = (held + 1, bytes + frame.Length);
                else if (compressed[page] is { } packed) (held, bytes) = (held + 1, bytes + packed.Length);
            }
            return bytes == 0 ? 1 : held * (double)PageSize / bytes;
        }
    }

    /// <summary>The model's factor, <c>(U + C·r) / (U + C)</c>.</summary>
    public double FormulaFactor => (U + C * Ratio) / (U + C);

    /// <summary>Page <paramref name="page"/>'s bytes, decompressed first if it was compressed; the caller may
    /// write them (the page stays uncompressed until it is the least recently used).</summary>
    public Span<byte> Access(int page)
    {
        if ((uint)page >= (uint)LogicalPages) throw new PartitionError($"active memory expansion: page {page} is outside the partition's {LogicalPages} pages");
        if (nodes[page] is { } node)
        {
            recent.Remove(node);
            recent.AddFirst(node);
            return uncompressed[page];
        }
        var bytes = new byte[PageSize];
        if (compressed[page] is { } packed)
        {
            Inflate(packed, bytes);
            Decompressions++;
            Cycles += costs.DecompressCyclesPerByte * PageSize;
            CompressedBytes -= packed.Length;
            CompressedPageCount--;
            compressed[page] = null;
        }
        if (recent.Count == UncompressedPages) Evict();
        uncompressed[page] = bytes;
        nodes[page] = recent.AddFirst(page);
        return bytes;
    }

    private void Evict()
    {
        var victim = recent.Last!.Value;
        recent.RemoveLast();
        nodes[victim] = null;
        var page = uncompressed[victim]!;
        uncompressed[victim] = null;
        var packed = Deflate(page);
        Compressions++;
        Cycles += costs.CompressCyclesPerByte * PageSize;
        compressed[victim] = packed;
        CompressedBytes += packed.Length;
        CompressedPageCount++;
    }

    // A page that does not shrink is kept whole: compressing it would only cost.
    private static byte[] Deflate(byte[] page)
    {
        using var output = new MemoryStream();
        using (var deflate = new DeflateStream(output, CompressionLevel.Fastest, leaveOpen: true)) deflate.Write(page);
        return output.Length < PageSize ? output.ToArray() : page;
    }

    private static void Inflate(byte[] packed, byte[] page)
    {
        if (packed.Length == PageSize)
        {
            packed.CopyTo(page, 0);
            return;
        }
        using var deflate = new DeflateStream(new MemoryStream(packed), CompressionMode.Decompress);
        deflate.ReadExactly(page);
    }
}
