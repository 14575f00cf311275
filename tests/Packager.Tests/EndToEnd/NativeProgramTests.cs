using VirtualizationWorkbench.Packager.Running.Boundary;

namespace VirtualizationWorkbench.Packager.Tests.EndToEnd;

/// <summary>Packages of Linux programs rather than .NET assemblies (issue 21, "Beyond .NET"): real programs
/// nobody here wrote (coreutils' <c>tee</c> and <c>cat</c>), a shell script, and a test application compiled
/// with NativeAOT, each packed with <c>workbench pack</c> and run with <c>workbench app run</c>, isolated by the
/// kernel boundary alone.</summary>
[Category(TestCategories.EndToEnd)]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
// Runs beside the other long end-to-end fixtures: each test has its own machine (home, work and temporary folders).
[Parallelizable(ParallelScope.Self)]
public sealed class NativeProgramTests
{
    private static string? _nativeAot;

    private Machine _machine = null!;
    private string _programs = null!;

    /// <summary>FileApp compiled ahead of time to one ELF executable, as a NativeAOT tool ships.</summary>
    [OneTimeSetUp]
    public void PublishNativeAot()
    {
        if (KernelBoundary.Unavailable() is not null)
        {
            return;
        }
        var project = Directory.CreateTempSubdirectory("vwb-aot-").FullName;
        File.Copy(Path.Combine(TestApplications.SourceOf("FileApp"), "Program.cs"), Path.Combine(project, "Program.cs"));
        File.WriteAllText(Path.Combine(project, "FileApp.csproj"), """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <PublishAot>true</PublishAot>
                <StripSymbols>true</StripSymbols>
              </PropertyGroup>
            </Project>
            """);
        var output = Path.Combine(project, "out");
        var (exitCode, log) = TestApplications.Dotnet("publish", project, "-r", "linux-x64", "-o", output, "-nologo", "-v", "q", "-nodeReuse:false");
        if (exitCode != 0)
        {
            if (Environment.GetEnvironmentVariable("CI") is not null)
            {
                Assert.Fail($"publishing FileApp with NativeAOT failed (it needs gcc, which .ci/run installs):\n{log}");
            }
            return;
        }
        _nativeAot = output;
    }

    [SetUp]
    public void CreateMachine()
    {
        if (KernelBoundary.Unavailable() is { } reason && Environment.GetEnvironmentVariable("CI") is null)
        {
            Assert.Ignore($"needs unprivileged user namespaces and perl ({reason}); CI requires them");
        }
        _machine = new Machine();
        _programs = Directory.CreateDirectory(Path.Combine(_machine.Root, "programs")).FullName;
        foreach (var program in new[] { "tee", "cat" })
        {
            File.Copy(Path.Combine("/usr/bin", program), Path.Combine(_programs, program));
        }
        var script = Path.Combine(_programs, "note.sh");
        File.WriteAllText(script, "#!/bin/sh\necho \"$NOTE_GREETING from $(basename \"$0\")\" > \"$HOME/note.txt\"\necho \"$@\" >> \"$HOME/note.txt\"\nexit 7\n");
        File.SetUnixFileMode(script, File.GetUnixFileMode(script) | UnixFileMode.UserExecute);
        File.WriteAllText(Path.Combine(_machine.Home, "secret.txt"), "SECRET-4c2a");
    }

    [TearDown]
    public void DeleteMachine() => _machine?.Dispose();

    [OneTimeTearDown]
    public void DeletePublished()
    {
        if (_nativeAot is not null)
        {
            Directory.Delete(Path.GetDirectoryName(_nativeAot)!, recursive: true);
        }
    }

