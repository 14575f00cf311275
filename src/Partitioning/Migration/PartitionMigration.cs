using System.Text.RegularExpressions;
using VirtualizationWorkbench.Machine;

namespace VirtualizationWorkbench.Partitioning.Migration;

/// <summary>How to move a partition.</summary>
/// <param name="Mode">Pre-copy, stop-and-copy or the hybrid.</param>
/// <param name="Link">The link between the machines.</param>
/// <param name="Rule">When pre-copy stops (ignored by stop-and-copy).</param>
/// <param name="ClearDirtyOnSend">Clear a page's dirty bit (and protect it again) when it is sent, so that only
/// writes after it was sent make it dirty. Off, a page written in a round before it was sent is sent fresh and
/// still counted dirty: the "write-not-dirty" waste.</param>
/// <param name="HybridRounds">The hybrid's pre-copy rounds before it resumes on the target.</param>
/// <param name="AfterMilliseconds">How long the target runs after the switch, to see the guest go on.</param>
public sealed record MigrationOptions(
    MigrationMode Mode,
    MigrationLink Link,
    StopRule Rule,
    bool ClearDirtyOnSend = true,
    int HybridRounds = 1,
    double AfterMilliseconds = 5);

/// <summary>
/// Live partition mobility: moves a running partition from one machine's firmware to another's over a
/// <see cref="MigrationLink"/>, the way Clark et al. describe (NSDI 2005) and PowerVM does it.
/// <list type="number">
/// <item>Reserve: the target firmware creates an empty partition of the same size (or refuses: too small).</item>
/// <item>Pre-copy: round 1 sends every page while the guest runs; dirty pages are tracked by write protection in the
/// partition's nested page table (the first write to a protected page exits to the firmware, which records it in the
/// dirty bitmap and lets the write through); each later round sends the pages dirtied meanwhile; the
/// <see cref="StopRule"/> ends the rounds.</item>
/// <item>Stop-and-copy: the partition is suspended; the last dirty pages and the processor state go over; the
/// time this takes is the downtime. The target's memory is then the source's (hashes compared).</item>
/// <item>The partition's virtual devices follow it: a disk on a SAN reconnects from the target to the same LUN, so
/// no sector moves; a partition with a local disk is refused (its sectors would have to move too).</item>
/// <item>Resume on the target; the source's resources go back to its free pool. The hybrid resumes before the last
/// dirty pages have moved: they stay absent in the target's nested page table, and the first touch of each fetches
/// it from the suspended source (a round trip and a page), while the link pushes the rest in the background.</item>
/// </list>
/// Time is the partition's virtual clock: the guest runs exactly as long as the link takes to send each chunk of
/// pages, so a faster link gives it less time to dirty memory.
/// </summary>
public sealed class PartitionMigration(PartitionFirmware source, PartitionFirmware target, MigrationOptions options)
{
    /// <summary>Pages sent between two slices of the guest's run (the link's transfer granule).</summary>
    public const int ChunkPages = 4;

    /// <summary>Pages' worth of processor and device state sent at the switch.</summary>
    public const int StatePages = 1;

    private static readonly Regex Tick = new(@"^tick (\d+)\n", RegexOptions.Multiline | RegexOptions.CultureInvariant);

    private double clock;
    private int totalPages;

    /// <summary>The partition on the target once moved.</summary>
    public LogicalPartition? Moved { get; private set; }

