using VirtualizationWorkbench.Sandbox.FileSystem;
using VirtualizationWorkbench.Sandbox.Registry;

namespace VirtualizationWorkbench.Sandbox.Tests.Registry;

public sealed class VirtualRegistryTests
{
    private string _folder = "";

    [SetUp]
    public void CreateFolder() => _folder = Directory.CreateTempSubdirectory("vwb-registry-").FullName;

    [TearDown]
    public void DeleteFolder() => Directory.Delete(_folder, recursive: true);

    private static RegistryTree PackageHive()
    {
        var hive = new RegistryTree();
        hive.GetOrAdd(@"HKEY_LOCAL_MACHINE\Software\Vendor\App").Values["Edition"] = RegistryValue.String("Pro");
        hive.GetOrAdd(@"HKEY_LOCAL_MACHINE\Software\Vendor\App\Plugins\Spell").Values["On"] = RegistryValue.DWord(1);
        return hive;
    }

    private VirtualRegistry Open(RegistryTree package)
    {
        var sandbox = new SandboxLayer(_folder);
        return new VirtualRegistry(package, sandbox.OpenRegistryJournal());
    }

    [Test]
    public void Should_Keep_Changes_In_The_Sandbox_And_Never_In_The_Package()
    {
        var package = PackageHive();
        var before = RegFileWriter.ToText(package.ToDocument());
        var registry = Open(package);

        registry.SetValue(@"HKLM\Software\Vendor\App", "Edition", RegistryValue.String("Home"));
        registry.DeleteKey(@"HKLM\Software\Vendor\App\Plugins", recursive: true);

        Assert.That(RegFileWriter.ToText(package.ToDocument()), Is.EqualTo(before));
        var reopened = Open(PackageHive());
        Assert.Multiple(() =>
        {
            Assert.That(reopened.GetValue(@"HKLM\Software\Vendor\App", "Edition"), Is.EqualTo(RegistryValue.String("Home")));
            Assert.That(reopened.KeyExists(@"HKLM\Software\Vendor\App\Plugins"), Is.False);
            Assert.That(reopened.KeyExists(@"HKLM\Software\Vendor\App\Plugins\Spell"), Is.False);
            Assert.That(reopened.GetSubKeyNames(@"HKLM\Software\Vendor\App"), Is.Empty);
        });
    }

    [Test]
    public void Should_Hide_The_Package_Contents_Of_A_Key_Deleted_And_Made_Again()
    {
        var registry = Open(PackageHive());

        registry.DeleteKey(@"HKLM\Software\Vendor\App", recursive: true);
        registry.SetValue(@"HKLM\Software\Vendor\App", "New", RegistryValue.DWord(7));

        Assert.That(registry.GetValueNames(@"HKLM\Software\Vendor\App"), Is.EqualTo(new[] { "New" }));
        Assert.That(registry.KeyExists(@"HKLM\Software\Vendor\App\Plugins"), Is.False);
    }

    [Test]
    public void Should_Refuse_To_Delete_A_Key_With_Subkeys_Unless_Recursive()
    {
        var registry = Open(PackageHive());

        Assert.Throws<InvalidOperationException>(() => registry.DeleteKey(@"HKLM\Software\Vendor\App", recursive: false));
        Assert.That(registry.KeyExists(@"HKLM\Software\Vendor\App\Plugins\Spell"), Is.True);
    }

    [Test]
    public void Should_Merge_Changes_Of_Two_Instances_Sharing_A_Sandbox()
    {
        var first = Open(new RegistryTree());
        var second = Open(new RegistryTree());

        Parallel.For(0, 40, i => (i % 2 == 0 ? first : second).SetValue(@"HKCU\Software\Race", $"v{i}", RegistryValue.DWord((uint)i)));

        var reopened = Open(new RegistryTree());
        Assert.That(reopened.GetValueNames(@"HKCU\Software\Race"), Has.Count.EqualTo(40));
    }

    [Test]
    public void Should_Leave_The_Previous_File_Whole_When_A_Writer_Dies_Before_Its_Rename()
    {
        var registry = Open(new RegistryTree());
        registry.SetValue(@"HKCU\Software\Safe", "Kept", RegistryValue.String("yes"));
        // What a compaction killed mid-write leaves: a half-written temporary file beside the real one.
        File.WriteAllBytes(AtomicFile.TemporaryNameFor(Path.Combine(_folder, RegistryJournal.FileName)), "VWBREGJ1"u8.ToArray());

        var reopened = Open(new RegistryTree());

        Assert.That(reopened.GetValue(@"HKCU\Software\Safe", "Kept"), Is.EqualTo(RegistryValue.String("yes")));
    }

    [Test]
    public void Default_Values_And_Every_Hive_Are_Kept_Apart_And_Survive_A_Reopen()
    {
        var package = PackageHive();
        package.GetOrAdd(@"HKEY_CLASSES_ROOT\.note").Values[""] = RegistryValue.String("NoteFile");
        var registry = Open(package);

        registry.SetValue(@"HKCR\NoteFile\shell\open\command", "", RegistryValue.ExpandString("%ProgramFiles%\\Notes\\notes.exe \"%1\""));
        registry.SetValue(@"HKCU\Software\Notes", "", RegistryValue.String("per user"));
        registry.SetValue(@"HKLM\Software\Notes", "", RegistryValue.String("per machine"));

        var reopened = Open(PackageHive());
        Assert.Multiple(() =>
        {
            Assert.That(registry.GetValue(@"HKEY_CLASSES_ROOT\.note", ""), Is.EqualTo(RegistryValue.String("NoteFile")), "the package's default value");
            Assert.That(reopened.GetValue(@"HKCR\NoteFile\shell\open\command", ""), Is.EqualTo(RegistryValue.ExpandString("%ProgramFiles%\\Notes\\notes.exe \"%1\"")));
            Assert.That(reopened.GetValue(@"HKCU\Software\Notes", ""), Is.EqualTo(RegistryValue.String("per user")));
            Assert.That(reopened.GetValue(@"HKLM\Software\Notes", ""), Is.EqualTo(RegistryValue.String("per machine")));
            Assert.That(reopened.GetValueNames(@"HKCU\Software\Notes"), Is.EqualTo(new[] { "" }), "the default value is listed as the empty name");
            Assert.That(reopened.KeyExists(@"HKCU\Software\Vendor"), Is.False, "hives do not share keys");
        });

        Assert.That(reopened.DeleteValue(@"HKCU\Software\Notes", ""), Is.True);
        Assert.That(Open(PackageHive()).GetValue(@"HKCU\Software\Notes", ""), Is.Null);
    }
}
