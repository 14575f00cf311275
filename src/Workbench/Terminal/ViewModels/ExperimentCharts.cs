using VirtualizationWorkbench.Experiments;
using VirtualizationWorkbench.Labs;
using VirtualizationWorkbench.Machine.Costs;
using VirtualizationWorkbench.Machine.Virtualization.Experiments;

namespace VirtualizationWorkbench.Workbench.Terminal.ViewModels;

/// <summary>An experiment the terminal UI can run and draw: its name, what it measures, and how to run it into charts.</summary>
/// <param name="Name">As <c>workbench experiment NAME</c> calls it.</param>
/// <param name="Description">One line.</param>
/// <param name="Run">Runs it (off the UI thread) and draws its results.</param>
public sealed record ChartedExperiment(string Name, string Description, Func<LabCatalog, CancellationToken, IReadOnlyList<BarChart>> Run);

/// <summary>
/// The experiments the terminal UI draws, each as the bar charts of its tables (the same figures as
/// <c>workbench experiment NAME</c> prints). A new lab's experiment adds an entry to <see cref="All"/>.
/// </summary>
public static class ExperimentCharts
{
    /// <summary>Every charted experiment, in course order.</summary>
    public static IReadOnlyList<ChartedExperiment> All { get; } =
    [
        new("overhead", "Adams & Agesen's microbenchmarks: native, binary translation, paravirtualization, hardware assistance", Overhead),
        new("emulation", "one loop as native C#, on the workbench core, and as RISC-V on each emulation engine (host time)", Emulation),
        new("migration", "live partition mobility: pre-copy under Xen's and QEMU's stop rules, the hybrid and stop-and-copy, across bandwidths", (_, _) => Migration(MigrationExperiment.Run())),
        new("containers", "N containers against N virtual machines: start-up, memory per instance, density", Containers),
        new("storage", "thin against thick, the first write after a snapshot, mirror resync, SAN against local I/O, migration with the disk on the SAN", (_, _) => Storage(StorageExperiment.Run())),
    ];

    /// <summary>Iterations of the emulation experiment's loop in the UI: a tenth of the command's default, so a run
    /// takes seconds; <c>workbench experiment emulation</c> gives the recorded figures.</summary>
    public const int EmulationIterations = 2_000_000;

    /// <summary>The emulation experiment: slowdown against native C# per layer (measured in host time, so it varies
    /// from run to run and with the machine's load, unlike the virtual-time experiments).</summary>
    public static IReadOnlyList<BarChart> Emulation(LabCatalog catalog, CancellationToken cancellation)
    {
        var path = Path.Combine(catalog.LabsFolder, "guests", "rv32", "prebuilt", "xorshift.elf");
        if (!File.Exists(path)) throw new UserError($"{path}: missing; the experiment's RISC-V program lives there (labs/guests/rv32/build.sh builds it)");
        cancellation.ThrowIfCancellationRequested();
        return Emulation(EmulationExperiment.Run(path, EmulationIterations));
    }

    /// <summary>The emulation experiment's layers as two charts: slowdown and guest MIPS.</summary>
    public static IReadOnlyList<BarChart> Emulation(IReadOnlyList<EmulationLayer> layers) =>
    [
        new("Slowdown against native C#, per iteration (host time: varies with load)", "×",
            [.. layers.Select(l => new BarGroup(l.Name, [new("slowdown", l.Slowdown)]))]),
        new("Guest instructions per second", "million",
            [.. layers.Where(l => l.GuestInstructions > 0).Select(l => new BarGroup(l.Name, [new("MIPS", l.GuestMips)]))]),
    ];

    /// <summary>The overhead experiment under both cost tables: cycles per operation for each microbenchmark, and
    /// the macro workloads' overhead over native.</summary>
    public static IReadOnlyList<BarChart> Overhead(LabCatalog catalog, CancellationToken cancellation)
    {
        var path = Path.Combine(catalog.LabsFolder, "guests", "microbench.s");
        if (!File.Exists(path)) throw new UserError($"{path}: missing; the experiment's workloads live there");
        var experiment = new OverheadExperiment(File.ReadAllText(path), path);
        var charts = new List<BarChart>();
        foreach (var table in new[] { CostTables.Year2006, CostTables.Modern })
        {
            cancellation.ThrowIfCancellationRequested();
            charts.AddRange(Overhead(experiment.Run(table)));
        }
        return charts;
    }