    /// <summary>Moves <paramref name="partition"/>; throws <see cref="PartitionError"/>, changing nothing, if the
    /// target is too small or the partition is not running.</summary>
    public MigrationResult Move(LogicalPartition partition)
    {
        if (partition.State != PartitionState.Running)
        {
            throw new PartitionError($"migrate '{partition.Name}': it is {partition.State.ToString().ToLowerInvariant()}; only a running partition moves live");
        }
        if (partition.Sharing is not null)
        {
            throw new PartitionError($"migrate '{partition.Name}': it is in shared memory mode; this model moves partitions with dedicated memory only");
        }
        if (partition.Processing is not null)
        {
            throw new PartitionError($"migrate '{partition.Name}': it is a micro-partition; this model moves partitions with dedicated cores only");
        }
        if (partition.Expansion is not null)
        {
            throw new PartitionError($"migrate '{partition.Name}': it runs with active memory expansion; this model moves partitions whose memory is their blocks, page for page");
        }
        options.Rule.Validate();
        if (options.HybridRounds is < 1 or > StopRule.MaxRounds) throw new PartitionError($"migrate '{partition.Name}': the hybrid's rounds are 1 to {StopRule.MaxRounds}, not {options.HybridRounds}");
        // Only memory and processor state move live: a device that keeps state on this machine (a local disk's
        // sectors) or cannot reach its storage from the target refuses here, before anything is reserved.
        foreach (var device in partition.VirtualDevices)
        {
            if (device.CannotMoveTo(target) is { } why)
            {
                throw new PartitionError($"migrate '{partition.Name}': its {device.Name} {why}; live partition mobility moves memory and processor state only");
            }
        }
        LogicalPartition moved;
        try
        {
            var profile = partition.Profile with
            {
                FirstBlock = null,
                DesiredBlocks = partition.Blocks.Count,
                MinBlocks = Math.Min(partition.Profile.MinBlocks, partition.Blocks.Count),
                MaxBlocks = Math.Max(partition.Profile.MaxBlocks, partition.Blocks.Count),
                DesiredCores = partition.Cores.Count,
                MinCores = Math.Min(partition.Profile.MinCores, partition.Cores.Count),
                MaxCores = Math.Max(partition.Profile.MaxCores, partition.Cores.Count),
            };
            moved = target.Create(profile, partition.Blocks.Count, partition.Cores.Count);
        }
        catch (PartitionError e)
        {
            throw new PartitionError($"migrate '{partition.Name}' ({partition.Blocks.Count} blocks, {partition.Cores.Count} cores): the target machine cannot take it: {e.Message}");
        }
        Moved = moved;
        var rounds = new List<MigrationRound>();
        var pages = partition.Pages;
        var dirtyFaultsBefore = partition.DirtyFaults;

        if (options.Mode != MigrationMode.StopAndCopy)
        {
            StartRound(partition);
            var send = Enumerable.Range(0, pages).ToList();
            while (true)
            {
                rounds.Add(SendRound(partition, moved, send));
                var remaining = DirtyPages(partition);
                if (options.Mode == MigrationMode.Hybrid ? rounds.Count >= options.HybridRounds : options.Rule.ShouldStop(rounds.Count, remaining.Count, options.Link)) break;
                StartRound(partition);
                send = remaining;
            }
        }

        // Stop-and-copy: suspend, send what is left (everything, for plain stop-and-copy) and the processor state.
        source.Suspend(partition);
        var last = options.Mode switch
        {
            MigrationMode.StopAndCopy => Enumerable.Range(0, pages).ToList(),
            MigrationMode.Hybrid => [],
            _ => DirtyPages(partition),
        };
        partition.DirtyLogging = false;
        foreach (var page in last) Copy(partition, moved, page);
        var downtime = options.Link.CyclesFor(last.Count + StatePages);
        clock += downtime;
        totalPages += last.Count;
        rounds.Add(new MigrationRound(last.Count, options.Link.MillisecondsFor(last.Count + StatePages)));
        var missing = options.Mode == MigrationMode.Hybrid ? DirtyPages(partition) : [];
        var matches = MemoryMatches(partition, moved, missing);

        for (var i = 0; i < partition.Cores.Count; i++)
        {
            moved.CoreList[i].Control.Guest = partition.Cores[i].Control.Guest;
            moved.CoreList[i].Halted = partition.Cores[i].Halted;
        }
        // The virtual devices' registers went with the processor state; each reconnects from the target to the
        // same storage (a SAN disk logs in to the same LUN) and the source's connection ends.
        foreach (var device in partition.VirtualDevices) target.Attach(moved, device.MoveTo(target));
        partition.VirtualDeviceList.Clear();
        moved.Program = partition.Program;
        moved.PrintText(partition.Console);
        var ticksBefore = Tick.Matches(partition.Console).Count;

        var fetched = 0;
        var pushed = 0;
        if (missing.Count > 0)
        {
            var frozen = missing.ToDictionary(page => page, page => source.PageOf(partition, page).ToArray());
            foreach (var page in missing) moved.Table.Unmap(page);
            var fetcher = new DemandFetch(target, frozen, options.Link);
            moved.MissingPages = fetcher;
            target.Resume(moved);
            // The link pushes the missing pages in order while the guest runs; a page it touches first comes on demand.
            foreach (var chunk in missing.Chunk(ChunkPages))
            {
                foreach (var page in chunk.Where(p => !moved.Table.IsPresent(p)))
                {
                    fetcher.Place(moved, page);
                    pushed++;
                }
                var cycles = options.Link.CyclesFor(chunk.Length);
                clock += cycles;
                target.RunFor(moved, (ulong)cycles);
            }
            fetched = fetcher.Fetches;
            totalPages += fetched + pushed;
            moved.MissingPages = null;
        }
        else
        {
            target.Resume(moved);
        }
        source.Release(partition);
        partition.State = PartitionState.Moved;

        target.RunFor(moved, (ulong)(options.AfterMilliseconds * VirtualClock.CyclesPerMillisecond));
        var continued = Continued(moved.Console, ticksBefore) && moved.State is PartitionState.Running or PartitionState.Halted;
        return new MigrationResult(options.Mode, rounds, totalPages, VirtualClock.Milliseconds((ulong)downtime), VirtualClock.Milliseconds((ulong)clock),
            matches, continued, fetched, pushed, partition.DirtyFaults - dirtyFaultsBefore);
    }

