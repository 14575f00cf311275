using System.Xml.Linq;

namespace VirtualizationWorkbench.Packager.Tests.EndToEnd;

/// <summary>Issue 21's acceptance on real .NET tools nobody here wrote, installed from the package feed with
/// <c>dotnet tool install</c>: each is packed from its tool folder and run packaged in write-copy, then run
/// directly on the same input at the same path. The packaged run leaves the host untouched, and what it wrote
/// (exported from its sandbox with <c>sandbox export</c>) is byte for byte what the direct run writes.
/// PowerShell, the sixth tool, has its own tests with the kernel boundary's.</summary>
[Category(TestCategories.EndToEnd)]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
// Runs beside the other long end-to-end fixtures: each test has its own machine (home, work and temporary folders).
[Parallelizable(ParallelScope.Self)]
public sealed class RealToolTests
{
    // Pinned: the versions the feed serves that run on .NET 10 (ilspycmd 11's default package is a NativeAOT
    // build that needs glibc 2.38, newer than Debian 12's, so the framework-dependent 9.1 is the one that runs).
    private static readonly Dictionary<string, string> Versions = new(StringComparer.Ordinal)
    {
        ["csharpier"] = "1.4.0",
        ["fantomas"] = "8.1.1",
        ["dotnet-reportgenerator-globaltool"] = "5.6.0",
        ["ilspycmd"] = "9.1.0.7988",
        ["microsoft.sbom.dotnettool"] = "4.1.13",
    };

    private static string? _tools;
    private static string? _installFailure;

    private Machine _machine = null!;

    [OneTimeSetUp]
    public void InstallTools()
    {
        var folder = Directory.CreateTempSubdirectory("vwb-tools-").FullName;
        foreach (var (id, version) in Versions)
        {
            var (exitCode, output) = TestApplications.Dotnet("tool", "install", id, "--version", version, "--tool-path", folder);
            if (exitCode != 0)
            {
                _installFailure = $"`dotnet tool install {id} --version {version}` failed (offline, or the feed lacks it):\n{output}";
                return;
            }
        }
        _tools = folder;
    }

    [OneTimeTearDown]
    public void DeleteTools()
    {
        if (_tools is not null)
        {
            Directory.Delete(_tools, recursive: true);
        }
    }

    [SetUp]
    public void CreateMachine()
    {
        if (_installFailure is not null)
        {
            if (Environment.GetEnvironmentVariable("CI") is not null)
            {
                Assert.Fail(_installFailure);
            }
            Assert.Ignore(_installFailure);
        }
        _machine = new Machine();
        // Some of these tools are built for .NET 8 without a roll-forward policy; this machine has .NET 10 only, on
        // which they run, packaged or not, when the user allows it so.
        _machine.Environment["DOTNET_ROLL_FORWARD"] = "Major";
    }

    [TearDown]
    public void DeleteMachine() => _machine?.Dispose();

    [Test]
    public void CSharpier_Formats_In_Its_Sandbox_As_It_Formats_Directly()
    {
        var project = Project(("Program.cs", "class   A{void M( ){var x=1;}}\n"), ("Other.cs", "namespace N{ record R(int X ) ;}\n"));
        AssertSameAsDirect("csharpier", ["format", project], project);
    }

    [Test]
    public void Fantomas_Formats_In_Its_Sandbox_As_It_Formats_Directly()
    {
        var project = Project(("Library.fs", "module M\nlet  f x=\n  x+1\n"));
        AssertSameAsDirect("fantomas", [project], project);
    }

    [Test]
    public void ReportGenerator_Writes_The_Same_Report()
    {
        var project = Project(("coverage.cobertura.xml", """
            <?xml version="1.0" encoding="utf-8"?>
            <coverage line-rate="0.5" branch-rate="1" lines-covered="1" lines-valid="2" branches-covered="0" branches-valid="0" complexity="1" version="1.9" timestamp="1700000000">
              <sources><source>/src</source></sources>
              <packages>
                <package name="App" line-rate="0.5" branch-rate="1" complexity="1">
                  <classes>
                    <class name="App.Greeter" filename="Greeter.cs" line-rate="0.5" branch-rate="1" complexity="1">
                      <methods />
                      <lines><line number="3" hits="1" branch="false" /><line number="4" hits="0" branch="false" /></lines>
                    </class>
                  </classes>
                </package>
              </packages>
            </coverage>
            """));
        var report = Path.Combine(project, "report");
        // The one difference allowed: the report's own generation time, to the second, in both formats.
        AssertSameAsDirect("dotnet-reportgenerator-globaltool",
            [$"-reports:{Path.Combine(project, "coverage.cobertura.xml")}", $"-targetdir:{report}", "-reporttypes:TextSummary;Xml"], report,
            text => System.Text.RegularExpressions.Regex.Replace(text, @"(<Generatedon>|Generated on: )[^<\n]*", "$1(time)"));
    }

    [Test]
    public void Ilspycmd_Decompiles_To_The_Same_Text()
    {
        var project = Project();
        File.Copy(Path.Combine(TestApplications.Of("FileApp"), "FileApp.dll"), Path.Combine(project, "FileApp.dll"));
        var output = Path.Combine(project, "decompiled");
        Directory.CreateDirectory(output);
        AssertSameAsDirect("ilspycmd", [Path.Combine(project, "FileApp.dll"), "-p", "-o", output], output);
    }

