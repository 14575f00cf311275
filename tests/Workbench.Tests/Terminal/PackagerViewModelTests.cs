using System.Text;
using VirtualizationWorkbench.Workbench.Terminal.ViewModels;
using VirtualizationWorkbench.Packager.Format;
using VirtualizationWorkbench.Packager.Tools;
using VirtualizationWorkbench.Sandbox.FileSystem;
using VirtualizationWorkbench.Sandbox.Paths;

namespace VirtualizationWorkbench.Workbench.Tests.Terminal;

public sealed class PackagerViewModelTests
{
    private string folder = null!;
    private string package = null!;
    private string sandbox = null!;

    [SetUp]
    public void SetUp()
    {
        folder = Directory.CreateTempSubdirectory("vwb-tui-pkg-").FullName;
        package = Path.Combine(folder, "Notes.vapp");
        sandbox = Path.Combine(folder, "sandbox");
        const string ini = "[BuildOptions]\nInventoryName=Notes\nDirectoryIsolationMode=WriteCopy\n\n[Isolation]\n%AppData%\\Notes=Full\n%ProgramFilesDir%\\Notes\\Shared=Merged\n\n[Notes]\nSource=%ProgramFilesDir%\\Notes\\Notes.dll\n";
        const string reg = "Windows Registry Editor Version 5.00\n\n[HKEY_CURRENT_USER\\Software\\Notes]\n\"Theme\"=\"dark\"\n\"Count\"=dword:00000003\n";
        var entries = new Dictionary<string, Func<Stream>>
        {
            [PackageLayout.Settings] = () => Bytes(ini),
            [PackageLayout.Registry] = () => Bytes(reg),
            [PackageLayout.Report] = () => Bytes(""),
            [PackageLayout.FilesPrefix + "%ProgramFilesDir%/Notes/Notes.dll"] = () => Bytes("not really an assembly"),
            [PackageLayout.FilesPrefix + "%ProgramFilesDir%/Notes/Shared/readme.txt"] = () => Bytes("hello"),
            [PackageLayout.FilesPrefix + "%AppData%/Notes/settings.json"] = () => Bytes("{}"),
        };
        PackageWriter.Write(package, "Notes", entries);
    }

    [TearDown]
    public void TearDown() => Directory.Delete(folder, recursive: true);

    private static MemoryStream Bytes(string text) => new(Encoding.UTF8.GetBytes(text));

    [Test]
    public void Should_Show_Files_As_A_Tree_With_Each_Folders_Isolation_Mode()
    {
        var model = new PackagerViewModel(package, sandbox);
        var rows = model.Rows.Select(r => (r.Node.Name, r.Depth, r.Node.Detail)).ToList();
        Assert.That(rows, Does.Contain(("%AppData%", 0, "writecopy")));
        Assert.That(rows, Does.Contain(("Notes", 1, "full")));
        Assert.That(rows, Does.Contain(("%ProgramFilesDir%", 0, "writecopy")));
        var notes = model.Rows.ToList().FindIndex(r => r.Node.Name == "Notes" && r.Node.Detail == "writecopy");
        model.Select(notes);
        model.Fold(open: true);
        rows = model.Rows.Select(r => (r.Node.Name, r.Depth, r.Node.Detail)).ToList();
        Assert.That(rows, Does.Contain(("Shared", 2, "merged")));
        Assert.That(rows, Does.Contain(("Notes.dll", 2, "22 bytes")));
        model.Fold(open: false);
        Assert.That(model.Rows.Select(r => r.Node.Name), Does.Not.Contain("Shared"));
    }

    [Test]
    public void Should_Show_The_Registry_As_Keys_And_Values()
    {
        var model = new PackagerViewModel(package, sandbox);
        model.NextTab();
        Assert.That(model.Tab, Is.EqualTo(PackagerTab.Registry));
        for (var i = 0; i < 3; i++)
        {
            model.Select(model.Rows.Count - 1);
            model.Fold(open: true);
        }
        var values = model.Rows.Where(r => !r.Node.IsFolder).Select(r => $"{r.Node.Name} {r.Node.Detail}").ToList();
        Assert.That(values, Has.Some.EqualTo("Theme String: dark"));
        Assert.That(values, Has.Some.EqualTo("Count DWord: 3"));
    }

    [Test]
    public void Should_List_Sandbox_Changes_And_Reset_Them_Only_When_Confirmed()
    {
        // The sandbox as a run leaves it: made by the sandbox layer, with a file the application wrote.
        var written = Path.Combine(new VirtualizationWorkbench.Sandbox.FileSystem.SandboxLayer(sandbox).FilesRoot, "%AppData%", "Notes", "notes.txt");
        Directory.CreateDirectory(Path.GetDirectoryName(written)!);
        File.WriteAllText(written, "my notes");
        var model = new PackagerViewModel(package, sandbox);
        Assert.That(model.Changes.Single(), Does.Contain("%AppData%/Notes/notes.txt"));

        model.RequestReset();
        Assert.That(model.ConfirmingReset, Is.True);
        model.ConfirmReset(false);
        Assert.That(File.Exists(written), Is.True);
        Assert.That(model.Changes, Has.Count.EqualTo(1));

        model.RequestReset();
        model.ConfirmReset(true);
        Assert.That(File.Exists(written), Is.False);
        Assert.That(model.Changes, Is.Empty);
        model.RequestReset();
        Assert.That(model.Message, Does.Contain("nothing to reset"));
    }

