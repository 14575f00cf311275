using VirtualizationWorkbench.Machine.Assembler;

namespace VirtualizationWorkbench.Partitioning;

/// <summary>The partition-aware guest (labs/guests/lpar.s, carried inside this library) and its parameters.</summary>
public static class PartitionGuests
{
    /// <summary>The source of labs/guests/lpar.s.</summary>
    public static string LparSource { get; } = Read("Guests.lpar.s");

    /// <summary>The assembled guest.</summary>
    public static ProgramImage Lpar { get; } = Assembler.AssembleText(LparSource, "guests/lpar.s");

    /// <summary>The source of labs/guests/ams.s, the guest of a shared-memory partition.</summary>
    public static string AmsSource { get; } = Read("Guests.ams.s");

    /// <summary>The assembled shared-memory guest.</summary>
    public static ProgramImage Ams { get; } = Assembler.AssembleText(AmsSource, "guests/ams.s");

    /// <summary>Sets how a guest built like ams.s uses its memory (its words, see ams.s) in a partition it was
    /// loaded into, before it runs.</summary>
    public static void SetMemoryUse(PartitionFirmware firmware, LogicalPartition partition, GuestMemoryUse use)
    {
        var symbols = (partition.Program ?? throw new InvalidOperationException("no program loaded")).Symbols;
        foreach (var name in (string[])["working_pages", "cache_pages", "scratch_pages", "cache_every", "hints"])
        {
            if (!symbols.ContainsKey(name)) throw new PartitionError($"partition '{partition.Name}': its program has no '{name}' word; it is not built like guests/ams.s");
        }
        firmware.WriteLogicalWord(partition, symbols["working_pages"], (uint)use.WorkingPages);
        firmware.WriteLogicalWord(partition, symbols["cache_pages"], (uint)use.CachePages);
        firmware.WriteLogicalWord(partition, symbols["scratch_pages"], (uint)use.ScratchPages);
        firmware.WriteLogicalWord(partition, symbols["cache_every"], (uint)use.CacheEvery);
        firmware.WriteLogicalWord(partition, symbols["hints"], use.Hints ? 1u : 0u);
    }

    /// <summary>Sets the guest's workload words (see lpar.s) in a partition it was loaded into.</summary>
    public static void SetWorkload(PartitionFirmware firmware, LogicalPartition partition, GuestWorkload workload)
    {
        var symbols = (partition.Program ?? throw new InvalidOperationException("no program loaded")).Symbols;
        firmware.WriteLogicalWord(partition, symbols["hot_pages"], (uint)workload.HotPages);
        firmware.WriteLogicalWord(partition, symbols["delay"], (uint)workload.Delay);
        firmware.WriteLogicalWord(partition, symbols["cold_every"], (uint)workload.ColdEvery);
        firmware.WriteLogicalWord(partition, symbols["print_every"], (uint)workload.PrintEvery);
    }

    private static string Read(string name)
    {
        using var stream = typeof(PartitionGuests).Assembly.GetManifestResourceStream(name) ?? throw new InvalidOperationException($"resource {name} missing");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}

/// <summary>How lpar.s dirties memory: its hot set, the work between writes, the cold sweep, and how often it
/// prints a tick.</summary>
public sealed record GuestWorkload(string Name, int HotPages, int Delay, int ColdEvery, int PrintEvery)
{
    /// <summary>Clark et al.'s idle guest: almost no writes (a few words, then long work).</summary>
    public static GuestWorkload Idle { get; } = new("idle", 1, 20_000, 0, 1);

    /// <summary>A web-server-like writer: a small hot set rewritten often, and a slow sweep over all memory.</summary>
    public static GuestWorkload Moderate { get; } = new("moderate", 24, 400, 8, 20);

    /// <summary>The "diabolical" MMuncher: rewrites a hot set of half the memory as fast as it can.</summary>
    public static GuestWorkload Diabolical { get; } = new("diabolical", 256, 20, 0, 400);

    /// <summary>The three, in that order.</summary>
    public static IReadOnlyList<GuestWorkload> All { get; } = [Idle, Moderate, Diabolical];
}