    [Test]
    public void Sbom_Tool_Writes_Its_Sbom_Listing_The_Same_Files()
    {
        // sbom-tool finds its generators through the application's own dependency context: before issue 21's fix
        // it found none packaged, wrote nothing and exited 0.
        var project = Project(("drop/app.txt", "the application\n"), ("drop/lib/data.bin", "data\n"));
        var drop = Path.Combine(project, "drop");
        var (packaged, direct) = RunBoth("microsoft.sbom.dotnettool",
            ["generate", "-b", drop, "-bc", project, "-pn", "Drop", "-pv", "1.0.0", "-ps", "Workbench", "-nsb", "https://example.com/sbom", "-D", "true"],
            Path.Combine(drop, "_manifest"));

        // Its identifiers and timestamps differ from run to run; the files it lists, with their hashes, do not.
        Assert.That(FilesListed(packaged), Is.EqualTo(FilesListed(direct)).And.Not.Empty);
    }

    /// <summary>Runs the tool packaged, then directly, on the same input, and requires the same exit code and the
    /// same files written under <paramref name="written"/> (the packaged run's taken from its sandbox).</summary>
    private void AssertSameAsDirect(string tool, string[] arguments, string written, Func<string, string>? normalise = null)
    {
        var (packaged, direct) = RunBoth(tool, arguments, written);
        Assert.That(packaged.Keys, Is.EquivalentTo(direct.Keys), "the same files written");
        foreach (var (name, content) in direct)
        {
            if (normalise is null)
            {
                Assert.That(packaged[name], Is.EqualTo(content), $"{name} differs");
            }
            else
            {
                Assert.That(normalise(System.Text.Encoding.UTF8.GetString(packaged[name])), Is.EqualTo(normalise(System.Text.Encoding.UTF8.GetString(content))), $"{name} differs");
            }
        }
    }

    /// <summary>The files the tool wrote under <paramref name="written"/> (relative name → bytes), packaged and
    /// directly.</summary>
    private (Dictionary<string, byte[]> Packaged, Dictionary<string, byte[]> Direct) RunBoth(string tool, string[] arguments, string written)
    {
        var (folder, assembly) = ToolFolder(tool);
        var package = _machine.InWork($"{tool}.vapp");
        var pack = _machine.Workbench("pack", folder, "--entry", assembly, "-o", package, "--name", "tool");
        Assert.That(pack.ExitCode, Is.Zero, pack.ToString());
        var before = _machine.Hash(_machine.Home);
        var inputs = Snapshot(written);

        var run = _machine.Workbench(["app", "run", package, "--", .. arguments]);

        Assert.That(run.Error, Does.Not.Contain("advisory"), run.ToString());
        Assert.That(_machine.Hash(_machine.Home), Is.EqualTo(before), $"the packaged {tool} changed the host:\n{run}");
        var exported = Path.Combine(_machine.Root, "exported");
        var export = _machine.Workbench("sandbox", "export", package, written, "--to", exported);
        Assert.That(export.ExitCode, Is.Zero, $"{export}\nthe run:\n{run}");
        var packaged = inputs;
        foreach (var (name, content) in Snapshot(Path.Combine(exported, Path.GetFileName(written))))
        {
            packaged[name] = content;
        }

        var direct = _machine.Unpackaged(Path.Combine(folder, assembly), arguments);

        Assert.That(run.ExitCode, Is.EqualTo(direct.ExitCode), $"packaged:\n{run}\ndirect:\n{direct}");
        Assert.That(direct.ExitCode, Is.Zero, direct.ToString());
        return (packaged, Snapshot(written));
    }

    /// <summary>A project folder in the home folder (where users keep theirs, and where the rules isolate).</summary>
    private string Project(params (string Name, string Text)[] files)
    {
        var project = Directory.CreateDirectory(Path.Combine(_machine.Home, "project")).FullName;
        foreach (var (name, text) in files)
        {
            var path = Path.Combine(project, name);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, text);
        }
        return project;
    }

    private static Dictionary<string, byte[]> Snapshot(string folder) =>
        !Directory.Exists(folder) ? []
            : Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
                .ToDictionary(path => Path.GetRelativePath(folder, path), File.ReadAllBytes);

    private static string[] FilesListed(Dictionary<string, byte[]> written)
    {
        var manifest = written.Single(pair => pair.Key.EndsWith("manifest.spdx.json", StringComparison.Ordinal)).Value;
        using var document = System.Text.Json.JsonDocument.Parse(manifest);
        return [.. document.RootElement.GetProperty("files").EnumerateArray()
            .Select(file => file.GetProperty("fileName").GetString() + " " + string.Join(",", file.GetProperty("checksums").EnumerateArray().Select(sum => sum.GetProperty("checksumValue").GetString())))
            .Order(StringComparer.Ordinal)];
    }

    /// <summary>The installed tool's folder for the newest framework this runtime runs, and its entry assembly
    /// as its DotnetToolSettings.xml names it.</summary>
    private static (string Folder, string Assembly) ToolFolder(string id)
    {
        var tools = Path.Combine(_tools!, ".store", id, Versions[id], id, Versions[id], "tools");
        var folder = Directory.GetDirectories(tools)
            .Where(framework => Version.TryParse(Path.GetFileName(framework)["net".Length..], out var version) && version.Major <= Environment.Version.Major)
            .OrderByDescending(framework => Version.Parse(Path.GetFileName(framework)["net".Length..]))
            .Select(framework => Path.Combine(framework, "any"))
            .First();
        var settings = XDocument.Load(Path.Combine(folder, "DotnetToolSettings.xml"));
        var command = settings.Descendants("Command").First();
        return (folder, command.Attribute("EntryPoint")!.Value);
    }
}
