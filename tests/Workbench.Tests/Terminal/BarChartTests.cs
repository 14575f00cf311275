using VirtualizationWorkbench.Experiments;
using VirtualizationWorkbench.Machine.Virtualization.Experiments;
using VirtualizationWorkbench.Workbench.Terminal.Screens;
using VirtualizationWorkbench.Workbench.Terminal.Shell;
using VirtualizationWorkbench.Workbench.Terminal.ViewModels;

namespace VirtualizationWorkbench.Workbench.Tests.Terminal;

public sealed class BarChartTests
{
    [Test]
    public void Should_Draw_Bars_In_Proportion_With_Their_Values_Within_The_Width()
    {
        var chart = new BarChart("Two", "cycles", [new BarGroup("row", [new Bar("a", 100), new Bar("bb", 50), new Bar("c", 0)])]);
        var lines = chart.Lines(40);
        Assert.That(lines[0], Is.EqualTo("Two (cycles)"));
        Assert.That(lines[1], Is.EqualTo("  row"));
        Assert.That(lines.Select(l => l.Length), Has.All.LessThanOrEqualTo(40));
        var a = lines[2].Count(c => c == '█');
        var b = lines[3].Count(c => c == '█');
        Assert.That(a, Is.EqualTo(2 * b).Within(1), "half the value, half the bar");
        Assert.That(lines[2], Does.EndWith(" 100").And.StartWith("    a  █"));
        Assert.That(lines[4], Does.Not.Contain("█").And.EndWith("   0"));
    }

    [Test]
    public void Should_Switch_To_A_Logarithmic_Scale_When_Values_Span_Orders_Of_Magnitude_And_Never_Hide_A_Small_One()
    {
        var chart = new BarChart("Wide", "cycles", [new BarGroup("row", [new Bar("tiny", 1), new Bar("huge", 100_000)])]);
        Assert.That(chart.Logarithmic, Is.True);
        var lines = chart.Lines(60);
        Assert.That(lines[0], Does.Contain("logarithmic"));
        Assert.That(lines[2], Does.Match("tiny [▏▎▍▌▋▊▉█]"), "1 cycle still shows");
        Assert.That(lines[3].Count(c => c == '█'), Is.GreaterThan(4 * lines[2].Count(c => c == '█')));
        Assert.That(new BarChart("Narrow", "%", [new BarGroup("r", [new Bar("x", 3), new Bar("y", 30)])]).Logarithmic, Is.False);
    }

    [Test]
    public void Should_Draw_The_Storage_Experiment_With_Its_Own_Figures()
    {
        var results = StorageExperiment.Run();
        var charts = ExperimentCharts.Storage(results);
        Assert.That(charts.Select(c => c.Title), Has.Some.StartWith("Utilisation").And.Some.StartWith("Resynchronising"));
        var resync = charts.Single(c => c.Title.StartsWith("Resynchronising", StringComparison.Ordinal));
        Assert.That(resync.Groups, Has.Count.EqualTo(results.Resync.Count));
        Assert.That(resync.Groups[^1].Bars.Select(b => b.Value), Is.EqualTo(new double[] { results.Resync[^1].FullCycles, results.Resync[^1].BitmapCycles }));
        var migration = charts.Single(c => c.Title.StartsWith("What a live migration moves", StringComparison.Ordinal));
        Assert.That(migration.Groups.Select(g => g.Label), Is.EqualTo(results.SanMigration.Select(m => m.Mode)));
        Assert.That(migration.Groups[0].Bars.Select(b => b.Value), Is.EqualTo(new[] { results.SanMigration[0].MemoryKibibytes, results.SanMigration[0].LocalDiskKibibytes }));
    }

