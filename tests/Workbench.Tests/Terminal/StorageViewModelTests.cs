using VirtualizationWorkbench.Storage;
using VirtualizationWorkbench.Workbench.Terminal.ViewModels;

namespace VirtualizationWorkbench.Workbench.Tests.Terminal;

public sealed class StorageViewModelTests
{
    private static VolumeGroup Group()
    {
        var group = new VolumeGroup("vg0", 8);
        foreach (var name in new[] { "disk1", "disk2", "disk3" })
        {
            group.Add(PhysicalVolume.Create(PhysicalDisk.InMemory(name, 1 + 6 * 8), 8));
        }
        return group;
    }

    [Test]
    public void Should_Show_Each_Disks_Extents_By_Owner_And_A_Failed_Disk_As_Failed()
    {
        var group = Group();
        group.CreateVolume("db", 4);
        var mirror = group.CreateMirror("m", 2);
        var view = new StorageViewModel(group).Refresh();
        Assert.That(view.Volumes.Select(v => $"{v.Letter} {v.Name} {v.Kind}"), Is.EqualTo(new[] { "A db linear", "B m mirror", "C [m_rimage_0] hidden", "D [m_rimage_1] hidden" }));
        Assert.That(view.Disks.Select(d => d.ExtentStrip), Is.EqualTo(new[] { "AAAACC", "DD....", "......" }));

        group.Disk("disk2").Disk.Fail();
        mirror.Write(0, new byte[512]);
        view.Refresh();

        Assert.That(view.Disks[1], Is.EqualTo(new DiskRow("disk2", 6, 4, true, "XXXXXX")));
        Assert.That(view.Volumes[1].State, Is.EqualTo("leg 0 disk1 InSync, leg 1 disk2 Failed; 1 dirty regions"));
        Assert.That(view.Events, Has.Some.StartsWith("m: leg 1 (disk2) failed"));
    }

    [Test]
    public void Should_Show_The_Selected_Volumes_Extent_Map_And_A_Full_Thin_Pool()
    {
        var group = Group();
        group.CreateVolume("filler", 5);
        group.CreateVolume("db", 3);
        var pool = group.CreateThinPool("pool", 1, PoolFullPolicy.Error);
        var thin = pool.CreateVolume("thin", 10);
        thin.Write(0, new byte[512]);
        thin.Write(8, new byte[512]);
        var view = new StorageViewModel(group).Refresh();

        view.Select(0);
        Assert.That(view.SelectedMap, Is.EqualTo(new[] { "LE 0 -> disk1 PE 5", "LE 1-2 -> disk2 PE 0-1" }));
        view.Select(2);
        Assert.That(view.SelectedMap, Is.EqualTo(new[] { "1 of 10 blocks mapped in pool pool" }));
        Assert.That(view.Volumes[2].State, Does.Contain("100% full, OUT OF SPACE"));
    }
}
