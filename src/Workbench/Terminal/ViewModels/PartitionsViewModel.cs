using VirtualizationWorkbench.Partitioning;

namespace VirtualizationWorkbench.Workbench.Terminal.ViewModels;

/// <summary>
/// What lab 02's screen shows of a partitioned machine: which partition owns each memory block and core, and each
/// partition's state, resources, fault and console. No UI types; <see cref="Run"/> lets the guests go on.
/// </summary>
public sealed class PartitionsViewModel(PartitionFirmware firmware)
{
    /// <summary>One partition: its letter in <see cref="BlockStrip"/>, state, resources and console.</summary>
    public sealed record PartitionLine(char Letter, string Name, string State, int Cores, string Blocks, uint MemoryBytes, ulong Cycles, string Fault, IReadOnlyList<string> Console);

    /// <summary>Instructions the guests have been given to run in this view (each core, round-robin).</summary>
    public long Ran { get; private set; }

    /// <summary>The machine in a line, e.g. "4 cores, 32 blocks of 64 KiB: 20 free blocks, 1 free core".</summary>
    public string Title => $"{firmware.Machine.Cores.Count} cores, {firmware.TotalBlocks} blocks of {PartitionFirmware.BlockSize / 1024} KiB: {firmware.FreeBlocks} free blocks, {firmware.FreeCores} free cores";

    /// <summary>Every memory block of the machine, one character each: <c>F</c> the firmware's, a partition's
    /// letter, <c>S</c> the shared memory pool's, or <c>.</c> free.</summary>
    public string BlockStrip
    {
        get
        {
            var strip = new char[firmware.TotalBlocks];
            for (var b = 0; b < strip.Length; b++)
            {
                strip[b] = b < PartitionFirmware.FirmwareBlocks ? 'F' : firmware.OwnerOfBlock(b) is { } owner ? Letter(owner) : firmware.SharedPool?.Blocks.Contains(b) == true ? 'S' : '.';
            }
            return new string(strip);
        }
    }

    /// <summary>The partitions, in the order they were activated.</summary>
    public IReadOnlyList<PartitionLine> Partitions =>
        [.. firmware.Partitions.Select(p => new PartitionLine(Letter(p), p.Name, p.State.ToString().ToLowerInvariant(), p.Cores.Count,
            p.Sharing is { } shared ? $"shared: {shared.ResidentPages} pages resident, {shared.PageOuts} paged out" : Ranges(p.Blocks), p.MemorySize, p.Cycles, p.Fault ?? "",
            [.. p.Console.Split('\n', StringSplitOptions.RemoveEmptyEntries).TakeLast(3)]))];

    /// <summary>Runs every running partition for up to <paramref name="instructions"/> more instructions per core.</summary>
    public void Run(long instructions)
    {
        firmware.Run(instructions);
        Ran += instructions;
    }

    private char Letter(LogicalPartition partition)
    {
        var index = 0;
        foreach (var p in firmware.Partitions)
        {
            if (p == partition) break;
            index++;
        }
        return (char)('A' + index % 26);
    }

    /// <summary>Block numbers as ranges, "1-4 9".</summary>
    private static string Ranges(IReadOnlyList<int> blocks)
    {
        var sorted = blocks.Order().ToList();
        var parts = new List<string>();
        for (var i = 0; i < sorted.Count;)
        {
            var j = i;
            while (j + 1 < sorted.Count && sorted[j + 1] == sorted[j] + 1) j++;
            parts.Add(i == j ? $"{sorted[i]}" : $"{sorted[i]}-{sorted[j]}");
            i = j + 1;
        }
        return string.Join(' ', parts);
    }
}