    /// <summary>One cost table's results as two charts.</summary>
    public static IReadOnlyList<BarChart> Overhead(OverheadTable table) =>
    [
        new($"Cost table {table.CostTable}: cycles per operation", "virtual cycles",
            [.. table.Rows.Select(r => new BarGroup(r.Name, [new("native", r.Native), new("BT", r.BinaryTranslation), new("PV", r.Paravirtualization), new("HW", r.HardwareAssisted)]))]),
        new($"Cost table {table.CostTable}: overhead over native", "%",
            [.. table.Workloads.Select(w => new BarGroup(w.Name, [new("BT", w.BinaryTranslation), new("PV", w.Paravirtualization), new("HW", w.HardwareAssisted)]))]),
    ];

    /// <summary>The storage experiment as five charts.</summary>
    public static IReadOnlyList<BarChart> Storage(StorageResults results) =>
    [
        new($"Utilisation of {results.Utilisation.Volumes} volumes", "% of the space set aside that holds data",
            [new BarGroup("provisioned", [new("thick", results.Utilisation.ThickUtilisationPercent), new("thin", results.Utilisation.ThinUtilisationPercent)])]),
        new("A one-sector write to a snapshot's origin", "virtual cycles",
            [.. results.Snapshot.Select(s => new BarGroup(s.Case, [new("cycles", s.Cycles)]))]),
        new("Resynchronising a mirror leg", "virtual cycles",
            [.. results.Resync.Select(r => new BarGroup($"{r.Kibibytes:N0} KiB", [new("everything", r.FullCycles), new("bitmap", r.BitmapCycles)]))]),
        new("A request on a local volume and over the SAN", "virtual cycles",
            [.. results.San.Select(s => new BarGroup(s.Request, [new("local", s.LocalCycles), new("SAN", s.SanCycles)]))]),
        new("What a live migration moves: disk on the SAN, or local (computed lower bound)", "KiB",
            [.. results.SanMigration.Select(m => new BarGroup(m.Mode, [new("SAN: memory", m.MemoryKibibytes), new("local: memory + disk", m.LocalDiskKibibytes)]))]),
    ];

    /// <summary>The migration experiment as two charts, downtime and total time, one group per workload and link.</summary>
    public static IReadOnlyList<BarChart> Migration(IReadOnlyList<MigrationRun> runs)
    {
        var groups = runs.GroupBy(r => (r.Workload, r.Bandwidth)).ToList();
        static string Label(MigrationRun r) => r.Mode == "pre-copy" ? $"pre-copy {r.StopRule}" : r.Mode;
        return
        [
            new("Migration downtime (the guest stopped)", "virtual ms",
                [.. groups.Select(g => new BarGroup($"{g.Key.Workload}, {g.Key.Bandwidth:F0} Mbit/s", [.. g.Select(r => new Bar(Label(r), r.DowntimeMs))]))]),
            new("Migration total time (request to the guest running on the target alone)", "virtual ms",
                [.. groups.Select(g => new BarGroup($"{g.Key.Workload}, {g.Key.Bandwidth:F0} Mbit/s", [.. g.Select(r => new Bar(Label(r), r.TotalMs))]))]),
        ];
    }

    /// <summary>The containers experiment (it boots the minikernel as the virtual machines' guest).</summary>
    public static IReadOnlyList<BarChart> Containers(LabCatalog catalog, CancellationToken cancellation)
    {
        var path = Path.Combine(catalog.LabsFolder, "guests", "minikernel.s");
        if (!File.Exists(path)) throw new UserError($"{path}: missing; the virtual machines boot that kernel");
        cancellation.ThrowIfCancellationRequested();
        return Containers(ContainerExperiment.Run(path));
    }

    /// <summary>The containers experiment as four charts: start-up one after another and all at once, memory per
    /// instance and density.</summary>
    public static IReadOnlyList<BarChart> Containers(ContainerResults results) =>
    [
        new("Start-up, request to the service's first output (mean)", "virtual cycles",
            [.. results.Rows.Select(r => new BarGroup($"N = {r.Instances}", [new("container", r.ContainerStartMean), new("VM", r.VmStartMean)]))]),
        new("Start-up when all N are requested at once on one core (the last instance up)", "virtual cycles",
            [.. results.Rows.Select(r => new BarGroup($"N = {r.Instances}", [new("container", r.ContainerBurstLast), new("VM", r.VmBurstLast)]))]),
        new("Memory per instance", "bytes",
            [.. results.Rows.Select(r => new BarGroup($"N = {r.Instances}", [new("container", r.ContainerBytes), new("VM RAM given", r.VmReservedBytes), new("VM pages written", r.VmTouchedBytes)]))]),
        new($"Instances that fit in {results.Density.MemoryBytes / (1024 * 1024)} MiB", "instances",
            [new BarGroup("density", [new("containers", results.Density.Containers), new("VMs", results.Density.VirtualMachines), new("VMs by pages written", results.Density.VirtualMachinesByTouchedPages)])]),
    ];
}
