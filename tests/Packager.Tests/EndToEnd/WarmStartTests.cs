namespace VirtualizationWorkbench.Packager.Tests.EndToEnd;

/// <summary>A package that has run once starts from its checked extraction without being reopened, as long as the
/// package file is unchanged; a package changed in any way since is opened and checked in full again.</summary>
[Category(TestCategories.EndToEnd)]
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
        // The same length, time stamp and central directory, but the manifest's own bytes spoiled: a full open
        // would refuse the package, so only a start that does not reread it runs.
        var written = File.GetLastWriteTimeUtc(_package);
        var bytes = File.ReadAllBytes(_package);
        var name = System.Text.Encoding.ASCII.GetBytes("manifest.json");
        var local = FindLocalHeader(bytes, name);
        var data = local + 30 + BitConverter.ToUInt16(bytes, local + 26) + BitConverter.ToUInt16(bytes, local + 28);
        for (var i = data; i < data + 16; i++)
        {
            bytes[i] ^= 0xFF;
        }
        File.WriteAllBytes(_package, bytes);
        File.SetLastWriteTimeUtc(_package, written);

        var warm = _machine.Workbench("app", "run", _package, "--", "shipped");

        Assert.That(warm.ExitCode, Is.Zero, warm.ToString());
        Assert.That(warm.Output, Is.EqualTo("shipped with the application\n"));
    }

    [Test]
    public void A_Damaged_Extraction_Is_Never_Run_But_Made_Again_From_The_Package()
    {
        var extraction = Directory.GetDirectories(Path.Combine(_machine.WorkbenchData, "extracted")).Single();
        var assembly = Directory.GetFiles(extraction, "FileApp.dll", SearchOption.AllDirectories).Single();
        File.Delete(assembly);

        var damaged = _machine.Workbench("app", "run", _package, "--", "shipped");

        // The extraction's seal no longer holds: the package is opened and checked again and extracted anew.
        Assert.That(damaged.ExitCode, Is.Zero, damaged.ToString());
        Assert.That(damaged.Output, Is.EqualTo("shipped with the application\n"), damaged.ToString());
        Assert.That(File.Exists(assembly), Is.True);
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

    /// <summary>The offset of the local file header of the entry named <paramref name="name"/>.</summary>
    private static int FindLocalHeader(byte[] zip, byte[] name)
    {
        for (var at = 0; at + 30 + name.Length <= zip.Length; at++)
        {
            if (BitConverter.ToUInt32(zip, at) == 0x04034B50 && BitConverter.ToUInt16(zip, at + 26) == name.Length && zip.AsSpan(at + 30, name.Length).SequenceEqual(name))
            {
                return at;
            }
        }
        throw new InvalidOperationException("no such entry");
    }
}