    // A round starts: the dirty bitmap is cleared and every page is write-protected, so the next write to each is
    // seen. (Round 1 starts it too: logging is on before anything is sent, as in QEMU.)
    private void StartRound(LogicalPartition partition)
    {
        Array.Clear(partition.Dirty);
        for (var page = 0; page < partition.Pages; page++) partition.Table.SetWritable(page, false);
        partition.DirtyLogging = true;
        foreach (var core in partition.Cores) core.Core.FlushTlb();
    }

    private MigrationRound SendRound(LogicalPartition partition, LogicalPartition moved, List<int> pages)
    {
        var start = clock;
        foreach (var chunk in pages.Chunk(ChunkPages))
        {
            foreach (var page in chunk)
            {
                Copy(partition, moved, page);
                if (options.ClearDirtyOnSend)
                {
                    // Only a write after this copy makes the page dirty again.
                    partition.Dirty[page] = false;
                    partition.Table.SetWritable(page, false);
                }
            }
            if (options.ClearDirtyOnSend) foreach (var core in partition.Cores) core.Core.FlushTlb();
            var cycles = options.Link.CyclesFor(chunk.Length);
            clock += cycles;
            if (partition.State == PartitionState.Running) source.RunFor(partition, (ulong)cycles);
        }
        totalPages += pages.Count;
        return new MigrationRound(pages.Count, VirtualClock.Milliseconds((ulong)(clock - start)));
    }

    private void Copy(LogicalPartition partition, LogicalPartition moved, int page) =>
        source.PageOf(partition, page).CopyTo(target.PageOf(moved, page));

    private static List<int> DirtyPages(LogicalPartition partition)
    {
        var dirty = new List<int>();
        for (var page = 0; page < partition.Pages; page++)
        {
            if (partition.Dirty[page]) dirty.Add(page);
        }
        return dirty;
    }

    // At the switch every page the target has equals the source's; the hybrid's missing pages are served later from
    // the suspended source, so they are left out.
    private bool MemoryMatches(LogicalPartition partition, LogicalPartition moved, List<int> missing)
    {
        if (missing.Count == 0) return source.HashOf(partition) == target.HashOf(moved);
        var absent = missing.ToHashSet();
        for (var page = 0; page < partition.Pages; page++)
        {
            if (!absent.Contains(page) && !source.PageOf(partition, page).SequenceEqual(target.PageOf(moved, page))) return false;
        }
        return true;
    }

    // The guest went on: its complete tick lines (a line being printed at the end is left out), before and after the switch, count 0, 1, 2, ... with none lost or repeated, and
    // there are more than before.
    private static bool Continued(string console, int ticksBefore)
    {
        var ticks = Tick.Matches(console).Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        return ticks.Count > ticksBefore && ticks.Select((t, i) => t == i).All(ok => ok);
    }

    /// <summary>The hybrid's pages fetched on demand: the suspended source's copy of each page still missing.</summary>
    private sealed class DemandFetch(PartitionFirmware target, Dictionary<int, byte[]> frozen, MigrationLink link) : IMissingPages
    {
        public int Fetches { get; private set; }

        public bool BringIn(LogicalPartition partition, int page, Core core)
        {
            if (!frozen.ContainsKey(page)) return false;
            Place(partition, page);
            Fetches++;
            // The guest waits a round trip and the page's transfer.
            core.Charge((ulong)(link.RoundTripMilliseconds * VirtualClock.CyclesPerMillisecond + link.CyclesFor(1)));
            return true;
        }

        public void Place(LogicalPartition partition, int page)
        {
            frozen[page].CopyTo(target.PageOf(partition, page));
            partition.Table.Map(page, target.MachineAddress(partition, (uint)page * Machine.Memory.MemoryMap.PageSize));
            frozen.Remove(page);
        }
    }
}
