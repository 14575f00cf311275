using VirtualizationWorkbench.Machine;

namespace VirtualizationWorkbench.Storage.Tests;

public sealed class DiskFileTests
{
    private string folder = "";

    [SetUp]
    public void MakeFolder() => Directory.CreateDirectory(folder = Path.Combine(Path.GetTempPath(), $"storage-{Guid.NewGuid():N}"));

    [TearDown]
    public void RemoveFolder() => Directory.Delete(folder, recursive: true);

    [Test]
    public void A_Volume_On_Disk_Image_Files_Keeps_What_The_Guest_Wrote_Across_Opening_Them_Again()
    {
        var one = Path.Combine(folder, "one.img");
        var two = Path.Combine(folder, "two.img");
        PhysicalVolume.CreateFile(one, "one", 4, 8);
        PhysicalVolume.CreateFile(two, "two", 4, 8);
        Assert.That(new FileInfo(one).Length, Is.EqualTo((1 + 32) * 512));

        var group = new VolumeGroup("vg", 8);
        var pv1 = PhysicalVolume.OpenFile(one);
        var pv2 = PhysicalVolume.OpenFile(two);
        group.Add(pv1);
        group.Add(pv2);
        var volume = group.CreateVolume("data", 8);
        Assert.That(GuestDisk.Boot(volume.Attach("vm1")).Run(), Is.EqualTo(ExitReason.Halt));
        var image = File.ReadAllBytes(two);
        Assert.That(image.AsSpan(512, 512).ToArray(), Is.EqualTo(GuestDisk.Pattern(32)), "logical sector 32 is the first of disk two's extents");
    }

    [Test]
    public void A_Truncated_Disk_Image_Is_Refused_Saying_How_Much_Is_Missing()
    {
        var path = Path.Combine(folder, "cut.img");
        PhysicalVolume.CreateFile(path, "cut", 4, 8);
        using (var stream = File.OpenWrite(path)) stream.SetLength(5000);
        var error = Assert.Throws<StorageError>(() => PhysicalVolume.OpenFile(path))!;
        Assert.That(error.Message, Does.StartWith(path).And.Contain("truncated").And.Contain("33 sectors (16896 bytes) but there are 5000 bytes"));
    }

    [Test]
    public void A_Corrupt_Label_Is_Refused()
    {
        var path = Path.Combine(folder, "bad.img");
        PhysicalVolume.CreateFile(path, "bad", 4, 8);
        var bytes = File.ReadAllBytes(path);
        bytes[12] ^= 1;   // the extent count
        File.WriteAllBytes(path, bytes);
        var error = Assert.Throws<StorageError>(() => PhysicalVolume.OpenFile(path))!;
        Assert.That(error.Message, Does.Contain("label is corrupt").And.Contain("checksum"));
    }

    [Test]
    public void A_File_That_Is_Not_A_Physical_Volume_Is_Refused()
    {
        var path = Path.Combine(folder, "plain.img");
        File.WriteAllBytes(path, new byte[4096]);
        Assert.That(Assert.Throws<StorageError>(() => PhysicalVolume.OpenFile(path))!.Message, Does.Contain("not a physical volume"));
        File.WriteAllBytes(path, new byte[100]);
        Assert.That(Assert.Throws<StorageError>(() => PhysicalVolume.OpenFile(path))!.Message, Does.Contain("truncated: 100 bytes"));
    }
}