    [Test]
    public void Real_Programs_Are_Found_Packed_And_Write_Only_Into_Their_Sandbox()
    {
        var package = _machine.InWork("coreutils.vapp");
        var pack = _machine.Workbench("pack", _programs, "-o", package, "--name", "coreutils");
        Assert.That(pack.ExitCode, Is.Zero, pack.ToString());
        var inspect = _machine.Workbench("app", "inspect", package);
        Assert.That(inspect.Output, Does.Contain("tee -> %ProgramFilesDir%/coreutils/tee (Linux program"), inspect.ToString());
        Assert.That(inspect.Output, Does.Contain("note -> %ProgramFilesDir%/coreutils/note.sh (Linux program"), inspect.ToString());
        Assert.That(inspect.Output, Does.Contain("Kind=native"), inspect.ToString());
        var before = _machine.Hash(_machine.Home);

        var tee = _machine.WorkbenchWithInput("through tee\n", "app", "run", package, "--entry", "tee", "--", Path.Combine(_machine.Home, "tee.txt"));

        Assert.That(tee.ExitCode, Is.Zero, tee.ToString());
        Assert.That(tee.Output, Is.EqualTo("through tee\n"), tee.ToString());
        Assert.That(_machine.Hash(_machine.Home), Is.EqualTo(before), "tee wrote to the host");
        var cat = _machine.Workbench("app", "run", package, "--entry", "cat", "--", Path.Combine(_machine.Home, "tee.txt"));
        Assert.That(cat.Output, Is.EqualTo("through tee\n"), "the next run sees the sandbox's file\n" + cat);
        var list = _machine.Workbench("sandbox", "list", package);
        Assert.That(list.Output, Does.Contain("%Profile%/tee.txt"), list.ToString());
        Assert.That(_machine.Workbench("sandbox", "reset", package).ExitCode, Is.Zero);
        Assert.That(_machine.Workbench("app", "run", package, "--entry", "cat", "--", Path.Combine(_machine.Home, "tee.txt")).ExitCode, Is.EqualTo(1), "reset forgets it");
    }

    [Test]
    public void A_Script_Gets_Its_Arguments_The_Package_Environment_And_Returns_Its_Exit_Code()
    {
        // A project folder, as `capture end` writes one, with an [Environment] section.
        var project = Path.Combine(_machine.Root, "project");
        var folder = Directory.CreateDirectory(Path.Combine(project, "%ProgramFilesDir%", "Note")).FullName;
        File.Copy(Path.Combine(_programs, "note.sh"), Path.Combine(folder, "note.sh"));
        File.WriteAllText(Path.Combine(project, "Package.ini"), "[BuildOptions]\nInventoryName=Note\nSandboxName=Note\nDirectoryIsolationMode=WriteCopy\n\n[Environment]\nNOTE_GREETING=hello\n\n[note]\nSource=%ProgramFilesDir%\\Note\\note.sh\nKind=native\n");
        var package = _machine.InWork("note.vapp");
        var build = _machine.Workbench("build", project, "-o", package);
        Assert.That(build.ExitCode, Is.Zero, build.ToString());

        var run = _machine.Workbench("app", "run", package, "--", "two words", "three");

        Assert.That(run.ExitCode, Is.EqualTo(7), run.ToString());
        Assert.That(File.Exists(Path.Combine(_machine.Home, "note.txt")), Is.False, "the script wrote to the host");
        var note = _machine.Workbench("app", "run", package, "--", "again");
        Assert.That(note.ExitCode, Is.EqualTo(7));
        var written = Path.Combine(_machine.Sandbox("Note"), "kernel", Uri.EscapeDataString("%Profile%"), "note.txt");
        Assert.That(File.ReadAllText(written), Is.EqualTo("hello from note.sh\nagain\n"));
    }

    [Test]
    public void Full_Isolation_Hides_The_Hosts_Files_From_A_Program()
    {
        var package = _machine.InWork("cat-full.vapp");
        Assert.That(_machine.Workbench("pack", _programs, "--entry", "cat", "-o", package, "--isolation", "full", "--name", "catfull").ExitCode, Is.Zero);

        var run = _machine.Workbench("app", "run", package, "--", Path.Combine(_machine.Home, "secret.txt"));

        Assert.That(run.ExitCode, Is.EqualTo(1), run.ToString());
        Assert.That(run.Output, Does.Not.Contain("SECRET"));
        Assert.That(run.Error, Does.Contain("No such file or directory"), run.ToString());
    }

