using VirtualizationWorkbench.Sandbox.FileSystem;
using VirtualizationWorkbench.Sandbox.Paths;
using VirtualizationWorkbench.Sandbox.Registry;

namespace VirtualizationWorkbench.Sandbox.Tests.FileSystem;

/// <summary>A sandbox is a folder of its own: the layer refuses one that holds other things, and clearing it
/// removes only what the sandbox keeps.</summary>
public sealed class SandboxLayerTests
{
    private string _root = "";

    [SetUp]
    public void CreateRoot() => _root = Directory.CreateTempSubdirectory("vwb-layer-").FullName;

    [TearDown]
    public void DeleteRoot() => Directory.Delete(_root, recursive: true);

    [Test]
    public void A_New_Or_Empty_Folder_Becomes_A_Sandbox_And_Opens_Again()
    {
        var empty = Directory.CreateDirectory(Path.Combine(_root, "empty")).FullName;

        var first = new SandboxLayer(empty);
        first.Hide(new VirtualLocation("%AppData%", "gone"));
        var again = new SandboxLayer(empty);
        var created = new SandboxLayer(Path.Combine(_root, "new"));

        Assert.That(again.IsHidden(new VirtualLocation("%AppData%", "gone")), Is.True);
        Assert.That(Directory.Exists(created.FilesRoot), Is.True);
    }

    [Test]
    public void A_Folder_Holding_Other_Files_Is_Refused_And_Left_As_It_Was()
    {
        var documents = Directory.CreateDirectory(Path.Combine(_root, "Documents")).FullName;
        File.WriteAllText(Path.Combine(documents, "thesis.txt"), "years of work");

        var refused = Assert.Throws<IOException>(() => new SandboxLayer(documents));

        Assert.That(refused!.Message, Does.Contain("not a sandbox"));
        Assert.That(Directory.GetFileSystemEntries(documents), Is.EqualTo(new[] { Path.Combine(documents, "thesis.txt") }));
    }

    [Test]
    public void Clearing_Removes_The_Changes_And_Nothing_Else()
    {
        var layer = new SandboxLayer(Path.Combine(_root, "sandbox"));
        var changed = layer.PhysicalPath(new VirtualLocation("%AppData%", "App/settings.txt"));
        Directory.CreateDirectory(Path.GetDirectoryName(changed)!);
        File.WriteAllText(changed, "changed");
        new VirtualRegistry(new RegistryTree(), layer.OpenRegistryJournal()).SetValue(@"HKCU\Software\App", "Changed", RegistryValue.DWord(1));
        File.WriteAllText(Path.Combine(layer.Root, RegistryJournal.LegacyFileName), "Windows Registry Editor Version 5.00\r\n");
        layer.Hide(new VirtualLocation("%AppData%", "gone"));
        var foreign = Path.Combine(layer.Root, "notes-the-user-left.txt");
        File.WriteAllText(foreign, "keep me");

        layer.Clear();

        Assert.That(File.Exists(changed), Is.False);
        Assert.That(File.Exists(Path.Combine(layer.Root, RegistryJournal.FileName)), Is.False);
        Assert.That(File.Exists(Path.Combine(layer.Root, RegistryJournal.LegacyFileName)), Is.False);
        Assert.That(layer.IsHidden(new VirtualLocation("%AppData%", "gone")), Is.False);
        Assert.That(new SandboxLayer(layer.Root).IsHidden(new VirtualLocation("%AppData%", "gone")), Is.False);
        Assert.That(File.ReadAllText(foreign), Is.EqualTo("keep me"));
        Assert.That(Directory.Exists(layer.FilesRoot), Is.True);
    }

    [Test]
    public void Two_Instances_Deleting_At_Once_Keep_Both_Their_Deletions()
    {
        var root = Path.Combine(_root, "shared");
        var first = new SandboxLayer(root);
        var second = new SandboxLayer(root);

        Parallel.Invoke(
            () =>
            {
                for (var i = 0; i < 50; i++)
                {
                    first.Hide(new VirtualLocation("%AppData%", $"first/{i}"));
                }
            },
            () =>
            {
                for (var i = 0; i < 50; i++)
                {
                    second.Hide(new VirtualLocation("%AppData%", $"second/{i}"));
                }
            });

        var reopened = new SandboxLayer(root);
        Assert.That(reopened.HiddenKeys, Has.Count.EqualTo(100));
        Assert.That(reopened.IsHidden(new VirtualLocation("%AppData%", "first/49")) && reopened.IsHidden(new VirtualLocation("%AppData%", "second/0")), Is.True);
    }

    [Test]
    public void Two_Instances_Starting_Together_On_A_New_Sandbox_Both_Open_It()
    {
        // The window is a few microseconds wide: many fresh folders make it likely to be hit when it is open.
        for (var i = 0; i < 1000; i++)
        {
            var root = Path.Combine(_root, $"fresh{i}");
            Assert.DoesNotThrow(() => Parallel.Invoke(() => _ = new SandboxLayer(root), () => _ = new SandboxLayer(root)), $"attempt {i}");
        }
    }
}
