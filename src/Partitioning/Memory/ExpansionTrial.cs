using VirtualizationWorkbench.Machine;
using VirtualizationWorkbench.Machine.Memory;

namespace VirtualizationWorkbench.Partitioning.Memory;

/// <summary>What the working pages of an <see cref="ExpansionTrial"/> hold besides the guest's visit count.</summary>
public enum PageData
{
    /// <summary>Nothing: a page of zeros but for its count (compresses about a hundredfold).</summary>
    Zeros,

    /// <summary>A quarter page of text (letters drawn from a seeded generator), the rest zeros: compresses a few times.</summary>
    Text,

    /// <summary>Random bytes: does not compress.</summary>
    Random,
}

/// <summary>
/// Active Memory Expansion as the experiment and tests run it: a fresh 1 MiB machine, one partition of 4 blocks of
/// true memory (3 uncompressed, 1 for the compressed pool) expanded by a factor, running guests/ams.s over a number
/// of working pages it visits round-robin, whose data the host writes first. Virtual time: deterministic.
/// </summary>
public static class ExpansionTrial
{
    /// <summary>The partition's true memory, in blocks.</summary>
    public const int TrueBlocks = 4;

    /// <summary>Blocks of it set apart for the compressed pool.</summary>
    public const int CompressedBlocks = 1;

    /// <summary>Where ams.s's working pages start (its DATA_PAGE).</summary>
    public const int FirstDataPage = 16;

    /// <summary>Runs the trial: the partition activated with <paramref name="factor"/>, its
    /// <paramref name="workingPages"/> filled with <paramref name="data"/>, run for <paramref name="instructions"/>;
    /// returns the firmware as the run left it (the partition is its only one).</summary>
    public static PartitionFirmware Run(int workingPages, PageData data, double factor, long instructions, ExpansionCosts? costs = null, Machine.Cpu.ExecutionEngine engine = Machine.Cpu.ExecutionEngine.Interpreter)
    {
        var firmware = new PartitionFirmware(new MachineConfiguration { MemorySize = 1024 * 1024, Cores = 1, Engine = engine });
        var partition = firmware.ActivateExpanded(new PartitionProfile { Name = "ame", DesiredBlocks = TrueBlocks, MaxBlocks = TrueBlocks }, PartitionGuests.Ams, factor, CompressedBlocks, costs);
        if (FirstDataPage + workingPages > partition.Pages)
        {
            throw new PartitionError($"expansion trial: {workingPages} working pages do not fit in the {partition.Pages - FirstDataPage} pages above the guest's first block; raise the factor or lower the pages");
        }
        PartitionGuests.SetMemoryUse(firmware, partition, new GuestMemoryUse(workingPages, CachePages: 0, ScratchPages: 0, CacheEvery: 0, Hints: false));
        Fill(firmware, partition, FirstDataPage, workingPages, data);
        firmware.Run(instructions);
        return firmware;
    }

    /// <summary>Writes <paramref name="data"/> into <paramref name="count"/> pages from <paramref name="first"/>,
    /// after each page's first word (the guest's count). Seeded by page number: the same bytes every run.</summary>
    public static void Fill(PartitionFirmware firmware, LogicalPartition partition, int first, int count, PageData data)
    {
        var bytes = new byte[MemoryMap.PageSize - 4];
        for (var page = first; page < first + count; page++)
        {
            var random = new Random(page);
            Array.Clear(bytes);
            switch (data)
            {
                case PageData.Text:
                    for (var i = 0; i < bytes.Length / 4; i++) bytes[i] = (byte)('a' + random.Next(26));
                    break;
                case PageData.Random:
                    random.NextBytes(bytes);
                    break;
            }
            firmware.WriteLogical(partition, (uint)page * MemoryMap.PageSize + 4, bytes);
        }
    }
}
