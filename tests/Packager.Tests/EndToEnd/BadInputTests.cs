using System.IO.Compression;
using System.Text;

namespace VirtualizationWorkbench.Packager.Tests.EndToEnd;

/// <summary>Every wrong input gives a clear error and a non-zero exit code, and writes nothing.</summary>
[Category(TestCategories.EndToEnd)]
public sealed class BadInputTests
{
    private Machine _machine = null!;
    private string _package = "";

    [SetUp]
    public void Pack()
    {
        _machine = new Machine();
        _package = _machine.InWork("good.vapp");
        Assert.That(_machine.Workbench("pack", TestApplications.Of("FileApp"), "-o", _package).ExitCode, Is.Zero);
    }

    [TearDown]
    public void DeleteMachine() => _machine.Dispose();

    /// <summary>Runs <c>workbench build</c> on a package project holding only <paramref name="packageIni"/>.</summary>
    private CommandResult BuildProjectWith(string packageIni)
    {
        var project = _machine.InWork("project");
        Directory.CreateDirectory(Path.Combine(project, "%ProgramFilesDir%"));
        File.WriteAllText(Path.Combine(project, "Package.ini"), packageIni);
        return _machine.Workbench("build", project, "-o", _machine.InWork("p.vapp"));
    }

    private void AssertRefused(CommandResult result, string message)
    {
        Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString());
        Assert.That(result.Error, Does.StartWith("error: ").And.Contain(message));
        Assert.That(result.Error, Does.Not.Contain("   at "), "no stack trace");
    }

    [Test]
    public void A_Truncated_Package_Should_Be_Refused_Before_Anything_Runs()
    {
        var bytes = File.ReadAllBytes(_package);
        File.WriteAllBytes(_machine.InWork("truncated.vapp"), bytes[..(bytes.Length / 2)]);
        var home = _machine.Hash(_machine.Home);

        AssertRefused(_machine.Workbench("app", "run", _machine.InWork("truncated.vapp")), "truncated or corrupt");
        Assert.That(_machine.Hash(_machine.Home), Is.EqualTo(home));
        Assert.That(Directory.Exists(_machine.WorkbenchData), Is.False);
    }

    [Test]
    public void A_Package_Whose_Content_Was_Altered_Should_Be_Refused()
    {
        var altered = _machine.InWork("altered.vapp");
        File.Copy(_package, altered);
        using (var zip = ZipFile.Open(altered, ZipArchiveMode.Update))
        {
            var entry = zip.Entries.Single(e => e.FullName.EndsWith("shipped.txt", StringComparison.Ordinal));
            var length = entry.Length;
            entry.Delete();
            using var stream = zip.CreateEntry(entry.FullName).Open();
            stream.Write(Encoding.ASCII.GetBytes(new string('x', (int)length)));
        }

        AssertRefused(_machine.Workbench("app", "run", altered, "--", "shipped"), "does not match its manifest hash");
    }

    [TestCase("../evil.txt")]
    [TestCase("/etc/evil.txt")]
    [TestCase("files/%Profile%/../../evil.txt")]
    public void A_Package_Entry_That_Escapes_Its_Folder_Should_Be_Refused(string entryName)
    {
        var evil = _machine.InWork("evil.vapp");
        File.Copy(_package, evil);
        using (var zip = ZipFile.Open(evil, ZipArchiveMode.Update))
        {
            using var stream = zip.CreateEntry(entryName).Open();
            stream.Write("gotcha"u8);
        }

        AssertRefused(_machine.Workbench("app", "run", evil), "could write outside its folder");
        Assert.That(File.Exists(Path.Combine(_machine.Root, "evil.txt")), Is.False);
    }

    [Test]
    public void A_Folder_Without_An_Entry_Point_Should_Be_Refused()
    {
        var folder = Directory.CreateDirectory(_machine.InWork("not-an-app")).FullName;
        File.WriteAllText(Path.Combine(folder, "readme.txt"), "no program here");

        AssertRefused(_machine.Workbench("pack", folder, "-o", _machine.InWork("none.vapp")), "holds no entry point");
        Assert.That(File.Exists(_machine.InWork("none.vapp")), Is.False);
    }

    [Test]
    public void An_Export_Into_A_Missing_Folder_Should_Name_The_Folder()
    {
        var missing = _machine.InWork("no-such-folder");

        AssertRefused(_machine.Workbench("registry", "export", _package, "-o", Path.Combine(missing, "x.reg")), $"the folder '{missing}' does not exist");
        Assert.That(Directory.Exists(missing), Is.False);
    }

    [TestCase("not-an-app")]
    [TestCase("missing")]
    public void The_Packager_Benchmark_Should_Refuse_A_Folder_That_Is_Not_An_Application(string name)
    {
        if (name == "not-an-app")
        {
            Directory.CreateDirectory(_machine.InWork(name));
        }

        AssertRefused(_machine.Bench("packager", _machine.InWork(name), "--runs", "1"), "is not an application folder with a .NET entry point");
    }

    [Test]
    public void A_Missing_Entry_Name_Should_Be_Refused_With_The_Names_There_Are()
    {
        AssertRefused(_machine.Workbench("app", "run", _package, "--entry", "Nope"), "no entry point named 'Nope'; it has: FileApp");
        Assert.That(Directory.Exists(Path.Combine(_machine.WorkbenchData, "extracted")), Is.False, "the package was extracted all the same");
        AssertRefused(_machine.Workbench("pack", TestApplications.Of("FileApp"), "--entry", "Missing.dll", "-o", _machine.InWork("x.vapp")), "The entry 'Missing.dll' is not in");
        Assert.That(File.Exists(_machine.InWork("x.vapp")), Is.False);
    }

    [Test]
    public void An_Unwritable_Sandbox_Folder_Should_Be_Refused()
    {
        var blocker = _machine.InWork("a-file");
        File.WriteAllText(blocker, "a file where a folder should be");

        AssertRefused(_machine.Workbench("app", "run", _package, "--sandbox", Path.Combine(blocker, "sandbox"), "--", "write", "x"), "cannot be written");
        Assert.That(File.ReadAllText(blocker), Is.EqualTo("a file where a folder should be"));
        Assert.That(Directory.Exists(Path.Combine(_machine.WorkbenchData, "extracted")), Is.False, "the package was extracted all the same");
    }

    [Test]
    public void A_Malformed_Reg_File_Should_Be_Refused_With_Line_And_Column()
    {
        var reg = _machine.InWork("bad.reg");
        File.WriteAllText(reg, "REGEDIT4\n\n[HKEY_CURRENT_USER\\Software\\X]\n\"Count\"=dword:xyz\n");

        AssertRefused(_machine.Workbench("pack", TestApplications.Of("FileApp"), "-o", _machine.InWork("r.vapp"), "--registry", reg), "bad.reg:4:15: 'dword:xyz' is not a dword");
        Assert.That(File.Exists(_machine.InWork("r.vapp")), Is.False);
    }

    [Test]
    public void A_Malformed_Package_Ini_Should_Be_Refused_With_Its_Line()
    {
        AssertRefused(BuildProjectWith("[BuildOptions]\nInventoryName=X\nDirectoryIsolationMode=Sometimes\n"), "Package.ini:3: 'Sometimes' is not an isolation mode");
    }

    [Test]
    public void An_Entry_Points_Globalization_That_Is_Not_True_Or_False_Should_Be_Refused_With_Its_Line()
    {
        AssertRefused(BuildProjectWith("[BuildOptions]\nInventoryName=X\n\n[X]\nSource=%ProgramFilesDir%\\X\\X.dll\nInvariantGlobalization=maybe\n"), "Package.ini:6: InvariantGlobalization=maybe is not true or false");
    }

    [TestCase("Kind=java", "Package.ini:6: Kind=java is not dotnet")]
    [TestCase("Windowed=yes", "Package.ini:6: Windowed=yes is not true or false")]
    public void An_Entry_Points_Kind_Or_Window_That_Cannot_Be_Read_Should_Be_Refused_With_Its_Line(string line, string message)
    {
        AssertRefused(BuildProjectWith($"[BuildOptions]\nInventoryName=X\n\n[X]\nSource=%ProgramFilesDir%\\X\\X.dll\n{line}\n"), message);
    }

    [TestCase("SandboxName=../victim", "Package.ini:3: SandboxName=../victim")]
    [TestCase("SandboxName=/tmp/victim", "Package.ini:3: SandboxName=/tmp/victim")]
    [TestCase("SandboxName=..", "Package.ini:3: SandboxName=..")]
    public void A_Sandbox_Name_That_Is_A_Path_Should_Be_Refused_With_Its_Line(string line, string message)
    {
        AssertRefused(BuildProjectWith($"[BuildOptions]\nInventoryName=X\n{line}\n"), message);
        Assert.That(File.Exists(_machine.InWork("p.vapp")), Is.False);
    }

    [Test]
    public void A_Folder_Holding_Other_Files_Should_Be_Refused_As_A_Sandbox_And_Never_Cleared()
    {
        var documents = Directory.CreateDirectory(_machine.InWork("Documents")).FullName;
        File.WriteAllText(Path.Combine(documents, "thesis.txt"), "years of work");
        Directory.CreateDirectory(Path.Combine(documents, "files"));
        File.WriteAllText(Path.Combine(documents, "files", "photo.jpg"), "pixels");
        File.WriteAllText(Path.Combine(documents, "registry.reg"), "mine");
        var before = _machine.Hash(documents);

        AssertRefused(_machine.Workbench("app", "run", _package, "--sandbox", documents, "--", "write", "x"), "not a sandbox");
        AssertRefused(_machine.Workbench("sandbox", "reset", _package, "--sandbox", documents), "not a sandbox");
        Assert.That(_machine.Hash(documents), Is.EqualTo(before));
        Assert.That(Directory.GetFileSystemEntries(documents), Has.Length.EqualTo(3), "nothing was added either");
    }

    [Test]
    public void Strict_Should_Refuse_What_Cannot_Be_Redirected_And_Write_Nothing()
    {
        var loose = _machine.Workbench("pack", TestApplications.Of("Hostile"), "-o", _machine.InWork("hostile.vapp"));
        var strict = _machine.Workbench("pack", TestApplications.Of("Hostile"), "-o", _machine.InWork("strict.vapp"), "--strict");

        Assert.That(loose.ExitCode, Is.Zero, loose.ToString());
        Assert.That(loose.Output, Does.Contain("PlatformInvoke: P/Invoke of getpid").And.Contain("UnsafeCode").And.Contain("Reflection")
            .And.Contain("System.Diagnostics.Process::Start").And.Contain("Program.cs:"));
        AssertRefused(strict, "--strict");
        Assert.That(File.Exists(_machine.InWork("strict.vapp")), Is.False);
    }
}