    [Test]
    public void Should_Show_No_Changes_For_A_Sandbox_Folder_Holding_Other_Files()
    {
        Directory.CreateDirectory(Path.Combine(sandbox, "files"));
        File.WriteAllText(Path.Combine(sandbox, "files", "photo.jpg"), "pixels");
        File.WriteAllText(Path.Combine(sandbox, "deleted.txt"), "%Profile%/x\n");

        var model = new PackagerViewModel(package, sandbox);
        model.RequestReset();

        Assert.That(model.Changes, Is.Empty);
        Assert.That(model.Message, Does.Contain("nothing to reset"));
        Assert.That(File.Exists(Path.Combine(sandbox, "files", "photo.jpg")), Is.True);
    }

    [Test]
    public void Should_Show_Which_Layer_Each_File_Is_Read_From()
    {
        // This machine's folders, aimed at a temporary host: a host settings.json the package's full isolation
        // hides, and a host copy of the merged folder's readme.
        var host = Path.Combine(folder, "host");
        var macros = new FolderMacros(new Dictionary<string, string>
        {
            ["%AppData%"] = Path.Combine(host, "appdata"),
            ["%ProgramFilesDir%"] = Path.Combine(host, "programs"),
            [FolderMacros.RootMacro] = "/",
        });
        Directory.CreateDirectory(Path.Combine(host, "appdata", "Notes"));
        File.WriteAllText(Path.Combine(host, "appdata", "Notes", "settings.json"), "{\"host\": true}");
        Directory.CreateDirectory(Path.Combine(host, "programs", "Notes", "Shared"));
        File.WriteAllText(Path.Combine(host, "programs", "Notes", "Shared", "readme.txt"), "the host's");

        var fresh = new PackagerViewModel(package, sandbox, macros);
        Assert.That(Directory.Exists(sandbox), Is.False, "looking at the layers makes no sandbox");
        Assert.That(fresh.Layers.Select(l => (l.Key, l.Serves)), Is.EquivalentTo(new[]
        {
            ("%AppData%/Notes/settings.json", VisibleLayer.Package),
            ("%ProgramFilesDir%/Notes/Notes.dll", VisibleLayer.Package),
            ("%ProgramFilesDir%/Notes/Shared/readme.txt", VisibleLayer.Package),
        }));
        var settings = fresh.Layers.Single(l => l.Key == "%AppData%/Notes/settings.json");
        Assert.That((settings.Mode, settings.InPackage, settings.OnHost), Is.EqualTo((IsolationMode.Full, true, true)));

        // The application writes over its program, makes a new file and deletes the readme (package and host copy).
        var layer = new SandboxLayer(sandbox);
        var dll = layer.PhysicalPath(VirtualLocation.ParseKey("%ProgramFilesDir%/Notes/Notes.dll"));
        Directory.CreateDirectory(Path.GetDirectoryName(dll)!);
        File.WriteAllText(dll, "patched");
        var fresh2 = layer.PhysicalPath(VirtualLocation.ParseKey("%AppData%/Notes/recent.txt"));
        Directory.CreateDirectory(Path.GetDirectoryName(fresh2)!);
        File.WriteAllText(fresh2, "notes.txt");
        layer.Hide(VirtualLocation.ParseKey("%ProgramFilesDir%/Notes/Shared/readme.txt"));

        var model = new PackagerViewModel(package, sandbox, macros);
        Assert.That(model.Layers.Select(l => (l.Key, l.InSandbox, l.InPackage, l.OnHost, l.Deleted, l.Serves)), Is.EqualTo(new[]
        {
            ("%AppData%/Notes/recent.txt", true, false, false, false, VisibleLayer.Sandbox),
            ("%AppData%/Notes/settings.json", false, true, true, false, VisibleLayer.Package),
            ("%ProgramFilesDir%/Notes/Notes.dll", true, true, false, false, VisibleLayer.Sandbox),
            ("%ProgramFilesDir%/Notes/Shared/readme.txt", false, true, true, true, VisibleLayer.None),
        }));

        // The layers tab is the fourth; its cursor walks its rows.
        for (var i = 0; i < 3; i++) model.NextTab();
        Assert.That(model.Tab, Is.EqualTo(PackagerTab.Layers));
        model.Select(99);
        Assert.That(model.Cursor.Selected, Is.EqualTo(3));

        // After a reset the package shows through again.
        model.RequestReset();
        model.ConfirmReset(true);
        Assert.That(model.Layers.Single(l => l.Key == "%ProgramFilesDir%/Notes/Shared/readme.txt").Serves, Is.EqualTo(VisibleLayer.Package));

        // Host files beside the package's: read from the host in the merged folder, hidden in the full one.
        File.WriteAllText(Path.Combine(host, "programs", "Notes", "Shared", "extra.txt"), "the host's own");
        File.WriteAllText(Path.Combine(host, "appdata", "Notes", "private.txt"), "not for the application");
        model.RefreshSandbox();
        Assert.That(model.Layers.Single(l => l.Key == "%ProgramFilesDir%/Notes/Shared/extra.txt").Serves, Is.EqualTo(VisibleLayer.Host));
        var hidden = model.Layers.Single(l => l.Key == "%AppData%/Notes/private.txt");
        Assert.That((hidden.OnHost, hidden.InPackage, hidden.Serves), Is.EqualTo((true, false, VisibleLayer.None)));
    }

    [Test]
    public void Should_Refuse_A_File_That_Is_Not_A_Package()
    {
        var bogus = Path.Combine(folder, "bogus.vapp");
        File.WriteAllText(bogus, "not a zip");
        Assert.That(() => new PackagerViewModel(bogus), Throws.TypeOf<UserError>().With.Message.Contains("bogus.vapp"));
    }
}
