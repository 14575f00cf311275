using System.Text.Json.Nodes;

namespace VirtualizationWorkbench.Packager.Tests.EndToEnd;

/// <summary>The Fidelity application (TestApps/Fidelity), which uses the real <c>Microsoft.Extensions.DependencyModel</c>
/// as plugin scanners do, prints what it sees of its dependency context and runtimeconfig, of missing paths, of
/// relative info objects, of its children's environment, of the home folder and of a log it appends beside itself:
/// packaged (merged isolation, where a log beside the application has no host folder) it must print what it prints
/// unpackaged, on the same machine. One start of each, every probe in it, to keep the test short.</summary>
[Category(TestCategories.EndToEnd)]
[NonParallelizable]
public sealed class FidelityTests
{
    private const string Name = "Fidelity";
    private Machine _machine = null!;
    private string _unpackagedFolder = "";
    private Dictionary<string, string> _packaged = null!;
    private Dictionary<string, string> _unpackaged = null!;

    [OneTimeSetUp]
    public void RunBothWays()
    {
        _machine = new Machine();
        // Unpackaged, the application appends its log to its own folder: a copy, so the shared build stays clean.
        _unpackagedFolder = CopyOfTheApplication("unpackaged");
        var package = _machine.InWork($"{Name}.vapp");
        var pack = _machine.Workbench("pack", TestApplications.Of(Name), "-o", package, "--isolation", "merged", "--name", Name);
        Assert.That(pack.ExitCode, Is.Zero, pack.ToString());

        var packaged = _machine.Workbench("app", "run", package, "--", "all", _machine.Temp);
        Assert.That(packaged.ExitCode, Is.Zero, packaged.ToString());
        var unpackaged = _machine.Unpackaged(Path.Combine(_unpackagedFolder, $"{Name}.dll"), "all", _machine.Temp);
        Assert.That(unpackaged.ExitCode, Is.Zero, unpackaged.ToString());
        _packaged = Sections(packaged.Output);
        _unpackaged = Sections(unpackaged.Output);
    }

    [OneTimeTearDown]
    public void DeleteMachine() => _machine.Dispose();

    [Test]
    public void The_Dependency_Context_And_Runtimeconfig_Properties_Should_Be_The_Applications_Own()
    {
        Assert.That(_packaged["context"], Does.Contain("deps files: Fidelity.deps.json;Microsoft.NETCore.App.deps.json\n")
            .And.Contain("libraries: Fidelity,Microsoft.Extensions.DependencyModel,").And.Contain("setting: from runtimeconfig\n"), _packaged["context"]);
        Assert.That(_packaged["context"], Is.EqualTo(_unpackaged["context"]));
    }

    [Test]
    public void FileSystemInfo_Of_A_Missing_Path_Should_Answer_As_The_Framework_Does()
    {
        Assert.That(_packaged["missing"], Does.Contain("file attributes: -1\nfolder attributes: -1\n"), _packaged["missing"]);
        Assert.That(_packaged["missing"], Is.EqualTo(_unpackaged["missing"]));
    }

    [Test]
    public void Relative_FileInfo_And_DirectoryInfo_Should_Have_The_Virtual_Full_Name()
    {
        Assert.That(_packaged["relative"], Does.Contain($"file: {Path.Combine(_machine.Temp, "notes.txt")}\n"), _packaged["relative"]);
        Assert.That(_packaged["relative"], Is.EqualTo(_unpackaged["relative"]));
    }

    [Test]
    public void A_Variable_The_Application_Sets_Should_Reach_The_Process_It_Starts()
    {
        Assert.That(_packaged["child"], Is.EqualTo("child sees: inherited\n"));
        Assert.That(_packaged["child"], Is.EqualTo(_unpackaged["child"]));
    }

