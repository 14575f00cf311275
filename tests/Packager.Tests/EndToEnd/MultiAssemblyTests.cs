namespace VirtualizationWorkbench.Packager.Tests.EndToEnd;

/// <summary>The application of several assemblies with a NuGet dependency, and the one with two entry points.</summary>
[Category(TestCategories.EndToEnd)]
public sealed class MultiAssemblyTests
{
    private Machine _machine = null!;

    [SetUp]
    public void CreateMachine() => _machine = new Machine();

    [TearDown]
    public void DeleteMachine() => _machine.Dispose();

    [Test]
    public void A_Library_Doing_Its_Own_File_IO_Should_Be_Redirected_Too()
    {
        var package = _machine.InWork("MultiApp.vapp");
        var pack = _machine.Workbench("pack", TestApplications.Of("MultiApp"), "-o", package);
        var appData = _machine.Hash(_machine.Home);

        var first = _machine.Workbench("app", "run", package, "--", "first", "note");
        var second = _machine.Workbench("app", "run", package, "--", "second");

        Assert.That(pack.ExitCode, Is.Zero, pack.ToString());
        Assert.That(pack.Output, Does.Contain("3 assembly(ies) rewritten"));
        Assert.That(first.Output, Is.EqualTo("notes: first note\njson: {\"count\":1}\n"), first.ToString());
        Assert.That(second.Output, Is.EqualTo("notes: first note | second\njson: {\"count\":2}\n"), second.ToString());
        Assert.That(_machine.Hash(_machine.Home), Is.EqualTo(appData));
        Assert.That(File.Exists(Path.Combine(_machine.Sandbox("MultiApp"), "files", "%AppData%", "MultiApp", "notes.json")), Is.True);
    }

    [Test]
    public void Two_Entry_Points_Should_Share_One_Package_And_One_Sandbox()
    {
        var package = _machine.InWork("TwoEntries.vapp");
        var pack = _machine.Workbench("pack", TestApplications.Of("TwoEntries"), "--entry", "Writer.dll", "--entry", "Reader.dll", "--name", "TwoEntries", "-o", package);

        var home = _machine.Hash(_machine.Home);
        var application = _machine.Hash(TestApplications.Of("TwoEntries"));

        var before = _machine.Workbench("app", "run", package, "--entry", "Reader");
        var write = _machine.Workbench("app", "run", package, "--entry", "writer", "--", "shared", "words");
        var after = _machine.Workbench("app", "run", package, "--entry", "Reader");
        var inspect = _machine.Workbench("app", "inspect", package);

        Assert.That(_machine.Hash(_machine.Home), Is.EqualTo(home), "the home folder changed");
        Assert.That(_machine.Hash(TestApplications.Of("TwoEntries")), Is.EqualTo(application), "the application folder changed");
        Assert.That(pack.ExitCode, Is.Zero, pack.ToString());
        Assert.That(before.Output, Is.EqualTo("reader sees: <nothing>\n"), before.ToString());
        Assert.That(write.Output, Is.EqualTo("writer done\n"), write.ToString());
        Assert.That(after.Output, Is.EqualTo("reader sees: shared words\n"), after.ToString());
        Assert.That(inspect.Output, Does.Contain("Writer -> %ProgramFilesDir%/TwoEntries/Writer.dll").And.Contain("Reader -> %ProgramFilesDir%/TwoEntries/Reader.dll"));
    }
}
