using VirtualizationWorkbench.Labs.Scripting;
using VirtualizationWorkbench.Workbench.Terminal.Screens;
using VirtualizationWorkbench.Workbench.Terminal.ViewModels;

namespace VirtualizationWorkbench.Workbench.Tests.Terminal;

/// <summary>A step's checks keep what they built, and each thing with a view opens as its screen, as the checks left it.</summary>
public sealed class LabViewsTests
{
    private TerminalFixture fixture = null!;

    [SetUp]
    public void SetUp() => fixture = new TerminalFixture();

    [TearDown]
    public void TearDown() => fixture.Dispose();

    [Test]
    public void Should_Keep_The_Volume_Groups_A_Storage_Step_Built_And_Show_Them()
    {
        var model = new LabViewModel(fixture.Catalog.Find("09"), fixture.Store, step: 1);
        var (result, made) = model.RunCheckAndKeep(model.Step);

        Assert.That(result.Error, Is.Null);
        Assert.That(result.Checks.Where(c => c.Question is null), Has.All.Property("Passed").True, "the checks that are not questions hold");
        Assert.That(made, Has.Count.EqualTo(2).And.All.InstanceOf<ScriptStorage>(), "step 1 builds two storage layers");
        var screen = (StorageScreen)LabViews.For(made[0], "step 1's checks")!;
        Assert.That(screen.Model.Disks.Select(d => d.Name), Is.EqualTo(new[] { "disk1", "disk2" }));
        Assert.That(screen.Model.Volumes.Select(v => v.Name), Does.Contain("data"));
        Assert.That(screen.Model.Disks[1].ExtentStrip, Does.StartWith("A").And.Contains("."), "the volume ends on disk 2; the rest is free");
        Assert.That(LabViews.Describe(made[0]), Is.EqualTo("storage: 2 disks, 1 volumes"));
    }

    [Test]
    public void Should_Keep_The_Network_A_Step_Ran_And_Let_It_Run_On()
    {
        var model = new LabViewModel(fixture.Catalog.Find("10"), fixture.Store, step: 1);
        var work = Path.Combine(fixture.Home, "work");
        model.Start(work);
        File.Copy(Path.Combine(WorkbenchProcess.RepositoryRoot, "labs", "10-network-virtualization", "Solution", "work", "three.net"), Path.Combine(work, "three.net"), overwrite: true);
        var (result, made) = model.RunCheckAndKeep(model.Step);

        Assert.That(made, Has.Count.EqualTo(1).And.All.InstanceOf<ScriptNetwork>(), result.Error);
        var screen = (NetworkScreen)LabViews.For(made[0], "step 1's checks")!;
        var before = screen.Model.Ports.Sum(p => p.In);
        Assert.That(before, Is.GreaterThan(0), "the checks ran the network: its ports counted frames");
        Assert.That(screen.Model.Topology[0], Does.StartWith("sw "));
        var time = screen.Model.Title;
        screen.Model.Step(10);
        Assert.That(screen.Model.Title, Is.Not.EqualTo(time), "time runs on in the view");
    }

    [Test]
    public void Should_Have_No_View_For_A_Step_That_Builds_Only_Machines()
    {
        var model = new LabViewModel(fixture.Catalog.Find("01"), fixture.Store, step: 1);
        var (_, made) = model.RunCheckAndKeep(model.Step);
        Assert.That(made.Select(m => LabViews.For(m, "step 1")).OfType<object>(), Is.Empty);
    }
}
