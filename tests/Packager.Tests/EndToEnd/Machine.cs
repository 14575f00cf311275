using System.Diagnostics;
using System.Security.Cryptography;

namespace VirtualizationWorkbench.Packager.Tests.EndToEnd;

/// <summary>What one run of a command printed and returned.</summary>
public sealed record CommandResult(int ExitCode, string Output, string Error)
{
    public override string ToString() => $"exit {ExitCode}\nstdout:\n{Output}\nstderr:\n{Error}";
}

/// <summary>A user's machine for one test: its own home, temporary and working folders, in which the real
/// <c>workbench</c> command runs as a separate process, as a user would type it.</summary>
public sealed class Machine : IDisposable
{
    public Machine()
    {
        Root = Directory.CreateTempSubdirectory("vwb-e2e-").FullName;
        Home = Directory.CreateDirectory(Path.Combine(Root, "home")).FullName;
        Temp = Directory.CreateDirectory(Path.Combine(Root, "tmp")).FullName;
        Work = Directory.CreateDirectory(Path.Combine(Root, "work")).FullName;
    }

    public string Root { get; }

    /// <summary>Variables set for every command this machine runs (the user's locale, say).</summary>
    public Dictionary<string, string> Environment { get; } = [];

    public string Home { get; }

    public string Temp { get; }

    public string Work { get; }

    /// <summary>The application-data folder .NET reports for this home on Linux.</summary>
    public string AppData => Path.Combine(Home, ".config");

    /// <summary>The workbench's own data (sandboxes, extracted packages), which is not the host's.</summary>
    public string WorkbenchData => Path.Combine(Home, ".local", "share", "VirtualizationWorkbench");

    public string Sandbox(string name) => Path.Combine(WorkbenchData, "Sandboxes", name);

    public string InWork(string name) => Path.Combine(Work, name);

    public CommandResult Workbench(params string[] arguments) => Run(null, [TestApplications.WorkbenchDll, .. arguments]);

    /// <summary>Runs the developer benchmark harness, <c>workbench-bench ARGS</c>.</summary>
    public CommandResult Bench(params string[] arguments) => Run(null, [TestApplications.BenchDll, .. arguments]);

    public CommandResult WorkbenchWithInput(string input, params string[] arguments) => Run(input, [TestApplications.WorkbenchDll, .. arguments]);

    /// <summary>Runs an application unpackaged, as <c>dotnet App.dll ARGS</c> on this machine.</summary>
    public CommandResult Unpackaged(string assembly, params string[] arguments) => Run(null, [assembly, .. arguments]);

    public Process Start(params string[] arguments)
    {
        var start = StartInfo([TestApplications.WorkbenchDll, .. arguments]);
        return Process.Start(start)!;
    }

    /// <summary>A listing of everything under <paramref name="folder"/>: every folder (an empty one a run made
    /// counts too) and every file with a hash of its content, leaving out the workbench's own data folder.</summary>
    public string Hash(string folder)
    {
        var lines = Directory.EnumerateFileSystemEntries(folder, "*", SearchOption.AllDirectories)
            .Where(path => !path.StartsWith(WorkbenchData, StringComparison.Ordinal) && !WorkbenchData.StartsWith(path + "/", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(path => Path.GetRelativePath(folder, path) + (Directory.Exists(path) ? "/" : ":" + Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)))));
        return string.Join("\n", lines);
    }

    public void Dispose() => Directory.Delete(Root, recursive: true);

    /// <summary>Runs a program file itself (a runnable package, an installed command) on this machine.</summary>
    public CommandResult Program(string path, params string[] arguments) => Run(null, arguments, path);

    private CommandResult Run(string? input, string[] dotnetArguments, string program = "dotnet")
    {
        using var process = Process.Start(StartInfo(dotnetArguments, program))!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (input is not null)
        {
            process.StandardInput.Write(input);
        }
        process.StandardInput.Close();
        // A hang catcher, not a speed test: generous, as a busy machine (other builds on both cores) is slow.
        if (!process.WaitForExit(TimeSpan.FromMinutes(10)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{program} {string.Join(' ', dotnetArguments)} did not finish in ten minutes");
        }
        return new CommandResult(process.ExitCode, output.Result, error.Result);
    }

    private ProcessStartInfo StartInfo(string[] dotnetArguments, string program = "dotnet")
    {
        var start = new ProcessStartInfo(program, dotnetArguments)
        {
            WorkingDirectory = Work,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["HOME"] = Home;
        start.Environment["TMPDIR"] = Temp + "/";
        foreach (var (name, value) in Environment)
        {
            start.Environment[name] = value;
        }
        foreach (var variable in new[] { "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME" })
        {
            start.Environment.Remove(variable);
        }
        return start;
    }
}
