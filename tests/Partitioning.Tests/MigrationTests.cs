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
        PartitionGuests.SetWorkload(source, partition, workload);
        source.RunFor(partition, 5 * VirtualClock.CyclesPerMillisecond);
        return (source, target, partition);
    }

    private static MigrationResult Move(GuestWorkload workload, MigrationMode mode, double mbps, StopRule? rule = null, int blocks = 8)
    {
        var (source, target, partition) = Running(workload, blocks);
        return new PartitionMigration(source, target, new MigrationOptions(mode, new MigrationLink(mbps), rule ?? StopRule.Xen)).Move(partition);
    }

    [Test]
    public void Pre_Copy_Moves_A_Running_Partition_With_Its_Memory_And_Console()
    {
        var (source, target, partition) = Running(GuestWorkload.Moderate with { PrintEvery = 50 });
        var migration = new PartitionMigration(source, target, new MigrationOptions(MigrationMode.PreCopy, new MigrationLink(1000), StopRule.Xen));
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
    public void Shapes()
    {
        foreach (var w in GuestWorkload.All)
        {
            foreach (var mode in new[] { MigrationMode.PreCopy, MigrationMode.StopAndCopy, MigrationMode.Hybrid })
            {
                var r = Move(w, mode, 1000, blocks: 32);
                TestContext.Out.WriteLine($"{w.Name} {mode}: {string.Join(" ", r.Rounds.Select(x => x.Pages))} total {r.TotalPages} down {r.DowntimeMilliseconds:F2} total {r.TotalMilliseconds:F2} match {r.MemoryMatches} cont {r.GuestContinued} fetch {r.DemandFetches} push {r.PushedAfterSwitch}");
            }
        }
    }
}
