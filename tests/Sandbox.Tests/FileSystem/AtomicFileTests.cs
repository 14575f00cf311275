using VirtualizationWorkbench.Sandbox.FileSystem;

namespace VirtualizationWorkbench.Sandbox.Tests.FileSystem;

public sealed class AtomicFileTests
{
    private string _root = "";

    [SetUp]
    public void CreateFolder() => _root = Directory.CreateTempSubdirectory("vwb-atomic-").FullName;

    [TearDown]
    public void DeleteFolder() => Directory.Delete(_root, recursive: true);

    private (string Target, string Link) LinkToOldFile()
    {
        var target = Path.Combine(_root, "target.txt");
        var link = Path.Combine(_root, "link.txt");
        File.WriteAllText(target, "old");
        File.CreateSymbolicLink(link, target);
        return (target, link);
    }

    [Test]
    public void A_Write_Should_Replace_The_Whole_File_And_Leave_No_Temporary_File()
    {
        var path = Path.Combine(_root, "notes.txt");
        File.WriteAllText(path, "old content that is longer");

        AtomicFile.WriteAllText(path, "new");

        Assert.That(File.ReadAllText(path), Is.EqualTo("new"));
        Assert.That(Directory.GetFiles(_root), Is.EqualTo(new[] { path }));
    }

    [Test]
    public void A_Write_Into_A_Missing_Folder_Should_Name_That_Folder_Not_The_Temporary_File()
    {
        var missing = Path.Combine(_root, "missing");

        Assert.That(() => AtomicFile.WriteAllText(Path.Combine(missing, "x.reg"), "text"),
            Throws.TypeOf<DirectoryNotFoundException>().With.Message.Contains($"the folder '{missing}' does not exist").And.Message.Not.Contains(".~"));
        Assert.That(() => AtomicFile.Copy(typeof(AtomicFileTests).Assembly.Location, Path.Combine(missing, "copy.dll")),
            Throws.TypeOf<DirectoryNotFoundException>().With.Message.Contains($"the folder '{missing}' does not exist"));
        Assert.That(Directory.Exists(missing), Is.False);
    }

    [Test]
    [Platform(Exclude = "Win")]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void A_Write_Should_Keep_The_Permissions_Of_The_File_It_Replaces()
    {
        var path = Path.Combine(_root, "private.txt");
        File.WriteAllText(path, "old");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        AtomicFile.WriteAllText(path, "new");

        Assert.That(File.GetUnixFileMode(path), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
        Assert.That(File.ReadAllText(path), Is.EqualTo("new"));
    }

    [Test]
    public void A_Write_Through_A_Symbolic_Link_Should_Change_Its_Target_And_Keep_The_Link()
    {
        var (target, link) = LinkToOldFile();

        AtomicFile.Write(link, stream => stream.Write("new"u8), throughLinks: true);

        Assert.That(new FileInfo(link).LinkTarget, Is.EqualTo(target));
        Assert.That(File.ReadAllText(target), Is.EqualTo("new"));
        Assert.That(Directory.GetFiles(_root).Order(StringComparer.Ordinal), Is.EqualTo(new[] { link, target }));
    }

    [Test]
    public void A_Write_Without_Following_Links_Should_Replace_The_Link_And_Leave_Its_Target()
    {
        var (target, link) = LinkToOldFile();

        AtomicFile.WriteAllText(link, "new");

        Assert.That(new FileInfo(link).LinkTarget, Is.Null);
        Assert.That(File.ReadAllText(link), Is.EqualTo("new"));
        Assert.That(File.ReadAllText(target), Is.EqualTo("old"));
    }
}
