using VirtualizationWorkbench.Experiments;

namespace VirtualizationWorkbench.Storage.Tests;

public sealed class StorageExperimentTests
{
    [Test]
    public void The_Experiment_Repeats_Exactly_And_Shows_What_The_Mechanisms_Promise()
    {
        // Small mirrors: the command's own sizes are covered end to end (StorageCommandTests).
        var first = StorageExperiment.Run(7, [16, 64, 256]);
        var again = StorageExperiment.Run(7, [16, 64, 256]);
        Assert.That(System.Text.Json.JsonSerializer.Serialize(again), Is.EqualTo(System.Text.Json.JsonSerializer.Serialize(first)), "same seed, same figures");

        var u = first.Utilisation;
        Assert.That(u.ThinUtilisationPercent, Is.GreaterThan(u.ThickUtilisationPercent));
        Assert.That(u.SavingsPercent, Is.EqualTo(100.0 * (1 - (double)u.WrittenBlocks / u.ProvisionedBlocks)).Within(1e-9));
        Assert.That(first.Snapshot.Select(s => s.DiskRequests), Is.EqualTo(new ulong[] { 1, 3, 1 }), "COW: 3 I/Os on the first write to a chunk");
        Assert.That(first.Resync.Select(r => r.FullRegions), Is.EqualTo(first.Resync.Select(r => (int)r.Extents)), "a new disk copies every region");
        Assert.That(first.Resync.Select(r => r.FullCycles), Is.Ordered.Ascending.And.Unique, "resync time grows with size");
        Assert.That(first.Resync.Select(r => r.BitmapRegions), Is.EqualTo(first.Resync.Select(r => (int)((r.Extents + 9) / 10))), "the bitmap copies only what was written");
        Assert.That(first.San.Select(c => c.SanCycles > c.LocalCycles), Is.All.True);
        Assert.That(first.SanMigration.Select(m => m.Mode), Is.EqualTo(new[] { "pre-copy", "stop-and-copy", "hybrid" }));
        Assert.That(first.SanMigration.Select(m => (m.DiskSectorsCopied, m.VolumeMatches, m.GuestContinued)), Is.All.EqualTo((0L, true, true)), "memory moved, the disk stayed");
        Assert.That(first.SanMigration.Select(m => m.LocalDiskKibibytes - m.MemoryKibibytes), Is.All.EqualTo(StorageExperiment.MigrationVolumeSectors / 2.0), "a local disk adds all of it");
    }
}