    [Test]
    public void Should_Draw_An_Overhead_Table_As_Cycles_Per_Row_And_Overhead_Per_Workload()
    {
        var table = new OverheadTable("2006", "shadow", [new OverheadRow("syscall", 50, 2000, 300, 1200)], [new WorkloadOverhead("compile", 12.5, 4, 30)]);
        var charts = ExperimentCharts.Overhead(table);
        Assert.That(charts[0].Groups[0].Bars.Select(b => (b.Series, b.Value)), Is.EqualTo(new[] { ("native", 50.0), ("BT", 2000.0), ("PV", 300.0), ("HW", 1200.0) }));
        Assert.That(charts[1].Lines(60), Has.Some.EndsWith("12.5"));
    }

    [Test]
    public void Should_Draw_Migrations_As_One_Group_Per_Workload_And_Link_With_A_Bar_Per_Way_Of_Moving()
    {
        MigrationRun Run(string workload, string mode, string rule, double mbps, double downtime, double total) =>
            new(workload, mode, rule, mbps, [], 512, downtime, total, true, true, 0);
        var charts = ExperimentCharts.Migration([Run("idle", "pre-copy", "xen", 250, 0.5, 20), Run("idle", "stop-and-copy", "none", 250, 16.8, 16.8), Run("diabolical", "pre-copy", "xen", 1000, 8.4, 260)]);
        Assert.That(charts, Has.Count.EqualTo(2));
        Assert.That(charts[0].Groups.Select(g => g.Label), Is.EqualTo(new[] { "idle, 250 Mbit/s", "diabolical, 1000 Mbit/s" }));
        Assert.That(charts[0].Groups[0].Bars.Select(b => (b.Series, b.Value)), Is.EqualTo(new[] { ("pre-copy xen", 0.5), ("stop-and-copy", 16.8) }));
        Assert.That(charts[1].Groups[1].Bars.Single().Value, Is.EqualTo(260));
    }

    [Test]
    public void Should_Leave_The_Scroll_Bars_Column_Free_When_Drawn_On_A_Screen()
    {
        var chart = new BarChart("Start-up", "cycles", [new BarGroup("N = 50", [new Bar("container", 317_264), new Bar("VM", 11_711_250)])]);
        var shown = new List<IReadOnlyList<Piece>>();
        DrawnChart.AppendTo(shown, chart, 80);
        var lines = shown.Select(l => string.Concat(l.Select(p => p.Text))).ToList();
        Assert.That(lines.Max(l => l.Length), Is.EqualTo(79), "the 80th column is the scroll bar's");
        Assert.That(lines.Single(l => l.Contains("VM", StringComparison.Ordinal)), Does.EndWith("11,711,250"));
    }

    [Test]
    public void Should_Draw_Containers_Against_Virtual_Machines_Start_Up_Memory_And_Density()
    {
        var results = new ContainerResults([new InstanceRow(1, 4_000, 4_000, 900_000, 900_000, 20_000, 4_194_304, 40_000, 4_000, 4_000, 900_000, 900_000),
                new InstanceRow(10, 4_100, 4_500, 910_000, 950_000, 20_000, 4_194_304, 40_000, 30_000, 45_000, 5_000_000, 9_100_000)],
            new DensityRow(256UL * 1024 * 1024, 13_107, 63, 6_553), new FillRow(16UL * 1024 * 1024, 819, 819, "c818", "c819", "killed"),
            new FailureDomainRow(10, 0, 9, "oops", "triple fault"));
        var charts = ExperimentCharts.Containers(results);
        Assert.That(charts[0].Groups.Select(g => g.Label), Is.EqualTo(new[] { "N = 1", "N = 10" }));
        Assert.That(charts[0].Groups[1].Bars.Select(b => b.Value), Is.EqualTo(new double[] { 4_100, 910_000 }));
        Assert.That(charts[0].Logarithmic, Is.True, "VMs start over 100 times slower");
        Assert.That(charts[1].Groups[1].Bars.Select(b => b.Value), Is.EqualTo(new double[] { 45_000, 9_100_000 }), "the last one up when all ten start at once");
        Assert.That(charts[3].Title, Does.Contain("256 MiB"));
        Assert.That(charts[3].Groups[0].Bars.Select(b => b.Value), Is.EqualTo(new double[] { 13_107, 63, 6_553 }));
    }
}
