namespace VirtualizationWorkbench.Packager.Tests.EndToEnd;

/// <summary>A package that has run once starts from its checked extraction without being reopened, as long as the
/// package file is unchanged; a package changed in any way since is opened and checked in full again.</summary>
public sealed class WarmStartTests
{
    private Machine _machine = null!;
    private string _package = "";

    [SetUp]
    public void PackAndRunOnce()
    {
        _machine = new Machine();
        _package = _machine.InWork("app.vapp");
        Assert.That(_machine.Workbench("pack", TestApplications.Of("FileApp"), "--entry", "FileApp.dll", "-o", _package).ExitCode, Is.Zero);
        var first = _machine.Workbench("app", "run", _package, "--", "shipped");
        Assert.That(first.Output, Is.EqualTo("shipped with the application\n"), first.ToString());
    }

    [TearDown]
    public void DeleteMachine() => _machine.Dispose();

    [Test]
    public void An_Unchanged_Package_Starts_From_Its_Extraction_Without_Reading_The_Package()
    {
        // The same length and time stamp, but not a package any more: only a start that does not reread it runs.
        var written = File.GetLastWriteTimeUtc(_package);
        File.WriteAllBytes(_package, new byte[new FileInfo(_package).Length]);
        File.SetLastWriteTimeUtc(_package, written);

        var warm = _machine.Workbench("app", "run", _package, "--", "shipped");

        Assert.That(warm.ExitCode, Is.Zero, warm.ToString());
        Assert.That(warm.Output, Is.EqualTo("shipped with the application\n"));
    }

    [Test]
    public void A_Package_Truncated_In_Place_After_A_Run_Is_Checked_Again_And_Refused()
    {
        var bytes = File.ReadAllBytes(_package);
        File.WriteAllBytes(_package, bytes[..(bytes.Length / 2)]);

        var result = _machine.Workbench("app", "run", _package, "--", "shipped");

        Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString());
        Assert.That(result.Error, Does.StartWith("error: ").And.Contain("truncated or corrupt"));
    }

    [Test]
    public void A_Package_Rebuilt_At_The_Same_Path_Runs_Its_New_Content()
    {
        var pack = _machine.Workbench("pack", TestApplications.Of("TwoEntries"), "--entry", "Writer.dll", "--entry", "Reader.dll", "--name", "TwoEntries", "-o", _package);
        Assert.That(pack.ExitCode, Is.Zero, pack.ToString());

        var result = _machine.Workbench("app", "run", _package, "--entry", "Reader");

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(result.Output, Is.EqualTo("reader sees: <nothing>\n"));
    }
}
