using VirtualizationWorkbench.Machine;
using VirtualizationWorkbench.Partitioning.Migration;

namespace VirtualizationWorkbench.Partitioning.Tests;

public sealed class MigrationTests
{
    internal static (PartitionFirmware Source, PartitionFirmware Target, LogicalPartition Partition) Running(GuestWorkload workload, int blocks = 8)
    {
        var source = PartitionFirmwareTests.Machine(4, 2);
        var target = PartitionFirmwareTests.Machine(4, 2);
        var partition = source.Activate(PartitionFirmwareTests.Profile("mover", blocks), PartitionGuests.Lpar);
        // Ticks every millisecond or so, so that 3 ms on the target show the guest going on (the interpreter runs
        // these tests at a few million guest instructions a second).
        PartitionGuests.SetWorkload(source, partition, workload with { PrintEvery = Math.Max(1, 80_000 / (30 + 4 * workload.Delay)) });
        source.RunFor(partition, 2 * VirtualClock.CyclesPerMillisecond);
        return (source, target, partition);
    }

    private static MigrationResult Move(GuestWorkload workload, MigrationMode mode, double mbps, StopRule? rule = null, int blocks = 8)
    {
        var (source, target, partition) = Running(workload, blocks);
        return new PartitionMigration(source, target, new MigrationOptions(mode, new MigrationLink(mbps), rule ?? StopRule.Xen, AfterMilliseconds: 3)).Move(partition);
    }

    [Test]
    public void Pre_Copy_Moves_A_Running_Partition_With_Its_Memory_And_Console()
    {
        var (source, target, partition) = Running(GuestWorkload.Moderate with { PrintEvery = 50 });
        var migration = new PartitionMigration(source, target, new MigrationOptions(MigrationMode.PreCopy, new MigrationLink(1000), StopRule.Xen, AfterMilliseconds: 3));
        var result = migration.Move(partition);
        TestContext.Out.WriteLine(string.Join(" ", result.Rounds.Select(r => r.Pages)) + $" down {result.DowntimeMilliseconds} total {result.TotalMilliseconds}");
        Assert.Multiple(() =>
        {
            Assert.That(result.MemoryMatches, Is.True);
            Assert.That(result.GuestContinued, Is.True, migration.Moved!.Console);
            Assert.That(result.Rounds[0].Pages, Is.EqualTo(128));
            Assert.That(partition.State, Is.EqualTo(PartitionState.Moved));
            Assert.That(source.FreeBlocks, Is.EqualTo(source.PartitionBlocks), "the source's blocks went back to its pool");
            Assert.That(migration.Moved!.State, Is.EqualTo(PartitionState.Running), migration.Moved.Fault);
        });
    }

    [Test]
    public void Downtime_Follows_The_Shapes_Of_Clark_Et_Al()
    {
        var idle = Move(GuestWorkload.Idle, MigrationMode.PreCopy, 1000);
        var stopAndCopy = Move(GuestWorkload.Idle, MigrationMode.StopAndCopy, 1000);
        var diabolical = Move(GuestWorkload.Diabolical, MigrationMode.PreCopy, 1000);
        var slowLink = Move(GuestWorkload.Diabolical, MigrationMode.PreCopy, 500);
        var link = new MigrationLink(1000);
        Assert.Multiple(() =>
        {
            Assert.That(stopAndCopy.Rounds.Select(r => r.Pages), Is.EqualTo(new[] { 128 }), "stop-and-copy sends everything while suspended");
            Assert.That(stopAndCopy.DowntimeMilliseconds, Is.EqualTo(link.MillisecondsFor(129)).Within(0.001));
            Assert.That(idle.DowntimeMilliseconds, Is.LessThan(stopAndCopy.DowntimeMilliseconds / 10), "an idle guest's downtime is far below stop-and-copy's");
            // The diabolical guest's hot set covers the 112 pages above its first block: downtime ≈ hot set / bandwidth.
            Assert.That(diabolical.Rounds[^1].Pages, Is.InRange(108, 114));
            Assert.That(diabolical.DowntimeMilliseconds, Is.EqualTo(link.MillisecondsFor(112)).Within(0.15));
            Assert.That(diabolical.Rounds, Has.Count.EqualTo(6), "Xen's 5 rounds, then stop-and-copy: it never converges");
            Assert.That(slowLink.DowntimeMilliseconds, Is.GreaterThan(1.9 * diabolical.DowntimeMilliseconds), "half the bandwidth, twice the downtime");
            Assert.That(new[] { idle, stopAndCopy, diabolical, slowLink }.All(r => r.MemoryMatches && r.GuestContinued), Is.True);
        });
    }

