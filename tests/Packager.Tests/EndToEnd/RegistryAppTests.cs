using System.Text;
using VirtualizationWorkbench.Sandbox.Registry;

namespace VirtualizationWorkbench.Packager.Tests.EndToEnd;

/// <summary>The application that keeps its settings in Microsoft.Win32.Registry.</summary>
[Category(TestCategories.EndToEnd)]
public sealed class RegistryAppTests
{
    private Machine _machine = null!;
    private string _package = "";

    [SetUp]
    public void Pack()
    {
        _machine = new Machine();
        var vendor = _machine.InWork("vendor.reg");
        File.WriteAllBytes(vendor, [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes(
            "Windows Registry Editor Version 5.00\r\n\r\n[HKEY_LOCAL_MACHINE\\Software\\Vendor\\Product]\r\n\"Edition\"=\"Pro\"\r\n")]);
        _package = _machine.InWork("RegistryApp.vapp");
        var pack = _machine.Workbench("pack", TestApplications.Of("RegistryApp"), "-o", _package, "--registry", vendor);
        Assert.That(pack.ExitCode, Is.Zero, pack.ToString());
    }

    [TearDown]
    public void DeleteMachine() => _machine.Dispose();

    [Test]
    public void Should_Fail_Unpackaged_On_Linux_And_Work_Packaged()
    {
        Assume.That(OperatingSystem.IsWindows(), Is.False, "Windows has a real registry");
        var plain = new System.Diagnostics.ProcessStartInfo("dotnet", [Path.Combine(TestApplications.Of("RegistryApp"), "RegistryApp.dll"), "set", "Color", "blue"])
        { RedirectStandardError = true, RedirectStandardOutput = true };
        using var unpackaged = System.Diagnostics.Process.Start(plain)!;
        unpackaged.StandardError.ReadToEnd();
        unpackaged.WaitForExit();

        var home = _machine.Hash(_machine.Home);
        var application = _machine.Hash(TestApplications.Of("RegistryApp"));

        var set = _machine.Workbench("app", "run", _package, "--", "set", "Color", "blue");
        var again = _machine.Workbench("app", "run", _package, "--", "set", "Size", "5");
        var dump = _machine.Workbench("app", "run", _package, "--", "dump");

        Assert.That(_machine.Hash(_machine.Home), Is.EqualTo(home), "the home folder changed");
        Assert.That(_machine.Hash(TestApplications.Of("RegistryApp")), Is.EqualTo(application), "the application folder changed");
        Assert.That(unpackaged.ExitCode, Is.Not.Zero);
        Assert.That(set.ExitCode, Is.Zero, set.ToString());
        Assert.That(again.ExitCode, Is.Zero, again.ToString());
        Assert.That(dump.Output, Is.EqualTo(
            "Big=1099511627776 (QWord)\nBlob=010203 (Binary)\nColor=blue (String)\nList=one,two (MultiString)\nPath=%HOME%\\data (ExpandString)\nRuns=2 (DWord)\nSize=5 (String)\n"),
            dump.ToString());
    }

    [Test]
    public void Should_See_The_Packaged_Registry_And_Export_Everything_As_A_Reg_File_That_Reads_Back()
    {
        _machine.Workbench("app", "run", _package, "--", "set", "Color", "blue");
        var exported = _machine.InWork("exported.reg");

        var vendor = _machine.Workbench("app", "run", _package, "--", "vendor");
        var export = _machine.Workbench("registry", "export", _package, "-o", exported);

        Assert.That(vendor.Output.Trim(), Is.EqualTo("Pro"));
        Assert.That(export.ExitCode, Is.Zero, export.ToString());
        var document = RegFileParser.ParseFile(exported);
        var values = document.Keys.SelectMany(key => key.Values.Select(value => (key.Path, value.Name, value.Value))).ToList();
        Assert.That(values, Does.Contain((@"HKEY_LOCAL_MACHINE\Software\Vendor\Product", "Edition", (RegistryValue?)RegistryValue.String("Pro"))));
        Assert.That(values, Does.Contain((@"HKEY_CURRENT_USER\Software\VwbTests\RegistryApp", "Color", (RegistryValue?)RegistryValue.String("blue"))));

        // And back in: a package built with the exported file starts where this one's sandbox left off.
        var rebuilt = _machine.InWork("rebuilt.vapp");
        var pack = _machine.Workbench("pack", TestApplications.Of("RegistryApp"), "-o", rebuilt, "--name", "Rebuilt", "--registry", exported);
        var dump = _machine.Workbench("app", "run", rebuilt, "--", "dump");
        var rebuiltVendor = _machine.Workbench("app", "run", rebuilt, "--", "vendor");
        Assert.That(pack.ExitCode, Is.Zero, pack.ToString());
        Assert.That(dump.Output, Does.Contain("Color=blue (String)\n"), dump.ToString());
        Assert.That(rebuiltVendor.Output.Trim(), Is.EqualTo("Pro"));
    }

    [Test]
    public void Four_Instances_At_Once()
    {
        // Four instances of one package share its sandbox, each writing its own values one by one while the others
        // do: every write waits its turn for the sandbox lock, appends to the journal and reads the others' records.
        _machine.Workbench("app", "run", _package, "--", "set", "Warm", "up");
        var instances = Enumerable.Range(0, 4).Select(i => _machine.Start("app", "run", _package, "--", "many", $"i{i}", "150")).ToList();
        var outputs = instances.Select(instance => (Output: instance.StandardOutput.ReadToEndAsync(), Error: instance.StandardError.ReadToEndAsync())).ToList();
        foreach (var instance in instances)
        {
            instance.WaitForExit();
        }

        var count = _machine.Workbench("app", "run", _package, "--", "count");
        var show = _machine.Workbench("sandbox", "show", _package);

        Assert.Multiple(() =>
        {
            for (var i = 0; i < 4; i++)
            {
                Assert.That(instances[i].ExitCode, Is.Zero, $"instance {i}: {outputs[i].Output.Result}{outputs[i].Error.Result}");
            }
            Assert.That(count.Output.Trim(), Is.EqualTo("600"), count.ToString());
            Assert.That(show.Output, Does.Contain("\"i3-149\"=dword:00000095").And.Contain("\"Warm\"=\"up\""), show.ToString());
            Assert.That(File.Exists(Path.Combine(_machine.Sandbox("RegistryApp"), RegistryJournal.FileName)), Is.True);
        });
    }
}
