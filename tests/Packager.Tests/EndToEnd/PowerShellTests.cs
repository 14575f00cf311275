using VirtualizationWorkbench.Packager.Running.Boundary;

namespace VirtualizationWorkbench.Packager.Tests.EndToEnd;

/// <summary>PowerShell, packaged as a user would package it: a real application that no rewriting can follow, since
/// its scripts call <c>[IO.File]</c> through its own binder and start native commands. Under the kernel boundary
/// both stay in the sandbox; and it starts in full isolation (it once crashed there, when <c>/proc</c> vanished).</summary>
[Category(TestCategories.EndToEnd)]
// Runs beside the other long end-to-end fixtures: each test has its own machine (home, work and temporary folders).
[Parallelizable(ParallelScope.Self)]
public sealed class PowerShellTests
{
    private Machine _machine = null!;

    [SetUp]
    public void CreateMachine()
    {
        if (KernelBoundary.Unavailable() is { } reason && Environment.GetEnvironmentVariable("CI") is null)
        {
            Assert.Ignore($"needs unprivileged user namespaces and perl ({reason}); CI requires them");
        }
        Assert.That(File.Exists(Path.Combine(TestApplications.PowerShellFolder, "pwsh.dll")), Is.True,
            $"PowerShell is not at {TestApplications.PowerShellFolder}: restore tests/Packager.Tests (it downloads the PowerShell package)");
        _machine = new Machine();
    }

    [TearDown]
    public void DeleteMachine() => _machine?.Dispose();

    private string Pack(string isolation)
    {
        var package = _machine.InWork($"pwsh-{isolation}.vapp");
        var packed = _machine.Workbench("pack", TestApplications.PowerShellFolder, "--entry", "pwsh.dll", "-o", package, "--isolation", isolation, "--name", $"Pwsh-{isolation}");
        Assert.That(packed.ExitCode, Is.Zero, packed.ToString());
        return package;
    }

    private CommandResult PowerShell(string package, string script) =>
        _machine.Workbench("app", "run", package, "--", "-NoProfile", "-NonInteractive", "-Command", script);

    [Test]
    public void Native_Commands_And_IO_File_Calls_Stay_In_The_Sandbox_Under_Write_Copy()
    {
        var package = Pack("writecopy");
        var home = _machine.Home;
        File.WriteAllText(Path.Combine(home, "existing.txt"), "the user's");
        var before = _machine.Hash(home);

        var write = PowerShell(package, string.Join("; ",
            $"[IO.File]::WriteAllText('{home}/ps-io-file.txt', 'through IO.File')",
            $"[IO.File]::Delete('{home}/existing.txt')",
            $"/usr/bin/touch '{home}/ps-touched.txt'",
            $"/bin/sh -c 'echo from sh > {home}/ps-sh.txt'",
            $"Set-Content -Path '{home}/ps-cmdlet.txt' -Value 'from a cmdlet'",
            // New-Item asks FileSystemInfo.Attributes of the missing folder first (issue 21: it threw, packaged).
            $"New-Item -ItemType Directory -Path '{home}/ps-made' | Out-Null",
            "'written'"));
        var read = PowerShell(package, string.Join("; ",
            $"[IO.File]::ReadAllText('{home}/ps-io-file.txt')",
            $"Get-Content '{home}/ps-sh.txt'",
            $"Test-Path '{home}/ps-touched.txt'",
            $"Get-Content '{home}/ps-cmdlet.txt'",
            $"Test-Path '{home}/existing.txt'",
            $"Test-Path '{home}/ps-made' -PathType Container"));

        Assert.That(write.ExitCode, Is.Zero, write.ToString());
        Assert.That(write.Output, Is.EqualTo("written\n"), write.ToString());
        Assert.That(write.Error, Does.Not.Contain("advisory"), write.ToString());
        Assert.That(_machine.Hash(home), Is.EqualTo(before), "the host's home folder changed");
        Assert.That(read.Output, Is.EqualTo("through IO.File\nfrom sh\nTrue\nfrom a cmdlet\nFalse\nTrue\n"), read.ToString());
        var listed = _machine.Workbench("sandbox", "list", package);
        Assert.That(listed.Output, Does.Contain("ps-touched.txt").And.Contain("ps-sh.txt").And.Contain("ps-io-file.txt").And.Contain("existing.txt"), listed.ToString());
    }

    [Test]
    public void It_Starts_In_Full_Isolation_And_Sees_No_Host_File()
    {
        var package = Pack("full");
        var secret = Path.Combine(_machine.Home, "secret.txt");
        File.WriteAllText(secret, "SECRET");

        var run = PowerShell(package, $"'started'; Test-Path '{secret}'; [IO.File]::Exists('{secret}'); (Get-Content /proc/self/status -TotalCount 1) -replace '\\s.*', ''");

        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        Assert.That(run.Output, Is.EqualTo("started\nFalse\nFalse\nName:\n"), run.ToString());
        Assert.That(run.Output + run.Error, Does.Not.Contain("SECRET"));
    }
}