    [Test]
    public void Clearing_A_Page_When_It_Is_Sent_Saves_The_Write_Not_Dirty_Pages()
    {
        var (source, target, partition) = Running(GuestWorkload.Moderate);
        var wasteful = new PartitionMigration(source, target, new MigrationOptions(MigrationMode.PreCopy, new MigrationLink(1000), StopRule.Xen, ClearDirtyOnSend: false, AfterMilliseconds: 3)).Move(partition);
        var clean = Move(GuestWorkload.Moderate, MigrationMode.PreCopy, 1000);
        Assert.Multiple(() =>
        {
            Assert.That(clean.Rounds[1].Pages, Is.LessThan(wasteful.Rounds[1].Pages));
            Assert.That(clean.TotalPages, Is.LessThan(wasteful.TotalPages));
            Assert.That(wasteful.MemoryMatches && wasteful.GuestContinued, Is.True, "wasteful, but still correct");
        });
    }

    [Test]
    public void The_Hybrid_Resumes_At_Once_And_Sends_Each_Missing_Page_Once()
    {
        var result = Move(GuestWorkload.Diabolical, MigrationMode.Hybrid, 1000);
        Assert.Multiple(() =>
        {
            Assert.That(result.DowntimeMilliseconds, Is.EqualTo(new MigrationLink(1000).MillisecondsFor(PartitionMigration.StatePages)).Within(0.001), "only the processor state moves while suspended");
            Assert.That(result.DemandFetches, Is.GreaterThan(0), "the guest touched missing pages and they came on demand");
            Assert.That(result.TotalPages, Is.EqualTo(128 + result.DemandFetches + result.PushedAfterSwitch));
            Assert.That(result.DemandFetches + result.PushedAfterSwitch, Is.InRange(100, 128), "each page dirty at the switch moves once");
            Assert.That(result.MemoryMatches && result.GuestContinued, Is.True);
        });
    }

    [Test]
    public void The_Same_Migration_Twice_Gives_The_Same_Result()
    {
        var first = Move(GuestWorkload.Moderate, MigrationMode.PreCopy, 700, StopRule.Qemu(1));
        var second = Move(GuestWorkload.Moderate, MigrationMode.PreCopy, 700, StopRule.Qemu(1));
        Assert.That((first.Rounds.Select(r => r.Pages).ToArray(), first.TotalPages, first.DowntimeMilliseconds, first.TotalMilliseconds, first.DirtyFaults),
            Is.EqualTo((second.Rounds.Select(r => r.Pages).ToArray(), second.TotalPages, second.DowntimeMilliseconds, second.TotalMilliseconds, second.DirtyFaults)));
    }

    [Test]
    public void A_Target_Too_Small_Or_A_Dead_Link_Is_Refused_And_The_Partition_Keeps_Running()
    {
        var (source, _, partition) = Running(GuestWorkload.Idle);
        var small = new PartitionFirmware(new VirtualizationWorkbench.Machine.MachineConfiguration { MemorySize = 512 * 1024, Cores = 1 });
        var error = Assert.Throws<PartitionError>(() => new PartitionMigration(source, small, new MigrationOptions(MigrationMode.PreCopy, new MigrationLink(1000), StopRule.Xen)).Move(partition));
        Assert.Multiple(() =>
        {
            Assert.That(error!.Message, Does.StartWith("migrate 'mover' (8 blocks, 1 cores): the target machine cannot take it").And.Contain("the machine has 7 for partitions"));
            Assert.That(small.Partitions, Is.Empty);
            Assert.That(Assert.Throws<PartitionError>(() => _ = new MigrationLink(0))!.Message, Does.Contain("a link of zero bandwidth never moves a page"));
        });
        source.RunFor(partition, VirtualClock.CyclesPerMillisecond);
        Assert.That(partition.State, Is.EqualTo(PartitionState.Running));
        Assert.That(partition.DirtyLogging, Is.False, "nothing was started");
    }
}
