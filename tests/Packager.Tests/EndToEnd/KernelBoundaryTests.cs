using VirtualizationWorkbench.Packager.Running.Boundary;

namespace VirtualizationWorkbench.Packager.Tests.EndToEnd;

/// <summary>The sandbox as a kernel boundary: a hostile application (TestApps/Escapes) tries every way around the
/// rewritten calls that issue 20 lists, packaged in write-copy, full and merged isolation, and the host folders the
/// rules protect are hashed before and after. One run per mode tries every technique; the application reports a
/// line per technique and the hashes, not its report, decide.</summary>
[Category(TestCategories.EndToEnd)]
// Runs beside the other long end-to-end fixtures: each test has its own machine (home, work and temporary folders).
[Parallelizable(ParallelScope.Self)]
public sealed class KernelBoundaryTests
{
    // Every technique the application tries, in its order (a missing line means it never got that far).
    private static readonly string[] WriteTechniques =
    [
        "pinvoke-open-write", "nativelibrary-function-pointer", "reflection-invoke", "invoke-member", "create-delegate",
        "expression-tree", "dynamic-method", "assembly-load-bytes", "xml-text-writer", "dataset-write-xml",
        "trace-listener", "memory-mapped-file", "file-create-symbolic-link", "unix-socket-bind", "sh-absolute-path",
        "sh-working-directory", "sh-delete", "directory-link-in-sandbox", "own-assembly-append",
    ];

    private static readonly string[] ReadTechniques =
        ["redirected-read", "reflection-read", "pinvoke-read", "memory-mapped-read", "sh-cat", "directory-listing"];

    private const string Secret = "SECRET-7d1f";

    private Machine _machine = null!;
    private string _victim = null!;
    private string _outside = null!;

    [SetUp]
    public void CreateMachine()
    {
        if (KernelBoundary.Unavailable() is { } reason && Environment.GetEnvironmentVariable("CI") is null)
        {
            Assert.Ignore($"needs unprivileged user namespaces and perl ({reason}); CI requires them");
        }
        _machine = new Machine();
        // A host folder under a macro (the home folder) and one outside every macro, each with a file to delete.
        _victim = Directory.CreateDirectory(Path.Combine(_machine.Home, "victim")).FullName;
        _outside = Directory.CreateDirectory(Path.Combine(_machine.Root, "outside")).FullName;
        File.WriteAllText(Path.Combine(_victim, "existing.txt"), "kept");
        File.WriteAllText(Path.Combine(_outside, "existing.txt"), "kept");
        File.WriteAllText(Path.Combine(_machine.Home, "secret.txt"), Secret);
    }

    [TearDown]
    public void DeleteMachine() => _machine?.Dispose();

    [TestCase("writecopy")]
    [TestCase("full")]
    public void No_Technique_Changes_The_Host_Or_The_Extraction(string mode)
    {
        var package = Pack(mode);
        var before = HostState();

        var run = _machine.Workbench("app", "run", package, "--", "write", _victim, "write", _outside, "read", Path.Combine(_machine.Home, "secret.txt"));

        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        Assert.That(run.Error, Does.Not.Contain("advisory"), run.ToString());
        AssertEveryTechniqueRan(run, writeRuns: 2);
        Assert.That(HostState(), Is.EqualTo(before), $"a host file changed:\n{run}");
        AssertExtractionIsThePackage(package);
        if (mode == "full")
        {
            Assert.That(run.Output, Does.Not.Contain(Secret), "a hidden file was read");
        }
    }

    [Test]
    public void Merged_Writes_Only_Where_The_Rules_Allow()
    {
        var package = Pack("merged");
        var outsideBefore = _machine.Hash(_outside);

        var run = _machine.Workbench("app", "run", package, "--", "write", _outside, "write", _victim);

        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        AssertEveryTechniqueRan(run, writeRuns: 2);
        // The folder no rule names is read-only; the merged home folder is the host's, as the rule says.
        Assert.That(_machine.Hash(_outside), Is.EqualTo(outsideBefore), run.ToString());
        AssertExtractionIsThePackage(package);
        Assert.That(File.Exists(Path.Combine(_victim, "pinvoke.txt")), Is.True, "merged isolation writes to the host\n" + run);
    }

    [Test]
    public void The_Sandbox_Tools_Read_The_Kernel_Layer_And_Reset_Forgets_It()
    {
        var package = Pack("writecopy");
        Assert.That(_machine.Workbench("app", "run", package, "--", "write", _victim).ExitCode, Is.Zero);

        var list = _machine.Workbench("sandbox", "list", package);

        Assert.That(list.Output, Does.Contain("%Profile%/victim/pinvoke.txt"), list.ToString());
        Assert.That(list.Output, Does.Match(@"deleted\s+%Profile%/victim/existing.txt"), list.ToString());
        var project = _machine.InWork("merged-project");
        Assert.That(_machine.Workbench("sandbox", "merge", package, "-o", project).ExitCode, Is.Zero);
        Assert.That(File.ReadAllText(Path.Combine(project, "%Profile%", "victim", "sh-absolute.txt")), Is.EqualTo("x\n"));
        Assert.That(_machine.Workbench("sandbox", "reset", package).ExitCode, Is.Zero);
        Assert.That(_machine.Workbench("sandbox", "list", package).Output, Does.Not.Contain("victim"));
    }

