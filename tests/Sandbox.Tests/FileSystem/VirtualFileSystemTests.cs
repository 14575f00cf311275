using System.Text;
using VirtualizationWorkbench.Sandbox.FileSystem;
using VirtualizationWorkbench.Sandbox.Paths;

namespace VirtualizationWorkbench.Sandbox.Tests.FileSystem;

public sealed class VirtualFileSystemTests
{
    private string _root = "";
    private string _host = "";
    private string _home = "";
    private FolderMacros _macros = null!;
    private PackageLayer _package = null!;

    [SetUp]
    public void CreateMachine()
    {
        _root = Directory.CreateTempSubdirectory("vwb-vfs-").FullName;
        _host = Directory.CreateDirectory(Path.Combine(_root, "host")).FullName;
        _home = Directory.CreateDirectory(Path.Combine(_host, "home")).FullName;
        Directory.CreateDirectory(Path.Combine(_host, "opt"));
        _macros = new FolderMacros(new Dictionary<string, string>
        {
            ["%Profile%"] = _home,
            ["%AppData%"] = Path.Combine(_home, ".config"),
            ["%ProgramFilesDir%"] = Path.Combine(_host, "opt"),
            [FolderMacros.RootMacro] = _host,
        });
        var packageRoot = Path.Combine(_root, "package");
        Write(Path.Combine(packageRoot, "%ProgramFilesDir%", "App", "app.txt"), "from package");
        Write(Path.Combine(packageRoot, "%Profile%", "shared", "b.txt"), "package b");
        _package = new PackageLayer(packageRoot, ["%ProgramFilesDir%/App/app.txt", "%Profile%/shared/b.txt"], _macros);
    }

    [TearDown]
    public void DeleteMachine() => Directory.Delete(_root, recursive: true);

    private VirtualFileSystem Open(IsolationMode mode, Dictionary<string, IsolationMode>? rules = null) =>
        new(_macros, new IsolationPolicy(mode, rules), _package, new SandboxLayer(Path.Combine(_root, "sandbox")));

    private static void Write(string path, string text)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    private static string Read(VirtualFileSystem vfs, string path) => File.ReadAllText(vfs.FindFile(path) ?? throw new FileNotFoundException(path));

    private static void WriteVirtual(VirtualFileSystem vfs, string path, string text) =>
        vfs.WriteAtomically(path, stream => stream.Write(Encoding.UTF8.GetBytes(text)));

