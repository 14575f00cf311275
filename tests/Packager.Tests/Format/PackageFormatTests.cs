using System.IO.Compression;
using VirtualizationWorkbench.Packager.Building;
using VirtualizationWorkbench.Packager.Format;
using VirtualizationWorkbench.Packager.Settings;
using VirtualizationWorkbench.Sandbox.FileSystem;

namespace VirtualizationWorkbench.Packager.Tests.Format;

[Category(TestCategories.EndToEnd)]
public sealed class PackageFormatTests
{
    private string _work = "";

    [SetUp]
    public void CreateFolder() => _work = Directory.CreateTempSubdirectory("vwb-format-").FullName;

    [TearDown]
    public void DeleteFolder() => Directory.Delete(_work, recursive: true);

    private string Build()
    {
        var path = Path.Combine(_work, "app.vapp");
        PackageBuilder.Build(PackageSource.FromApplicationFolder(TestApplications.Of("FileApp"), [], null, IsolationMode.Full, null), path, strict: false);
        return path;
    }

    [Test]
    public void A_Built_Package_Should_Open_With_Its_Settings_Entry_Points_And_Checked_Files()
    {
        using var package = PackageFile.Open(Build());

        Assert.That(package.Settings.DefaultIsolation, Is.EqualTo(IsolationMode.Full));
        Assert.That(package.Settings.EntryPoints.Single(), Is.EqualTo(new EntryPoint("FileApp", "%ProgramFilesDir%/FileApp/FileApp.dll")));
        Assert.That(package.FileKeys, Does.Contain("%ProgramFilesDir%/FileApp/shipped.txt"));
        package.ExtractTo(Path.Combine(_work, "extracted"));
        Assert.That(File.ReadAllText(Path.Combine(_work, "extracted", "%ProgramFilesDir%", "FileApp", "shipped.txt")), Does.StartWith("shipped"));
    }

    [Test]
    public void An_Extraction_Changed_After_It_Was_Made_Should_Be_Made_Anew()
    {
        using var package = PackageFile.Open(Build());
        var folder = Path.Combine(_work, "extracted");
        package.ExtractTo(folder);
        var assembly = Path.Combine(folder, "%ProgramFilesDir%", "FileApp", "FileApp.dll");
        var original = File.ReadAllBytes(assembly);
        var modified = File.GetLastWriteTimeUtc(assembly);
        Assert.That(ExtractionSeal.Holds(folder), Is.True);

        // An application replacing its own rewritten assembly, and putting its modification time back.
        File.WriteAllBytes(assembly, [.. original, 0]);
        File.SetLastWriteTimeUtc(assembly, modified);
        File.WriteAllText(Path.Combine(folder, "%ProgramFilesDir%", "FileApp", "planted.dll"), "x");

        Assert.That(ExtractionSeal.Holds(folder), Is.False);
        package.ExtractTo(folder);
        Assert.That(File.ReadAllBytes(assembly), Is.EqualTo(original));
        Assert.That(File.Exists(Path.Combine(folder, "%ProgramFilesDir%", "FileApp", "planted.dll")), Is.False);
        Assert.That(ExtractionSeal.Holds(folder), Is.True);
    }

    [Test]
    public void A_Package_With_An_Entry_Its_Manifest_Does_Not_List_Should_Be_Refused()
    {
        var path = Build();
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Update))
        {
            using var stream = zip.CreateEntry("files/%Profile%/extra.txt").Open();
            stream.Write("smuggled"u8);
        }

        Assert.That(() => PackageFile.Open(path), Throws.TypeOf<PackageFormatException>().With.Message.Contains("which its manifest does not list"));
    }

    [TestCase("files/a/../../b", "'..'")]
    [TestCase("/abs", "absolute")]
    [TestCase("C:/abs", "absolute")]
    [TestCase("files\\x", "backslash")]
    [TestCase("files/%AppData%/fine.txt", null)]
    public void Entry_Names_Should_Be_Checked_For_Zip_Slip(string name, string? problem)
    {
        Assert.That(PackageLayout.Unsafe(name), problem is null ? Is.Null : Does.Contain(problem));
    }

    [Test]
    public void Settings_Should_Round_Trip_Through_Package_Ini()
    {
        var settings = new PackageSettings
        {
            Name = "Notes",
            SandboxName = "NotesBox",
            SandboxPath = "sandboxes",
            DefaultIsolation = IsolationMode.Merged,
            FolderIsolation = new() { ["%AppData%/Notes"] = IsolationMode.Full },
            Environment = new() { ["NOTES_MODE"] = "portable" },
            EntryPoints = [new EntryPoint("Notes", "%ProgramFilesDir%/Notes/Notes.dll"), new EntryPoint("Admin", "%ProgramFilesDir%/Notes/Admin.dll")],
        };

        var read = PackageSettings.Parse(settings.ToIni(), "Package.ini");

        Assert.That(read.ToIni(), Is.EqualTo(settings.ToIni()));
        Assert.That(read.FolderIsolation["%AppData%/Notes"], Is.EqualTo(IsolationMode.Full));
        Assert.That(read.FindEntryPoint("admin").Source, Is.EqualTo("%ProgramFilesDir%/Notes/Admin.dll"));
    }

    [Test]
    public void An_Entry_Point_Without_Source_Should_Be_Reported_With_Its_Line()
    {
        Assert.That(() => PackageSettings.Parse("[BuildOptions]\nInventoryName=X\n\n[X]\nSorce=x.dll\n", "Package.ini"),
            Throws.TypeOf<PackageSettingsException>().With.Message.StartsWith("Package.ini:4: the entry point [X] has no Source="));
    }

    [Test]
    public void The_Manifest_Should_Round_Trip_Through_Its_Json()
    {
        var manifest = new PackageManifest(PackageManifest.CurrentFormat, "Notes",
            [new ManifestEntry("Package.ini", 120, new string('a', 64)), new ManifestEntry("files/%Profile%/n.txt", 5_000_000_000, new string('b', 64))]);

        var read = PackageManifest.FromJson(manifest.ToJson());

        Assert.That(read.Format, Is.EqualTo(manifest.Format));
        Assert.That(read.Name, Is.EqualTo("Notes"));
        Assert.That(read.Entries, Is.EqualTo(manifest.Entries));
    }

    [TestCase("{\"format\":\"vwb-package/1\",\"name\":\"X\"}", "'entries'")]
    [TestCase("{\"format\":\"vwb-package/1\",\"name\":\"X\",\"entries\":[{\"path\":\"a\",\"size\":\"12\",\"sha256\":\"00\"}]}", "'size'")]
    [TestCase("{\"format\":\"vwb-package/1\",\"name\":\"X\",\"entries\":[{\"path\":\"a\",\"size\":-1,\"sha256\":\"00\"}]}", "'size'")]
    [TestCase("[1, 2]", "object")]
    [TestCase("{\"format\": ", "")]
    public void A_Package_With_A_Malformed_Manifest_Should_Be_Refused_Naming_The_Problem(string json, string problem)
    {
        var path = Build();
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Update))
        {
            zip.GetEntry(PackageManifest.EntryName)!.Delete();
            using var stream = zip.CreateEntry(PackageManifest.EntryName).Open();
            stream.Write(System.Text.Encoding.UTF8.GetBytes(json));
        }

        Assert.That(() => PackageFile.Open(path), Throws.TypeOf<PackageFormatException>()
            .With.Message.Contains($"has an unreadable {PackageManifest.EntryName}").And.Message.Contains(problem));
    }
}
