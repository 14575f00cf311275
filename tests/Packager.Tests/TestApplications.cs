using System.Diagnostics;
using System.Reflection;

namespace VirtualizationWorkbench.Packager.Tests;

/// <summary>Builds the test applications (TestApps/) once per test run, into a temporary folder, and says where
/// each one's output is and where the workbench command is.</summary>
[SetUpFixture]
public sealed class TestApplications
{
    private static string? _folder;

    /// <summary>The folder holding one output folder per application.</summary>
    public static string Folder => _folder ?? throw new InvalidOperationException("The test applications were not built.");

    /// <summary>The built workbench command.</summary>
    public static string WorkbenchDll => Metadata("WorkbenchDll");

    /// <summary>PowerShell's own folder (pwsh.dll and its libraries), from the PowerShell package restore downloads.</summary>
    public static string PowerShellFolder => Metadata("PowerShellFolder");

    /// <summary>The developer benchmark harness (<c>bench/</c>).</summary>
    public static string BenchDll => Metadata("BenchDll");

    /// <summary>The source folder of one application (TestApps/NAME).</summary>
    public static string SourceOf(string application) => Path.Combine(Path.GetDirectoryName(Metadata("TestAppsSolution"))!, application);

    /// <summary>The output folder of one application (FileApp, RegistryApp, MultiApp, TwoEntries, Hostile).</summary>
    public static string Of(string application) => Path.Combine(Folder, application);

    [OneTimeSetUp]
    public void Build()
    {
        var folder = Directory.CreateTempSubdirectory("vwb-testapps-").FullName;
        var (exitCode, output) = Dotnet("build", Metadata("TestAppsSolution"), "-nologo", "-v", "q", "-nodeReuse:false", $"-p:TestAppsOutput={folder}");
        Assert.That(exitCode, Is.Zero, $"building the test applications failed:\n{output}");
        Assert.That(File.Exists(WorkbenchDll), Is.True, $"the workbench command is not built at {WorkbenchDll}");
        _folder = folder;
    }

    /// <summary>Runs the .NET CLI (a build, a publish, a tool install) to its end, with no build server left
    /// behind, and returns its exit code and everything it printed.</summary>
    public static (int ExitCode, string Output) Dotnet(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet", arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        start.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return (process.ExitCode, $"{output.Result}\n{errors.Result}");
    }

    [OneTimeTearDown]
    public void Delete()
    {
        if (_folder is not null)
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    private static string Metadata(string key) =>
        typeof(TestApplications).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(attribute => attribute.Key == key).Value!;
}