    [Test]
    public void The_Home_Folder_Should_List_Only_Folders_The_Host_Has()
    {
        // The machine's home holds only the workbench's data: no Desktop, Documents, Music or ~/.config.
        Assert.That(_packaged["home"], Is.EqualTo("home: .local\n"));
        Assert.That(_packaged["home"], Is.EqualTo(_unpackaged["home"]));
    }

    [Test]
    public void A_Log_Appended_Beside_The_Application_Under_Merged_Isolation_Should_Be_Kept_In_The_Sandbox()
    {
        Assert.That(_packaged["log"], Is.EqualTo("log: started|again|\n"));
        Assert.That(_packaged["log"], Is.EqualTo(_unpackaged["log"]));
        Assert.That(File.ReadAllText(Path.Combine(_machine.Sandbox(Name), "files", "%ProgramFilesDir%", Name, "fidelity.log")), Is.EqualTo("started\nagain\n"));
    }

    [Test]
    public void An_Application_Asking_For_A_Framework_That_Is_Not_Installed_Should_Fail_As_The_Host_Fails_It()
    {
        // The same application built for .NET 8.0 with the default roll-forward (Minor): the host refuses it on a
        // machine with only a later major version, and with DOTNET_ROLL_FORWARD=LatestMajor runs it.
        var folder = CopyOfTheApplication("net8");
        var config = Path.Combine(folder, $"{Name}.runtimeconfig.json");
        var json = JsonNode.Parse(File.ReadAllText(config))!;
        json["runtimeOptions"]!["framework"]!["version"] = "8.0.0";
        File.WriteAllText(config, json.ToJsonString());
        var package = _machine.InWork($"{Name}8.vapp");
        Assert.That(_machine.Workbench("pack", folder, "-o", package, "--name", $"{Name}8").ExitCode, Is.Zero);
        if (Directory.Exists(Path.Combine(Path.GetDirectoryName(typeof(object).Assembly.Location)!, "..", "8.0.0")))
        {
            Assert.Ignore(".NET 8.0 is installed here: the application would run unpackaged.");
        }

        var packaged = _machine.Workbench("app", "run", package, "--", "context");
        var unpackaged = _machine.Unpackaged(Path.Combine(folder, $"{Name}.dll"), "context");
        _machine.Environment["DOTNET_ROLL_FORWARD"] = "LatestMajor";
        var rolled = _machine.Workbench("app", "run", package, "--", "context");
        var rolledUnpackaged = _machine.Unpackaged(Path.Combine(folder, $"{Name}.dll"), "context");
        _machine.Environment.Remove("DOTNET_ROLL_FORWARD");

        Assert.That(unpackaged.ExitCode, Is.EqualTo(150), unpackaged.ToString());
        Assert.That(packaged.ExitCode, Is.EqualTo(unpackaged.ExitCode), packaged.ToString());
        Assert.That(packaged.Output, Is.Empty);
        string[] Lines(CommandResult result) => result.Error.Split('\n').Where(line => !line.StartsWith("App:", StringComparison.Ordinal) && !line.StartsWith("https://aka.ms/dotnet-core-applaunch", StringComparison.Ordinal)).ToArray();
        Assert.That(Lines(packaged), Is.EqualTo(Lines(unpackaged)), packaged.ToString());
        Assert.That(rolled.ExitCode, Is.Zero, rolled.ToString());
        Assert.That(rolled.Output, Is.EqualTo(rolledUnpackaged.Output));
    }

    private string CopyOfTheApplication(string name)
    {
        var folder = Directory.CreateDirectory(_machine.InWork(name)).FullName;
        foreach (var file in Directory.EnumerateFiles(TestApplications.Of(Name)))
        {
            File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
        }
        return folder;
    }

    private static Dictionary<string, string> Sections(string output)
    {
        var sections = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var section in output.Split("== ", StringSplitOptions.RemoveEmptyEntries))
        {
            var newline = section.IndexOf('\n', StringComparison.Ordinal);
            sections[section[..newline]] = section[(newline + 1)..];
        }
        return sections;
    }
}
