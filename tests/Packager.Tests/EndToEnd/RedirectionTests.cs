using System.IO.Compression;

namespace VirtualizationWorkbench.Packager.Tests.EndToEnd;

/// <summary>The application that reaches redirected members in the less plain ways: through delegates and method
/// groups, from a netstandard library, through framework APIs that take a path, and the one that must not be
/// redirected at all, its own type named <c>System.IO.File</c>.</summary>
[Category(TestCategories.EndToEnd)]
public sealed class RedirectionTests
{
    private const string Name = "Redirections";
    private Machine _machine = null!;

    [SetUp]
    public void CreateMachine() => _machine = new Machine();

    [TearDown]
    public void DeleteMachine() => _machine.Dispose();

    private string Sandboxed(params string[] path) => Path.Combine([_machine.Sandbox(Name), "files", .. path]);

    private (string Package, CommandResult Result) Pack()
    {
        var package = _machine.InWork($"{Name}.vapp");
        var result = _machine.Workbench("pack", TestApplications.Of(Name), "--entry", "Redirections.dll", "-o", package, "--isolation", "writecopy", "--name", Name);
        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        return (package, result);
    }

    private CommandResult Run(string package, params string[] arguments)
    {
        var result = _machine.Workbench(["app", "run", package, "--", .. arguments]);
        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        return result;
    }

    [Test]
    public void Packing_Should_Rewrite_The_Application_And_Both_Libraries_With_No_Findings()
    {
        // Every call in the three assemblies is either redirected or harmless: the application's own System.IO.File
        // is not the framework's, and XML, zip and temporary-file APIs taking a path all have rows in the table.
        var (_, result) = Pack();

        Assert.That(result.Output, Does.Contain("3 assembly(ies) rewritten").And.Contain(" 0 finding(s)."), result.ToString());
        Assert.That(result.Error, Is.Empty, result.ToString());
    }

    [Test]
    public void Delegates_And_Method_Groups_Over_Redirected_Members_Should_Act_In_The_Sandbox()
    {
        var victim = Path.Combine(_machine.Home, "victim.txt");
        File.WriteAllText(victim, "keep me");
        var (package, _) = Pack();
        var home = _machine.Hash(_machine.Home);

        var run = Run(package, "delegates", victim);

        Assert.That(run.Output, Is.EqualTo("read: written through a delegate\ncreated: True\ndeleted: True\n"
            + "both: written through a delegate|created through a method group\n"), run.ToString());
        Assert.That(_machine.Hash(_machine.Home), Is.EqualTo(home), "a delegate reached the host");
        Assert.That(File.ReadAllText(victim), Is.EqualTo("keep me"));
        // Static members through ldftn (File.WriteAllText), an instance member through ldftn (FileInfo.CreateText)
        // and a virtual one through ldvirtftn (FileInfo.Delete).
        Assert.That(File.ReadAllText(Sandboxed("%Profile%", "delegate-note.txt")), Is.EqualTo("written through a delegate"));
        Assert.That(File.ReadAllText(Sandboxed("%Profile%", "delegate-created.txt")), Is.EqualTo("created through a method group"));
        Assert.That(_machine.Workbench("sandbox", "list", package).Output, Does.Contain("deleted").And.Contain("%Profile%/victim.txt"));
    }

    [Test]
    public void A_NetStandard_Library_Should_Have_Its_File_Directory_And_Environment_Calls_Redirected()
    {
        var victim = Path.Combine(_machine.Home, "library-victim.txt");
        File.WriteAllText(victim, "keep me");
        var extra = Path.Combine(_machine.Home, "library", "extra.txt");
        var (package, _) = Pack();
        var home = _machine.Hash(_machine.Home);

        var write = Run(package, "library-write", "hello", extra, victim);
        var read = Run(package, "library-read", extra, victim);

        Assert.That(write.Output, Is.EqualTo("deleted\n"), write.ToString());
        // The folder is the host's application data as the application sees it, not where the sandbox keeps it.
        Assert.That(read.Output, Is.EqualTo($"folder: {Path.Combine(_machine.AppData, "RedirectionsLibrary")}\nfiles: notes.txt\nnotes: hello!\nextra: hello\nvictim: gone\n"), read.ToString());
        Assert.That(_machine.Hash(_machine.Home), Is.EqualTo(home), "the netstandard library reached the host");
        Assert.That(File.ReadAllText(victim), Is.EqualTo("keep me"));
        Assert.That(File.ReadAllText(Sandboxed("%AppData%", "RedirectionsLibrary", "notes.txt")), Is.EqualTo("hello!"));
        Assert.That(File.ReadAllText(Sandboxed("%Profile%", "library", "extra.txt")), Is.EqualTo("hello"));
    }

