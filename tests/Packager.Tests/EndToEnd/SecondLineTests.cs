namespace VirtualizationWorkbench.Packager.Tests.EndToEnd;

/// <summary>The second line, for what rewriting cannot reach: native code and child processes of a packaged
/// application find their home, configuration, data, cache and temporary folders, and the current folder, in
/// the sandbox.</summary>
[Category(TestCategories.EndToEnd)]
public sealed class SecondLineTests
{
    private Machine _machine = null!;

    [SetUp]
    public void CreateMachine() => _machine = new Machine();

    [TearDown]
    public void DeleteMachine() => _machine.Dispose();

    [Test]
    public void Native_Code_And_Child_Processes_See_The_Sandbox_As_Home_Temp_And_Current_Folder()
    {
        var package = _machine.InWork("hostile.vapp");
        Assert.That(_machine.Workbench("pack", TestApplications.Of("Hostile"), "-o", package).ExitCode, Is.Zero);

        var run = _machine.Workbench("app", "run", package, "--", "env");

        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        var files = Path.Combine(_machine.Sandbox("Hostile"), "files");
        var home = Path.Combine(files, "%Profile%");
        var lines = run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var child = lines.Single(line => line.StartsWith("child: ", StringComparison.Ordinal))["child: ".Length..].Split('|');
        var native = lines.Single(line => line.StartsWith("native: ", StringComparison.Ordinal))["native: ".Length..].Split('|');
        Assert.That(child[0], Is.EqualTo(home), "HOME");
        Assert.That(child[1].TrimEnd('/'), Does.StartWith(files), "TMPDIR");
        Assert.That(child[2], Is.EqualTo(Path.Combine(files, "%AppData%")), "XDG_CONFIG_HOME");
        Assert.That(child[3], Is.EqualTo(Path.Combine(files, "%Local AppData%")), "XDG_DATA_HOME");
        Assert.That(child[4], Does.StartWith(home), "XDG_CACHE_HOME");
        Assert.That(child[5], Does.StartWith(files), "the current folder");
        Assert.That(native[0], Is.EqualTo(home), "native HOME");
        Assert.That(native[1], Is.EqualTo(child[1]), "native TMPDIR");
        Assert.That(run.Output, Does.Not.Contain(_machine.Home + "|").And.Not.Contain(_machine.Home + "\n"), "the host home leaked");
    }
}
