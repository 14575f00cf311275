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
        new("storage", "thin against thick, the first write after a snapshot, mirror resync, SAN against local I/O", (_, _) => Storage(StorageExperiment.Run())),
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

    /// <summary>The storage experiment as four charts.</summary>
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
    ];
}