    // CVE-2017-5226: an application sharing the user's terminal session can push keystrokes into the shell with
    // TIOCSTI. Inside the boundary it leads a session of its own, with no controlling terminal.
    [Test]
    public void The_Application_Runs_In_A_Session_Of_Its_Own_Without_A_Terminal()
    {
        var package = _machine.InWork("session.vapp");
        Assert.That(_machine.Workbench("pack", TestApplications.Of("FileApp"), "--entry", "FileApp.dll", "-o", package).ExitCode, Is.Zero);

        var inside = _machine.Workbench("app", "run", package, "--", "session");
        _machine.Environment[KernelBoundary.SwitchVariable] = "off";
        var advisory = _machine.Workbench("app", "run", package, "--", "session");

        Assert.That(inside.Output, Is.EqualTo("own session, terminal 0\n"), inside.ToString());
        Assert.That(advisory.Output, Does.StartWith("the caller's session"), advisory.ToString());
    }

    [Test]
    public void Without_The_Kernel_Boundary_The_Run_Says_It_Is_Advisory_And_Native_Writes_Escape()
    {
        var package = Pack("writecopy");
        _machine.Environment[KernelBoundary.SwitchVariable] = "off";

        var run = _machine.Workbench("app", "run", package, "--", "write", _victim);

        Assert.That(run.Error, Does.StartWith("workbench: the sandbox is advisory here (VWB_KERNEL_BOUNDARY=off)"), run.ToString());
        Assert.That(run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries), Has.Length.EqualTo(1));
        // What docs/packager.md lists as escaping the rewriting ("Without the kernel boundary"): every technique but
        // the redirected write through a planted directory link. (The Unix socket escapes too, but the framework
        // removes its file when the socket is closed.)
        string[] escaped =
        [
            "pinvoke.txt", "function-pointer.txt", "reflection.txt", "invoke-member.txt", "delegate.txt", "expression.txt",
            "dynamic-method.txt", "payload.txt", "xml-text-writer.xml", "dataset.xml", "trace.txt", "mapped.bin", "link",
            "sh-absolute.txt", "sh-relative.txt",
        ];
        Assert.That(escaped.Where(name => !Path.Exists(Path.Combine(_victim, name))), Is.Empty, run.ToString());
        Assert.That(File.Exists(Path.Combine(_victim, "existing.txt")), Is.False, "sh -c rm reached the host");
        Assert.That(File.Exists(Path.Combine(_victim, "through-link.txt")), Is.False, "the redirected write stayed in the sandbox");
    }

    private string Pack(string mode)
    {
        var package = _machine.InWork($"escapes-{mode}.vapp");
        var pack = _machine.Workbench("pack", TestApplications.Of("Escapes"), "-o", package, "--isolation", mode, "--name", $"Escapes{mode}");
        Assert.That(pack.ExitCode, Is.Zero, pack.ToString());
        // The escapes are reported for what they are now: contained, not risks to the host.
        Assert.That(pack.Output, Does.Contain("PlatformInvoke: ").And.Contain("contained by the kernel boundary"), pack.ToString());
        Assert.That(pack.Output, Does.Not.Contain("acts on the host"), pack.ToString());
        return package;
    }

    private string HostState() => $"{_machine.Hash(_machine.Home)}\n--\n{_machine.Hash(_outside)}";

    /// <summary>The extraction the application ran from holds exactly the package's files, byte for byte (the
    /// application tried to append to its own assembly).</summary>
    private void AssertExtractionIsThePackage(string package)
    {
        var extraction = Directory.GetDirectories(Path.Combine(_machine.WorkbenchData, "extracted")).Single();
        using var zip = System.IO.Compression.ZipFile.OpenRead(package);
        var entries = zip.Entries.Where(entry => entry.FullName.StartsWith("files/", StringComparison.Ordinal)).ToList();
        foreach (var entry in entries)
        {
            using var stream = entry.Open();
            using var content = new MemoryStream();
            stream.CopyTo(content);
            Assert.That(File.ReadAllBytes(Path.Combine(extraction, entry.FullName["files/".Length..])), Is.EqualTo(content.ToArray()), entry.FullName);
        }
        var extracted = Directory.EnumerateFiles(extraction, "*", SearchOption.AllDirectories).Count(path => !path.Contains("/.package/", StringComparison.Ordinal));
        Assert.That(extracted, Is.EqualTo(entries.Count));
    }

    private static void AssertEveryTechniqueRan(CommandResult run, int writeRuns)
    {
        var lines = run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        foreach (var technique in WriteTechniques)
        {
            Assert.That(lines.Count(line => line.StartsWith(technique + ": ", StringComparison.Ordinal)), Is.EqualTo(writeRuns), $"{technique}\n{run}");
        }
        if (run.Output.Contains("redirected-read", StringComparison.Ordinal))
        {
            Assert.That(ReadTechniques.All(technique => lines.Any(line => line.StartsWith(technique + ": ", StringComparison.Ordinal))), Is.True, run.ToString());
        }
    }
}