    [Test]
    public void Without_The_Kernel_Boundary_A_Program_Does_Not_Run_At_All()
    {
        var package = _machine.InWork("note-off.vapp");
        Assert.That(_machine.Workbench("pack", _programs, "--entry", "note.sh", "-o", package, "--name", "noteoff").ExitCode, Is.Zero);
        _machine.Environment[KernelBoundary.SwitchVariable] = "off";

        var run = _machine.Workbench("app", "run", package);

        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.Error, Does.StartWith("error: note is a Linux program, which runs only inside the kernel boundary"), run.ToString());
        Assert.That(run.Error, Does.Contain("nothing ran"));
        Assert.That(Directory.EnumerateFiles(_machine.Root, "note.txt", SearchOption.AllDirectories), Is.Empty, "the script ran");
    }

    [Test]
    public void Bad_Entries_Are_Refused_With_What_To_Do()
    {
        var folder = Directory.CreateDirectory(Path.Combine(_machine.Root, "bad")).FullName;
        File.Copy("/usr/bin/tee", Path.Combine(folder, "tee"));
        File.SetUnixFileMode(Path.Combine(folder, "tee"), UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.WriteAllText(Path.Combine(folder, "readme.txt"), "text");

        var nothing = _machine.Workbench("pack", folder, "-o", _machine.InWork("bad.vapp"));
        var notExecutable = _machine.Workbench("pack", folder, "--entry", "tee", "-o", _machine.InWork("bad.vapp"));
        var text = _machine.Workbench("pack", folder, "--entry", "readme.txt", "-o", _machine.InWork("bad.vapp"));
        var trace = _machine.Workbench("pack", _programs, "--entry", "cat", "-o", _machine.InWork("cat.vapp"));
        var traced = _machine.Workbench("app", "run", _machine.InWork("cat.vapp"), "--trace", _machine.InWork("t.log"), "--", "/dev/null");

        Assert.That(nothing.Error, Does.Contain("holds no entry point"), nothing.ToString());
        Assert.That(notExecutable.Error, Does.Contain("is an ELF executable but not marked executable").And.Contain("chmod +x"), notExecutable.ToString());
        Assert.That(text.Error, Does.Contain("neither a .NET assembly with a Main method nor a Linux program"), text.ToString());
        Assert.That(trace.ExitCode, Is.Zero, trace.ToString());
        Assert.That(traced.Error, Does.StartWith("error: --trace: cat is a Linux program"), traced.ToString());
        foreach (var refused in new[] { nothing, notExecutable, text, traced })
        {
            Assert.That(refused.ExitCode, Is.EqualTo(2), refused.ToString());
            Assert.That(refused.Error, Does.Not.Contain("   at "), "no stack trace");
        }
        Assert.That(File.Exists(_machine.InWork("bad.vapp")), Is.False, "nothing half-written");
    }

    [Test]
    public void A_NativeAot_Tool_Behaves_Packaged_As_The_Same_Tool_Does_As_A_Net_Package()
    {
        if (_nativeAot is null)
        {
            Assert.Ignore("NativeAOT publishing is not available here (it needs gcc); CI installs it");
        }
        var package = _machine.InWork("fileapp-aot.vapp");
        var pack = _machine.Workbench("pack", _nativeAot, "-o", package, "--name", "FileAppAot");
        Assert.That(pack.ExitCode, Is.Zero, pack.ToString());
        Assert.That(pack.Output, Does.Contain("0 assembly(ies) rewritten"), "an ELF is not rewritten");
        // A home as users have it: without ~/.config, .NET's ApplicationData is "" and FileApp writes relative to
        // the working folder, which no rule names here (read-only, packaged or not under the boundary).
        Directory.CreateDirectory(_machine.AppData);
        var before = _machine.Hash(_machine.Home);

        var wrote = _machine.Workbench("app", "run", package, "--", "write", "aot");
        var read = _machine.Workbench("app", "run", package, "--", "read");

        Assert.That(wrote.Output, Is.EqualTo("wrote aot\n"), wrote.ToString());
        Assert.That(_machine.Hash(_machine.Home), Is.EqualTo(before), "the tool wrote to the host");
        // Beside itself, in the home folder and its log: all kept in the sandbox, as for the .NET FileApp.
        Assert.That(read.Output, Does.StartWith("own: aot\n"), read.ToString());
        Assert.That(read.Output, Does.Contain("appdata: aot\nhome: aot\n"), read.ToString());
        Assert.That(_machine.Workbench("sandbox", "list", package).Output, Does.Contain("%ProgramFilesDir%/FileAppAot/data.txt"));
    }
}
