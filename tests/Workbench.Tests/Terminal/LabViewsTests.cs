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
    public void Should_Show_The_Registers_And_Disassembly_Of_The_Last_Rv32_Run()
    {
        var model = new LabViewModel(fixture.Catalog.Find("03"), fixture.Store, step: 6);
        var (result, made) = model.RunCheckAndKeep(model.Step);

        Assert.That(result.Error, Is.Null);
        Assert.That(made, Has.Count.EqualTo(2).And.All.InstanceOf<ScriptRv32>(), "step 6 runs hello.elf and upper.elf");
        var screen = (Rv32Screen)LabViews.For(made[1], "step 6's checks")!;
        Assert.That(screen.Heading, Is.EqualTo("RV32 CPU: upper.elf, user mode on the interpreter, from step 6's checks"));
        Assert.That(screen.Model.Status, Does.StartWith("pc 0x").And.Contain("user mode"));
        Assert.That(screen.Model.Registers.Select(r => r.Name).Take(3), Is.EqualTo(new[] { "zero", "ra", "sp" }));
        Assert.That(screen.Model.Registers[17].Value, Is.EqualTo(94u), "a7 holds exit_group, the call the program ended with");
        Assert.That(screen.Model.Disassembly.Single(l => l.IsCurrent).Address, Is.EqualTo(((ScriptRv32)made[1]).LastHart!.State.Pc));
        Assert.That(LabViews.Describe(made[0]), Does.StartWith("rv32: hello.elf, user mode on the interpreter, ").And.EndWith(" instructions"));
    }

    [Test]
    public void Should_Have_No_View_For_A_Step_That_Builds_Only_Machines()
    {
        var model = new LabViewModel(fixture.Catalog.Find("01"), fixture.Store, step: 1);
        var (_, made) = model.RunCheckAndKeep(model.Step);
        Assert.That(made.Select(m => LabViews.For(m, "step 1")).OfType<object>(), Is.Empty);
    }

    [Test]
    public void Should_Show_The_Partitions_A_Step_Carved_With_Their_Blocks_And_Let_Them_Run_On()
    {
        var model = new LabViewModel(fixture.Catalog.Find("02"), fixture.Store, step: 1);
        model.Start(Path.Combine(fixture.Home, "work"));
        var (result, made) = model.RunCheckAndKeep(model.Step);

        Assert.That(result.Error, Is.Null);
        var partitions = made.OfType<ScriptPartitions>().ToList();
        Assert.That(partitions, Is.Not.Empty, "step 1 carves partitions");
        var screen = (PartitionsScreen)LabViews.For(partitions[^1], "step 1's checks")!;
        var shown = screen.Model.Partitions;
        Assert.That(shown.Select(p => p.Name), Does.Contain("a"));
        var a = shown.Single(p => p.Name == "a");
        Assert.That(screen.Model.BlockStrip.Count(c => c == a.Letter), Is.EqualTo((int)(a.MemoryBytes / (64 * 1024))), "the strip shows as many blocks as the partition has");
        Assert.That(screen.Model.BlockStrip[0], Is.EqualTo('F'), "block 0 is the firmware's");
        var cycles = a.Cycles;
        screen.Model.Run(10_000);
        Assert.That(screen.Model.Partitions.Single(p => p.Name == "a").Cycles, a.State == "running" ? Is.GreaterThan(cycles) : Is.EqualTo(cycles), "a running guest runs on in the view");
        Assert.That(LabViews.Describe(partitions[^1]), Does.StartWith("partitions: "));
    }

    [Test]
    public void Should_Draw_A_Migrations_Rounds_As_The_Step_Ran_Them()
    {
        var model = new LabViewModel(fixture.Catalog.Find("02"), fixture.Store, step: 4);
        var (result, made) = model.RunCheckAndKeep(model.Step);

        Assert.That(result.Error, Is.Null);
        var migrations = made.OfType<ScriptMigration>().ToList();
        Assert.That(migrations.Select(m => m.Mode), Is.EqualTo(new[] { "pre-copy", "stop-and-copy" }));
        var screen = (MigrationScreen)LabViews.For(migrations[0], "step 4's checks")!;
        var pages = screen.Model.Charts[0];
        Assert.That(pages.Groups, Has.Count.EqualTo(migrations[0].Result.Rounds.Count));
        Assert.That(pages.Groups[0].Bars.Single().Value, Is.EqualTo(128), "round 1 sends every page");
        Assert.That(pages.Groups[^1].Label, Does.EndWith("(stopped)"));
        Assert.That(screen.Model.Summary, Has.Some.StartsWith("downtime: "));
        Assert.That(screen.Model.Title, Is.EqualTo("moderate by pre-copy (xen) over 1000 Mbit/s"));
    }
}
