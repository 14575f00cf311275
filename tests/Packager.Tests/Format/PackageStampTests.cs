using System.IO.Compression;
using VirtualizationWorkbench.Packager.Running;

namespace VirtualizationWorkbench.Packager.Tests.Format;

/// <summary>A stamp vouches for a package file only as it is: a copy that keeps the length and the time but not
/// the content, or a change behind a symbolic link, is seen.</summary>
public sealed class PackageStampTests
{
    private string _folder = "";

    [SetUp]
    public void CreateFolder() => _folder = Directory.CreateTempSubdirectory("vwb-stamp-").FullName;

    [TearDown]
    public void DeleteFolder() => Directory.Delete(_folder, recursive: true);

    // Stored, not deflated: the same text length gives the same file length, whatever the text.
    private string Zip(string name, string text)
    {
        var path = Path.Combine(_folder, name);
        using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
        var entry = zip.CreateEntry("shipped.txt", CompressionLevel.NoCompression);
        entry.LastWriteTime = new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);
        using var writer = new StreamWriter(entry.Open());
        writer.Write(text);
        return path;
    }

    [Test]
    public void A_Copy_Keeping_Length_And_Time_But_Not_Content_Is_Not_The_Stamped_Package()
    {
        var package = Zip("app.vapp", "VERSION-ONE");
        var other = Zip("other.vapp", "VERSION-TWO");
        var identity = PackageStamp.Identify(package)!.Value;
        PackageStamp.Write(package, identity, "0123456789abcdef", []);
        Assume.That(new FileInfo(other).Length, Is.EqualTo(new FileInfo(package).Length));

        var time = File.GetLastWriteTimeUtc(package);
        File.Copy(other, package, overwrite: true);
        File.SetLastWriteTimeUtc(package, time);
        var copied = PackageStamp.Identify(package)!.Value;

        Assert.That(PackageStamp.Find(package, identity)?.Id, Is.EqualTo("0123456789abcdef"), "the stamp as written");
        Assert.That(copied.Length, Is.EqualTo(identity.Length));
        Assert.That(copied.LastWriteTicks, Is.EqualTo(identity.LastWriteTicks));
        Assert.That(PackageStamp.Find(package, copied), Is.Null);
    }

    [Test]
    public void A_Package_Reached_Through_A_Link_Is_Identified_By_The_File_It_Leads_To()
    {
        var real = Zip("real.vapp", "VERSION-ONE");
        var link = Path.Combine(_folder, "current.vapp");
        File.CreateSymbolicLink(link, real);
        var before = PackageStamp.Identify(link)!.Value;
        var realLength = new FileInfo(real).Length;

        File.Copy(Zip("two.vapp", "VERSION-TWO-LONGER"), real, overwrite: true);

        Assert.That(before.Length, Is.EqualTo(realLength), "the package's length, not the link's");
        Assert.That(PackageStamp.Identify(link), Is.Not.EqualTo(before));
        Assert.That(PackageStamp.Identify(link)!.Value.Length, Is.EqualTo(new FileInfo(real).Length));
    }

    [Test]
    public void A_File_That_Is_Not_A_Zip_Has_No_Identity()
    {
        var path = Path.Combine(_folder, "not.vapp");
        File.WriteAllText(path, "not a zip at all");

        Assert.That(PackageStamp.Identify(path), Is.Null);
        Assert.That(PackageStamp.Identify(Path.Combine(_folder, "missing.vapp")), Is.Null);
    }
}
