using System.Diagnostics;

namespace VirtualizationWorkbench.Workbench.Tests;

/// <summary>What a run of the real <c>workbench</c> command printed and returned.</summary>
internal sealed record CommandResult(int ExitCode, string Output, string Errors)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Output}\n--- stderr\n{Errors}";
}

/// <summary>Runs the real <c>workbench</c> command (the build beside the tests) as a user would.</summary>
internal static class WorkbenchProcess
{
    public static string RepositoryRoot
    {
        get
        {
            var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Workbench.sln"))) dir = dir.Parent;
            return dir?.FullName ?? throw new InvalidOperationException("cannot find the repository root");
        }
    }

    /// <summary>Points the workbench at the repository's labs, the instructor's, with the reference solutions and
    /// hidden checks that the copy beside the command (what students install) leaves out; unless the test chose a
    /// folder itself.</summary>
    public static void UseRepositoryLabs(ProcessStartInfo start)
    {
        if (!start.Environment.ContainsKey("WORKBENCH_LABS")) start.Environment["WORKBENCH_LABS"] = Path.Combine(RepositoryRoot, "labs");
    }

    public static CommandResult Run(string workingDirectory, params string[] arguments) => Run(workingDirectory, null, arguments);

    /// <summary>Runs the command with these environment variables set for it alone (tests that run side by side
    /// cannot share the test process's environment).</summary>
    public static CommandResult Run(string workingDirectory, IReadOnlyDictionary<string, string>? environment, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(TestContext.CurrentContext.TestDirectory, "workbench.dll"));
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        start.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) start.Environment[name] = value;
        UseRepositoryLabs(start);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        // A hang catcher, not a speed test: generous, as a busy machine (other builds on both cores) is slow.
        if (!process.WaitForExit(TimeSpan.FromMinutes(10)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"workbench {string.Join(' ', arguments)} did not finish in 10 minutes");
        }
        return new CommandResult(process.ExitCode, output.Result, errors.Result);
    }
}