    [Test]
    public void XDocument_And_XmlDocument_Should_Save_And_Load_By_Path_In_The_Sandbox()
    {
        var (package, _) = Pack();
        var home = _machine.Hash(_machine.Home);

        var run = Run(package, "xml", "dark", "12");

        Assert.That(run.Output, Is.EqualTo("theme: dark\nsize: 12\n"), run.ToString());
        Assert.That(_machine.Hash(_machine.Home), Is.EqualTo(home), "an XML document was saved on the host");
        Assert.That(File.ReadAllText(Sandboxed("%Profile%", "xml", "linq.xml")), Does.Contain("<settings theme=\"dark\" />"));
        Assert.That(File.ReadAllText(Sandboxed("%Profile%", "xml", "dom.xml")), Does.Contain("<size>12</size>"));
    }

    [Test]
    public void ZipFile_Should_Archive_And_Extract_Folders_In_The_Sandbox()
    {
        var (package, _) = Pack();
        var home = _machine.Hash(_machine.Home);

        // The source folder exists only in the sandbox: an archive made from the host's view would fail or be empty.
        var run = Run(package, "zip", "zipped");

        Assert.That(run.Output, Is.EqualTo("top: zipped\ndeep: zipped deep\n"), run.ToString());
        Assert.That(_machine.Hash(_machine.Home), Is.EqualTo(home), "a zip archive or its extraction reached the host");
        using (var archive = ZipFile.OpenRead(Sandboxed("%Profile%", "archive.zip")))
        {
            Assert.That(archive.Entries.Select(entry => entry.FullName).Order(StringComparer.Ordinal), Is.EqualTo(new[] { "inner/deep.txt", "top.txt" }));
        }
        Assert.That(File.ReadAllText(Sandboxed("%Profile%", "zip-target", "inner", "deep.txt")), Is.EqualTo("zipped deep"));
    }

    [Test]
    public void The_Temporary_Folder_And_Files_Should_Be_The_Hosts_As_The_Application_Sees_Them_And_Kept_In_The_Sandbox()
    {
        var (package, _) = Pack();
        var home = _machine.Hash(_machine.Home);
        var temp = _machine.Hash(_machine.Temp);

        var run = Run(package, "temp", "scratch");

        var lines = run.Output.Split('\n');
        Assert.That(lines, Has.Length.EqualTo(5), run.ToString());
        Assert.That(lines[0], Is.EqualTo($"temp: {_machine.Temp}/"), run.ToString());
        Assert.That(lines[1], Does.Match($"^file: {System.Text.RegularExpressions.Regex.Escape(_machine.Temp)}/tmp[0-9A-Za-z]+\\.tmp$"), run.ToString());
        Assert.That(lines[2..], Is.EqualTo(new[] { "in temp: True", "content: scratch", "" }), run.ToString());
        Assert.That(_machine.Hash(_machine.Temp), Is.EqualTo(temp), "a temporary file was made on the host");
        Assert.That(_machine.Hash(_machine.Home), Is.EqualTo(home), "the home folder changed");
        Assert.That(File.ReadAllText(Sandboxed("%Temp%", Path.GetFileName(lines[1]))), Is.EqualTo("scratch"));
    }

    [Test]
    public void The_Applications_Own_System_IO_File_Should_Not_Be_Redirected()
    {
        var path = Path.Combine(_machine.Home, "own.txt");
        var (package, _) = Pack();
        var home = _machine.Hash(_machine.Home);

        var unpackaged = _machine.Unpackaged(Path.Combine(TestApplications.Of(Name), "Redirections.dll"), "own", path);
        var packaged = Run(package, "own", path);

        // The application's own WriteAllText keeps the text in memory and its ReadAllText says so; the framework's
        // File.Exists, which is redirected, finds nothing anywhere.
        Assert.That(packaged.Output, Is.EqualTo("own File.ReadAllText: kept in memory\nown exists: True\nframework exists: False\n"), packaged.ToString());
        Assert.That(packaged.Output, Is.EqualTo(unpackaged.Output), unpackaged.ToString());
        Assert.That(_machine.Hash(_machine.Home), Is.EqualTo(home), "the home folder changed");
        Assert.That(File.Exists(Sandboxed("%Profile%", "own.txt")), Is.False, "the application's own File.WriteAllText was redirected");
    }
}
