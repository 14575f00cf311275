using System.IO.Compression;
using System.Security.Cryptography;
using VirtualizationWorkbench.Packager.Format;

namespace VirtualizationWorkbench.Packager.Tests.Format;

/// <summary>Packages made to hurt the machine that runs them: a zip bomb, an enormous Package.ini, and the
/// temporary folder a killed extraction leaves behind.</summary>
public sealed class HostilePackageTests
{
    private string _work = "";

    [SetUp]
    public void CreateFolder() => _work = Directory.CreateTempSubdirectory("vwb-hostile-package-").FullName;

    [TearDown]
    public void DeleteFolder() => Directory.Delete(_work, recursive: true);

    [Test]
    public void A_Zip_Bomb_Is_Refused_Before_Anything_Is_Read()
    {
        var path = Path.Combine(_work, "bomb.vapp");
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Create))
        {
            using var stream = zip.CreateEntry("files/%Profile%/zeros.bin", CompressionLevel.Fastest).Open();
            var zeros = new byte[1 << 20];
            for (var i = 0; i < 80; i++)
            {
                stream.Write(zeros);
            }
        }

        Assert.That(() => PackageFile.Open(path), Throws.TypeOf<PackageFormatException>()
            .With.Message.Contains("refused before extracting").And.Message.Contains("times its size"));
    }

    [Test]
    public void A_Package_Ini_Past_Its_Limit_Is_Refused()
    {
        var settings = new byte[PackageLimits.MaxSettingsBytes + 1];
        settings.AsSpan().Fill((byte)';');
        var path = Path.Combine(_work, "settings.vapp");
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Create))
        {
            using (var stream = zip.CreateEntry(PackageLayout.Settings).Open())
            {
                stream.Write(settings);
            }
            var manifest = new PackageManifest(PackageManifest.CurrentFormat, "x", [new ManifestEntry(PackageLayout.Settings, settings.Length, Convert.ToHexStringLower(SHA256.HashData(settings)))]);
            using var manifestStream = zip.CreateEntry(PackageManifest.EntryName).Open();
            manifestStream.Write(manifest.ToJson());
        }

        Assert.That(() => PackageFile.Open(path), Throws.TypeOf<PackageFormatException>()
            .With.Message.Contains($"its {PackageLayout.Settings} expands to {settings.Length:N0} bytes"));
    }

    [Test]
    public void A_Killed_Extractions_Folder_Is_Removed_By_The_Next_And_A_Running_Ones_Is_Kept()
    {
        var path = Path.Combine(_work, "small.vapp");
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Create))
        {
            var settings = "[BuildOptions]\nInventoryName=x\n\n[x]\nSource=%ProgramFilesDir%\\x\\x.dll\n"u8.ToArray();
            using (var stream = zip.CreateEntry(PackageLayout.Settings).Open())
            {
                stream.Write(settings);
            }
            var manifest = new PackageManifest(PackageManifest.CurrentFormat, "x", [new ManifestEntry(PackageLayout.Settings, settings.Length, Convert.ToHexStringLower(SHA256.HashData(settings)))]);
            using var manifestStream = zip.CreateEntry(PackageManifest.EntryName).Open();
            manifestStream.Write(manifest.ToJson());
        }
        var extracted = Directory.CreateDirectory(Path.Combine(_work, "extracted")).FullName;
        var killed = Directory.CreateDirectory(Path.Combine(extracted, ".aaaa.1.tmp")).FullName;
        File.WriteAllBytes(Path.Combine(killed, "big.bin"), new byte[1000]);
        File.WriteAllText(killed + ".lock", "");
        var running = Directory.CreateDirectory(Path.Combine(extracted, ".bbbb.2.tmp")).FullName;
        using var held = new FileStream(running + ".lock", FileMode.Create, FileAccess.ReadWrite, FileShare.None);

        using (var package = PackageFile.Open(path))
        {
            package.ExtractTo(Path.Combine(extracted, package.Id));
        }

        Assert.That(Directory.Exists(killed), Is.False, "the killed extraction's folder is left");
        Assert.That(File.Exists(killed + ".lock"), Is.False);
        Assert.That(Directory.Exists(running), Is.True, "a running extraction's folder was removed");
        Assert.That(Directory.EnumerateFileSystemEntries(extracted).Select(Path.GetFileName), Is.EquivalentTo(new[] { ".bbbb.2.tmp", ".bbbb.2.tmp.lock", Directory.GetDirectories(extracted).Select(Path.GetFileName).Single(name => !name!.StartsWith('.')) }));
    }
}