    private string HostHash() =>
        string.Join("\n", Directory.EnumerateFiles(_host, "*", SearchOption.AllDirectories).Order()
            .Select(path => path + ":" + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(path)))));

    [Test]
    public void WriteCopy_Should_Show_The_Host_And_Keep_Every_Write_In_The_Sandbox()
    {
        var notes = Path.Combine(_home, "notes.txt");
        Write(notes, "host");
        var before = HostHash();
        var vfs = Open(IsolationMode.WriteCopy);

        Assert.That(Read(vfs, notes), Is.EqualTo("host"));
        WriteVirtual(vfs, notes, "changed");
        WriteVirtual(vfs, Path.Combine(_home, "new.txt"), "new");

        Assert.That(Read(vfs, notes), Is.EqualTo("changed"));
        Assert.That(vfs.FileExists(Path.Combine(_home, "new.txt")), Is.True);
        Assert.That(HostHash(), Is.EqualTo(before));
    }

    [Test]
    public void Full_Should_Hide_The_Host()
    {
        Write(Path.Combine(_home, "secret.txt"), "host");
        var vfs = Open(IsolationMode.Full);

        Assert.That(vfs.FileExists(Path.Combine(_home, "secret.txt")), Is.False);
        Assert.That(vfs.DirectoryExists(_home), Is.True, "macro folders exist even under full isolation");
        WriteVirtual(vfs, Path.Combine(_home, "secret.txt"), "virtual");
        Assert.That(Read(vfs, Path.Combine(_home, "secret.txt")), Is.EqualTo("virtual"));
        Assert.That(File.ReadAllText(Path.Combine(_home, "secret.txt")), Is.EqualTo("host"));
    }

    // PowerShell reads /proc/self/cmdline first thing; under full isolation it crashed when that vanished.
    [Test]
    public void Full_Should_Show_The_Systems_Own_Views_But_Not_Through_Them_What_It_Hides()
    {
        Assume.That(OperatingSystem.IsLinux(), "/proc is Linux's");
        Assume.That(File.Exists("/etc/passwd"), "a host file outside the home folder");
        Write(Path.Combine(_home, "secret.txt"), "host");
        var macros = new FolderMacros(new Dictionary<string, string> { ["%Profile%"] = _home, [FolderMacros.RootMacro] = "/" });
        var vfs = new VirtualFileSystem(macros, new IsolationPolicy(IsolationMode.Full), _package, new SandboxLayer(Path.Combine(_root, "sandbox")));

        Assert.That(vfs.FindFile("/proc/self/status") is { } status ? File.ReadAllText(status) : "", Does.Contain("Name:"));
        Assert.That(vfs.DirectoryExists("/dev"), Is.True);
        Assert.That(vfs.FindFile(Path.Combine(_home, "secret.txt")), Is.Null);
        Assert.That(vfs.FindFile("/proc/self/root" + Path.Combine(_home, "secret.txt")), Is.Null, "/proc/self/root leads to /, where the rules apply");
        Assert.That(vfs.FindFile("/proc/self/root/etc/passwd"), Is.Null);
        Assert.That(vfs.FindFile("/etc/passwd"), Is.Null, "the rest of the host stays hidden");
    }

    [Test]
    public void Merged_Should_Write_To_The_Host()
    {
        var vfs = Open(IsolationMode.Merged);

        WriteVirtual(vfs, Path.Combine(_home, "merged.txt"), "on the host");

        Assert.That(File.ReadAllText(Path.Combine(_home, "merged.txt")), Is.EqualTo("on the host"));
    }

    [Test]
    public void Folder_Rules_Should_Be_Inherited_By_Subfolders()
    {
        Directory.CreateDirectory(Path.Combine(_home, "private", "deep"));
        var vfs = Open(IsolationMode.Merged, new() { ["%Profile%/private"] = IsolationMode.Full });

        // Under full isolation the host's folders are invisible, so the application makes its own.
        vfs.CreateDirectory(Path.Combine(_home, "private", "deep"));
        WriteVirtual(vfs, Path.Combine(_home, "private", "deep", "x.txt"), "isolated");
        WriteVirtual(vfs, Path.Combine(_home, "public.txt"), "shared");

        Assert.That(File.Exists(Path.Combine(_home, "private", "deep", "x.txt")), Is.False);
        Assert.That(Read(vfs, Path.Combine(_home, "private", "deep", "x.txt")), Is.EqualTo("isolated"));
        Assert.That(File.ReadAllText(Path.Combine(_home, "public.txt")), Is.EqualTo("shared"));
    }

    [Test]
    public void Package_Files_Should_Be_Read_Only_And_Copied_On_Write()
    {
        var vfs = Open(IsolationMode.Merged);
        var app = Path.Combine(_host, "opt", "App", "app.txt");

        using (var stream = vfs.OpenFile(app, FileMode.Append, FileAccess.Write, FileShare.None))
        {
            stream.Write(" + sandbox"u8);
        }

        Assert.That(Read(vfs, app), Is.EqualTo("from package + sandbox"));
        Assert.That(File.ReadAllText(Path.Combine(_root, "package", "%ProgramFilesDir%", "App", "app.txt")), Is.EqualTo("from package"));
        Assert.That(File.Exists(app), Is.False, "the host never gets the package's files");
    }

    [Test]
    public void Deletes_Should_Hide_Lower_Layers_And_Persist()
    {
        var notes = Path.Combine(_home, "notes.txt");
        Write(notes, "host");
        var vfs = Open(IsolationMode.WriteCopy);

        vfs.DeleteFile(notes);
        vfs.DeleteFile(Path.Combine(_home, "shared", "b.txt"));

        Assert.That(File.Exists(notes), Is.True);
        var reopened = Open(IsolationMode.WriteCopy);
        Assert.That(reopened.FileExists(notes), Is.False);
        Assert.That(reopened.FileExists(Path.Combine(_home, "shared", "b.txt")), Is.False);
        WriteVirtual(reopened, notes, "again");
        Assert.That(Read(reopened, notes), Is.EqualTo("again"));
    }

    [Test]
    public void Listings_Should_Merge_Host_Package_And_Sandbox_And_Honor_Patterns()
    {
        Write(Path.Combine(_home, "shared", "a.txt"), "host a");
        Write(Path.Combine(_home, "shared", "z.log"), "host z");
        var vfs = Open(IsolationMode.WriteCopy);
        WriteVirtual(vfs, Path.Combine(_home, "shared", "c.txt"), "sandbox c");

        var names = vfs.Enumerate(Path.Combine(_home, "shared"), "*.txt", new EnumerationOptions(), files: true, directories: false)
            .Select(Path.GetFileName);

        Assert.That(names, Is.EqualTo(new[] { "a.txt", "b.txt", "c.txt" }));
    }

    [Test]
    public void Renames_Should_Move_Within_The_Sandbox_And_Leave_The_Host_Alone()
    {
        Write(Path.Combine(_home, "old.txt"), "content");
        var before = HostHash();
        var vfs = Open(IsolationMode.WriteCopy);

        vfs.MoveFile(Path.Combine(_home, "old.txt"), Path.Combine(_home, "new.txt"), overwrite: false);
        vfs.MoveFile(Path.Combine(_home, "new.txt"), Path.Combine(_home, "newer.txt"), overwrite: false);

        Assert.That(vfs.FileExists(Path.Combine(_home, "old.txt")), Is.False);
        Assert.That(vfs.FileExists(Path.Combine(_home, "new.txt")), Is.False);
        Assert.That(Read(vfs, Path.Combine(_home, "newer.txt")), Is.EqualTo("content"));
        Assert.That(HostHash(), Is.EqualTo(before));
    }

    [Test]
    public void Dot_Dot_Segments_Should_Not_Leave_The_Rules()
    {
        var vfs = Open(IsolationMode.WriteCopy);
        var sneaky = Path.Combine(_home, "a", "..", "..", "home", "escape.txt");

        Directory.CreateDirectory(Path.Combine(_home, "a"));
        WriteVirtual(vfs, Path.GetFullPath(sneaky), "x");

        Assert.That(File.Exists(Path.Combine(_home, "escape.txt")), Is.False);
        Assert.That(vfs.Resolve(Path.GetFullPath(sneaky)).SandboxPath, Does.StartWith(Path.Combine(_root, "sandbox", "files")));
    }

    [TestCase("..\uFF0F..\uFF0Fescape.txt")]
    [TestCase("cafe\u0301.txt")]
    [TestCase("\u202Etxt.exe")]
    [TestCase("..\\..\\escape.txt")]
    public void Odd_Unicode_Names_Should_Stay_Names_Inside_The_Sandbox(string name)
    {
        var before = HostHash();
        var vfs = Open(IsolationMode.WriteCopy);

        WriteVirtual(vfs, Path.Combine(_home, name), "odd");

        Assert.That(HostHash(), Is.EqualTo(before));
        Assert.That(vfs.Resolve(Path.Combine(_home, name)).SandboxPath, Is.EqualTo(Path.Combine(_root, "sandbox", "files", "%Profile%", name)));
        Assert.That(File.ReadAllText(Path.Combine(_root, "sandbox", "files", "%Profile%", name)), Is.EqualTo("odd"));
    }

    [Test]
    public void Symbolic_Links_Should_Not_Carry_A_Write_Into_A_Stricter_Folder()
    {
        var locked = Directory.CreateDirectory(Path.Combine(_home, "locked")).FullName;
        Directory.CreateSymbolicLink(Path.Combine(_home, "link"), locked);
        var vfs = Open(IsolationMode.Merged, new() { ["%Profile%/locked"] = IsolationMode.Full });

        vfs.CreateDirectory(Path.Combine(_home, "link"));
        WriteVirtual(vfs, Path.Combine(_home, "link", "x.txt"), "through the link");

        Assert.That(File.Exists(Path.Combine(locked, "x.txt")), Is.False);
        Assert.That(Read(vfs, Path.Combine(_home, "locked", "x.txt")), Is.EqualTo("through the link"));
    }

    [Test]
    public void The_Sandbox_Bookkeeping_Should_Be_Out_Of_Reach()
    {
        var vfs = Open(IsolationMode.WriteCopy);

        Assert.Throws<UnauthorizedAccessException>(() => vfs.Resolve(Path.Combine(vfs.Sandbox.Root, "deleted.txt")));
    }

    [Test]
    public void Paths_Into_The_Sandbox_Or_The_Package_Should_Mean_Their_Virtual_Location()
    {
        var vfs = Open(IsolationMode.WriteCopy);
        WriteVirtual(vfs, Path.Combine(_home, "n.txt"), "v");

        var throughSandbox = vfs.Resolve(Path.Combine(vfs.Sandbox.FilesRoot, "%Profile%", "n.txt"));
        var throughPackage = vfs.Resolve(Path.Combine(_root, "package", "%ProgramFilesDir%", "App", "app.txt"));

        Assert.That(throughSandbox.Location.Key, Is.EqualTo("%Profile%/n.txt"));
        Assert.That(throughPackage.Location.Key, Is.EqualTo("%ProgramFilesDir%/App/app.txt"));
    }

    [Test]
    public void File_Sharing_Should_Be_Enforced_On_The_One_Physical_File()
    {
        var vfs = Open(IsolationMode.WriteCopy);
        var path = Path.Combine(_home, "locked.txt");

        using var first = vfs.OpenFile(path, FileMode.Create, FileAccess.ReadWrite, FileShare.None);

        Assert.Throws<IOException>(() => vfs.OpenFile(path, FileMode.Open, FileAccess.Read, FileShare.Read).Dispose());
    }

    [Test]
    public void Directory_Deletion_Should_Require_Recursive_For_A_Folder_With_Contents()
    {
        Write(Path.Combine(_home, "full", "x.txt"), "x");
        var vfs = Open(IsolationMode.WriteCopy);

        Assert.Throws<IOException>(() => vfs.DeleteDirectory(Path.Combine(_home, "full"), recursive: false));
        vfs.DeleteDirectory(Path.Combine(_home, "full"), recursive: true);

        Assert.That(vfs.DirectoryExists(Path.Combine(_home, "full")), Is.False);
        Assert.That(File.Exists(Path.Combine(_home, "full", "x.txt")), Is.True);
    }

    [Test]
    public void A_Link_Planted_In_The_Sandbox_Should_Not_Carry_A_Write_Out_Of_It()
    {
        var victim = Path.Combine(_host, "opt", "victim.txt");
        Write(victim, "host content");
        var vfs = Open(IsolationMode.WriteCopy);
        var notes = Path.Combine(_home, "notes.txt");
        var copy = vfs.Resolve(notes).SandboxPath;
        Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
        File.CreateSymbolicLink(copy, victim);

        WriteVirtual(vfs, notes, "written by the application");
        File.Delete(copy);
        File.CreateSymbolicLink(copy, victim);
        using (var stream = vfs.OpenFile(notes, FileMode.Append, FileAccess.Write, FileShare.None))
        {
            stream.Write(" and appended"u8);
        }

        Assert.That(File.ReadAllText(victim), Is.EqualTo("host content"));
        Assert.That(Read(vfs, notes), Is.EqualTo(" and appended"));
    }

    [Test]
    public void A_Merged_Write_Should_Go_Through_A_Host_Link_As_In_Place()
    {
        var target = Path.Combine(_home, "real.txt");
        var link = Path.Combine(_home, "link.txt");
        Write(target, "old");
        File.CreateSymbolicLink(link, target);

        WriteVirtual(Open(IsolationMode.Merged), link, "new");

        Assert.That(new FileInfo(link).LinkTarget, Is.EqualTo(target));
        Assert.That(File.ReadAllText(target), Is.EqualTo("new"));
    }

    [Test]
    public void A_Folder_Replaced_By_A_Link_While_The_Application_Runs_Is_Seen_At_The_Next_Lookup()
    {
        var protectedFolder = Path.Combine(_home, "protected");
        Write(Path.Combine(protectedFolder, "e", "secret.txt"), "secret");
        var vfs = Open(IsolationMode.Merged, new Dictionary<string, IsolationMode> { ["%Profile%/protected"] = IsolationMode.Full });
        var folder = Path.Combine(_home, "m", "d");
        Directory.CreateDirectory(Path.Combine(folder, "e"));
        WriteVirtual(vfs, Path.Combine(folder, "e", "a.txt"), "before");

        Directory.Delete(folder, recursive: true);
        Directory.CreateSymbolicLink(folder, protectedFolder);

        // Through the link the path is in the Full folder, whose host contents the application cannot see: its
        // folder "e" is not there to write into, and its secret is not there to read.
        Assert.Throws<DirectoryNotFoundException>(() => WriteVirtual(vfs, Path.Combine(folder, "e", "secret.txt"), "overwritten"));
        Assert.That(vfs.FindFile(Path.Combine(folder, "e", "secret.txt")), Is.Null);
        Assert.That(File.ReadAllText(Path.Combine(protectedFolder, "e", "secret.txt")), Is.EqualTo("secret"));
    }
}
