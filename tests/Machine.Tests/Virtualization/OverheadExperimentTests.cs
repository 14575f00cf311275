using VirtualizationWorkbench.Machine.Costs;
using VirtualizationWorkbench.Machine.Virtualization.Experiments;

namespace VirtualizationWorkbench.Machine.Tests.Virtualization;

/// <summary>The overhead table reproduces Adams and Agesen's findings with the 2006 cost table.</summary>
public class OverheadExperimentTests
{
    private static readonly Lazy<OverheadTable> Year2006 = new(() => Experiment().Run(CostTables.Year2006));

    private static OverheadExperiment Experiment()
    {
        var path = Path.Combine(TestMachine.RepositoryRoot, "labs", "guests", "microbench.s");
        return new OverheadExperiment(File.ReadAllText(path), path);
    }

    private static OverheadRow Row(string name) => Year2006.Value.Rows.Single(r => r.Name == name);

    // The paper compared binary translation (BT) with first-generation hardware assistance (HW).
    [TestCase("syscall", "hw")]
    [TestCase("in", "bt")]
    [TestCase("callret", "hw")]
    [TestCase("pgfault", "bt")]
    [TestCase("divzero", "hw")]
    [TestCase("ptemod", "bt")]
    public void Each_Row_Has_The_Papers_Winner(string row, string winner)
    {
        Assert.That(Row(row).Winner(includeParavirtualization: false), Is.EqualTo(winner), Row(row).ToString());
    }

    [Test]
    public void Hardware_Assistance_Runs_System_Calls_And_Calls_At_Native_Speed()
    {
        Assert.That(Row("syscall").HardwareAssisted, Is.EqualTo(Row("syscall").Native));
        Assert.That(Row("callret").HardwareAssisted, Is.EqualTo(Row("callret").Native));
    }

    [Test]
    public void Binary_Translation_Wins_By_A_Wide_Margin_Where_The_Paper_Says()
    {
        foreach (var row in new[] { "in", "pgfault", "ptemod" })
        {
            Assert.That(Row(row).HardwareAssisted, Is.GreaterThan(5 * Row(row).BinaryTranslation), row);
        }
    }

    [Test]
    public void The_Compute_Bound_Workload_Stays_Within_Ten_Percent_For_Every_Technique()
    {
        var compute = Year2006.Value.Workloads.Single(w => w.Name == "compute");
        Assert.That(new[] { compute.BinaryTranslation, compute.Paravirtualization, compute.HardwareAssisted }, Has.All.InRange(0.0, 10.0));
        var mixed = Year2006.Value.Workloads.Single(w => w.Name == "mixed");
        Assert.That(mixed.HardwareAssisted, Is.GreaterThan(mixed.BinaryTranslation), "page-table-heavy work is where shadow paging under VT-x hurt most");
    }

    [Test]
    public void Nested_Paging_Removes_The_Page_Table_Exits()
    {
        var experiment = Experiment();
        var shadow = experiment.PerOperation("hw", "PTEMOD", CostTables.Modern, nestedPaging: false);
        var nested = experiment.PerOperation("hw", "PTEMOD", CostTables.Modern, nestedPaging: true);
        var native = experiment.PerOperation("native", "PTEMOD", CostTables.Modern, nestedPaging: true);
        Assert.That(nested, Is.EqualTo(native));
        Assert.That(shadow, Is.GreaterThan(50 * nested));
    }

    [Test]
    public void The_Figures_Are_The_Same_Every_Time()
    {
        var again = Experiment().Run(CostTables.Year2006);
        Assert.That(again.Rows, Is.EqualTo(Year2006.Value.Rows));
        Assert.That(again.Workloads, Is.EqualTo(Year2006.Value.Workloads));
    }
}
