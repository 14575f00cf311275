namespace VirtualizationWorkbench.Packager.Tests.EndToEnd;

/// <summary>The application that keeps files beside itself, in application data and in the home folder.</summary>
[Category(TestCategories.EndToEnd)]
// Runs beside the other long end-to-end fixtures: each test has its own machine (home, work and temporary folders).
[Parallelizable(ParallelScope.Self)]
public sealed class FileAppTests
{
    private Machine _machine = null!;

    [SetUp]
    public void CreateMachine() => _machine = new Machine();

    [TearDown]
    public void DeleteMachine() => _machine.Dispose();

    private string Pack(string isolation = "writecopy")
    {
        var package = _machine.InWork($"FileApp-{isolation}.vapp");
        var result = _machine.Workbench("pack", TestApplications.Of("FileApp"), "--entry", "FileApp.dll", "-o", package, "--isolation", isolation, "--name", $"FileApp-{isolation}");
        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        return package;
    }

    [Test]
    public void Should_Keep_Every_Write_In_The_Sandbox_See_It_Next_Time_And_Forget_It_On_Reset()
    {
        var package = Pack();
        var home = _machine.Hash(_machine.Home);
        var application = _machine.Hash(TestApplications.Of("FileApp"));

        var write = _machine.Workbench("app", "run", package, "--", "write", "hello", "world");
        var read = _machine.Workbench("app", "run", package, "--", "read");

        Assert.That(write.ExitCode, Is.Zero, write.ToString());
        Assert.That(read.Output, Is.EqualTo("own: hello world\nappdata: hello world\nhome: hello world\nlog: hello world\n"), read.ToString());
        Assert.That(_machine.Hash(_machine.Home), Is.EqualTo(home), "the home folder changed");
        Assert.That(_machine.Hash(TestApplications.Of("FileApp")), Is.EqualTo(application), "the application folder changed");
        var sandbox = Path.Combine(_machine.Sandbox("FileApp-writecopy"), "files");
        Assert.That(File.ReadAllText(Path.Combine(sandbox, "%Profile%", "fileapp-notes.txt")), Is.EqualTo("hello world"));
        Assert.That(File.ReadAllText(Path.Combine(sandbox, "%AppData%", "FileApp", "settings.txt")), Is.EqualTo("hello world"));
        Assert.That(File.ReadAllText(Path.Combine(sandbox, "%ProgramFilesDir%", "FileApp-writecopy", "data.txt")), Is.EqualTo("hello world"));

        var reset = _machine.Workbench("sandbox", "reset", package);
        var afterReset = _machine.Workbench("app", "run", package, "--", "read");
        var shipped = _machine.Workbench("app", "run", package, "--", "shipped");

        Assert.That(reset.ExitCode, Is.Zero, reset.ToString());
        Assert.That(afterReset.Output, Is.EqualTo("own: <missing>\nappdata: <missing>\nhome: <missing>\nlog: <missing>\n"), afterReset.ToString());
        Assert.That(shipped.Output, Is.EqualTo("shipped with the application\n"));
    }

    [Test]
    public void Sandbox_Export_Copies_What_The_Application_Wrote_Out_To_The_Host_On_Purpose()
    {
        var package = Pack();
        Assert.That(_machine.Workbench("app", "run", package, "--", "write", "hello", "world").ExitCode, Is.Zero);
        var notes = Path.Combine(_machine.Home, "fileapp-notes.txt");
        Assert.That(File.Exists(notes), Is.False, "the write stayed in the sandbox");

        // A file, back where the application saw it.
        var exported = _machine.Workbench("sandbox", "export", package, notes);
        Assert.That(exported.ExitCode, Is.Zero, exported.ToString());
        Assert.That(File.ReadAllText(notes), Is.EqualTo("hello world"));
        Assert.That(exported.Output, Does.Contain("Exported 1 file(s), 11 bytes"));

        // Not over a host file without --force; with it, replaced.
        File.WriteAllText(notes, "the user's own");
        var refused = _machine.Workbench("sandbox", "export", package, notes);
        Assert.That(refused.ExitCode, Is.EqualTo(2), refused.ToString());
        Assert.That(refused.Error, Does.Contain("--force").And.Contain("Nothing was copied"));
        Assert.That(File.ReadAllText(notes), Is.EqualTo("the user's own"));
        Assert.That(_machine.Workbench("sandbox", "export", package, notes, "--force").ExitCode, Is.Zero);
        Assert.That(File.ReadAllText(notes), Is.EqualTo("hello world"));

        // A folder, named by its macro, into a folder of the user's choice.
        var outside = _machine.InWork("exported");
        var folder = _machine.Workbench("sandbox", "export", package, "%AppData%/FileApp", "--to", outside);
        Assert.That(folder.ExitCode, Is.Zero, folder.ToString());
        Assert.That(File.ReadAllText(Path.Combine(outside, "FileApp", "settings.txt")), Is.EqualTo("hello world"));
        Assert.That(Directory.Exists(Path.Combine(_machine.AppData, "FileApp")), Is.False, "nothing else reached the host");

        // Something the application never wrote: said, not silently skipped.
        var nothing = _machine.Workbench("sandbox", "export", package, Path.Combine(_machine.Home, "never-written.txt"));
        Assert.That(nothing.ExitCode, Is.EqualTo(2), nothing.ToString());
        Assert.That(nothing.Error, Does.Contain("wrote nothing at").And.Contain("sandbox list"));
    }

    [Test]
    public void Pack_Isolate_Gives_One_Folder_Its_Own_Mode()
    {
        var package = _machine.InWork("FileApp-rules.vapp");
        var packed = _machine.Workbench("pack", TestApplications.Of("FileApp"), "--entry", "FileApp.dll", "-o", package, "--name", "FileApp-rules",
            "--isolate", Path.Combine(_machine.AppData, "FileApp") + "=merged");
        Assert.That(packed.ExitCode, Is.Zero, packed.ToString());
        // ~/.config exists, as on any desktop; FileApp's folder in it does not yet, and the application makes it.
        Directory.CreateDirectory(_machine.AppData);
        Assert.That(_machine.Workbench("app", "run", package, "--", "write", "shared").ExitCode, Is.Zero);
        Assert.That(File.ReadAllText(Path.Combine(_machine.AppData, "FileApp", "settings.txt")), Is.EqualTo("shared"), "the merged folder is the host's");
        Assert.That(File.Exists(Path.Combine(_machine.Home, "fileapp-notes.txt")), Is.False, "the rest stays write-copy");
        Assert.That(_machine.Workbench("app", "inspect", package).Output, Does.Contain("%AppData%\\FileApp=Merged"), "the rule, in Package.ini");

        var bad = _machine.Workbench("pack", TestApplications.Of("FileApp"), "-o", _machine.InWork("bad.vapp"), "--isolate", "%NoSuchFolder%/x=full");
        Assert.That(bad.ExitCode, Is.EqualTo(2), bad.ToString());
        Assert.That(bad.Error, Does.Contain("%NoSuchFolder% is not a folder macro"));
        var noMode = _machine.Workbench("pack", TestApplications.Of("FileApp"), "-o", _machine.InWork("bad.vapp"), "--isolate", "%AppData%/x=sealed");
        Assert.That(noMode.Error, Does.Contain("'sealed' is not an isolation mode"));
        Assert.That(File.Exists(_machine.InWork("bad.vapp")), Is.False);
    }

    [Test]
    public void App_Gc_Removes_Only_Extractions_No_Package_File_Uses_And_Sandbox_List_All_Shows_Every_Sandbox()
    {
        var kept = Pack("writecopy");
        var dropped = Pack("full");
        Assert.That(_machine.Workbench("app", "run", kept, "--", "write", "a").ExitCode, Is.Zero);
        Assert.That(_machine.Workbench("app", "run", dropped, "--", "write", "b").ExitCode, Is.Zero);
        var cache = Path.Combine(_machine.WorkbenchData, "extracted");
        string[] Extractions() => [.. Directory.GetDirectories(cache).Select(Path.GetFileName).Where(n => n!.Length == 16).Order()!];
        Assert.That(Extractions(), Has.Length.EqualTo(2));

        var nothing = _machine.Workbench("app", "gc", "--dry-run");
        Assert.That(nothing.Output, Does.Contain("Would free 0 bytes in 0 extraction(s)"), nothing.ToString());

        File.Delete(dropped);
        var dry = _machine.Workbench("app", "gc", "--dry-run");
        Assert.That(dry.Output, Does.Contain("would remove").And.Contain("in 1 extraction(s)"), dry.ToString());
        Assert.That(Extractions(), Has.Length.EqualTo(2), "a dry run removes nothing");
        var gc = _machine.Workbench("app", "gc");
        Assert.That(gc.ExitCode, Is.Zero, gc.ToString());
        Assert.That(gc.Output, Does.Contain("removed").And.Contain("kept 1"));
        Assert.That(Extractions(), Has.Length.EqualTo(1));
        Assert.That(_machine.Workbench("app", "run", kept, "--", "read").Output, Does.Contain("own: a"), "the package still in use runs from its extraction");

        var all = _machine.Workbench("sandbox", "list", "--all");
        Assert.That(all.ExitCode, Is.Zero, all.ToString());
        Assert.That(all.Output, Does.Contain("Sandboxes in").And.Contain("FileApp-writecopy").And.Contain("FileApp-full"));
        var neither = _machine.Workbench("sandbox", "list");
        Assert.That(neither.ExitCode, Is.EqualTo(2), neither.ToString());
        Assert.That(neither.Error, Does.Contain("--all"));
    }

    [Test]
    public void App_Run_Trace_Logs_Each_Access_With_The_Layer_That_Served_It()
    {
        var package = Pack();
        var hostFile = Path.Combine(_machine.Home, "host.txt");
        File.WriteAllText(hostFile, "host");
        var writes = _machine.InWork("writes.log");
        Assert.That(_machine.Workbench("app", "run", package, "--trace", writes, "--", "write", "hi").ExitCode, Is.Zero);
        var written = File.ReadAllLines(writes).Select(l => l.Split('\t')).ToList();
        Assert.That(written.Select(f => (f[1], f[2], f[3], f[4])), Does.Contain(("file", "write", "sandbox", Path.Combine(_machine.Home, "fileapp-notes.txt"))));
        Assert.That(written.Select(f => (f[2], f[3], f[4])), Does.Contain(("mkdir", "sandbox", Path.Combine(_machine.AppData, "FileApp"))));
        Assert.That(written.All(f => double.TryParse(f[0], System.Globalization.CultureInfo.InvariantCulture, out _)), "each line starts with its time");

        var reads = _machine.InWork("reads.log");
        var cat = _machine.Workbench("app", "run", package, "--trace", reads, "--", "cat", hostFile);
        Assert.That(cat.Output.Trim(), Is.EqualTo("host"), cat.ToString());
        Assert.That(File.ReadAllLines(reads).Select(l => l.Split('\t')).Select(f => (f[2], f[3], f[4])), Does.Contain(("read", "host", hostFile)));

        var summary = _machine.Workbench("app", "inspect", package, "--trace", reads);
        Assert.That(summary.ExitCode, Is.Zero, summary.ToString());
        Assert.That(summary.Output, Does.Contain("served by the host, most often:").And.Contain(hostFile));

        // A process the application starts, with what holds it.
        var processes = _machine.InWork("processes.log");
        var spawn = _machine.Workbench("app", "run", package, "--trace", processes, "--", "spawn", "hello");
        Assert.That(spawn.Output, Is.EqualTo("child says hello\n"), spawn.ToString());
        var isolation = VirtualizationWorkbench.Packager.Running.Boundary.KernelBoundary.Unavailable() is null ? "kernel boundary" : "host";
        Assert.That(File.ReadAllLines(processes).Select(l => l.Split('\t')).Select(f => (f[1], f[2], f[3], f[4])),
            Does.Contain(("process", "start", isolation, "/bin/sh -c echo child says hello")));
        Assert.That(_machine.Workbench("app", "inspect", package, "--trace", processes).Output,
            Does.Contain("processes started:").And.Contain($"/bin/sh -c echo child says hello ({isolation})"));

        var nowhere = _machine.Workbench("app", "run", package, "--trace", Path.Combine(_machine.Work, "no-such-folder", "t.log"), "--", "read");
        Assert.That(nowhere.ExitCode, Is.EqualTo(2), nowhere.ToString());
        Assert.That(nowhere.Error, Does.Contain("does not exist"));
        var notATrace = _machine.Workbench("app", "inspect", package, "--trace", hostFile);
        Assert.That(notATrace.ExitCode, Is.EqualTo(2), notATrace.ToString());
        Assert.That(notATrace.Error, Does.Contain("not a trace line"));
    }

    [Test]
    public void A_Runnable_Package_Runs_As_A_Program_And_App_Install_Puts_Its_Command_On_The_Path()
    {
        if (!OperatingSystem.IsLinux())
        {
            Assert.Ignore("runnable packages and installed commands are shell scripts");
            return;
        }
        // `workbench` on the PATH, as the tool install puts it.
        var tools = Directory.CreateDirectory(Path.Combine(_machine.Root, "tools")).FullName;
        var shim = Path.Combine(tools, "workbench");
        File.WriteAllText(shim, $"#!/bin/sh\nexec dotnet '{TestApplications.WorkbenchDll}' \"$@\"\n");
        File.SetUnixFileMode(shim, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        _machine.Environment["PATH"] = tools + ":" + Environment.GetEnvironmentVariable("PATH");

        var package = _machine.InWork("FileApp-run.vapp");
        var packed = _machine.Workbench("pack", TestApplications.Of("FileApp"), "--entry", "FileApp.dll", "-o", package, "--name", "FileApp-run", "--runnable");
        Assert.That(packed.ExitCode, Is.Zero, packed.ToString());
        Assert.That(File.GetUnixFileMode(package).HasFlag(UnixFileMode.UserExecute), Is.True);
        Assert.That(File.ReadAllText(package), Does.StartWith("#!/bin/sh\n"));
        Assert.That(_machine.Workbench("app", "inspect", package).ExitCode, Is.Zero, "still a package the workbench reads");

        var wrote = _machine.Program(package, "write", "by", "itself");
        Assert.That(wrote.Output, Is.EqualTo("wrote by itself\n"), wrote.ToString());
        Assert.That(_machine.Workbench("app", "run", package, "--", "read").Output, Does.StartWith("own: by itself\n"), "the same sandbox as app run");

        var bin = Path.Combine(_machine.Root, "bin");
        var install = _machine.Workbench("app", "install", package, "--bin", bin);
        Assert.That(install.ExitCode, Is.Zero, install.ToString());
        Assert.That(install.Output, Does.Contain("is not on your PATH"));
        var read = _machine.Program(Path.Combine(bin, "FileApp"), "read");
        Assert.That(read.Output, Does.StartWith("own: by itself\n"), read.ToString());
        Assert.That(_machine.Workbench("app", "install", package, "--bin", bin).ExitCode, Is.Zero, "installing again replaces its own command");

        // Someone else's command of the same name is neither replaced nor removed.
        var other = Path.Combine(_machine.Root, "other-bin");
        Directory.CreateDirectory(other);
        File.WriteAllText(Path.Combine(other, "FileApp"), "#!/bin/sh\necho mine\n");
        var refused = _machine.Workbench("app", "install", package, "--bin", other);
        Assert.That(refused.ExitCode, Is.EqualTo(2), refused.ToString());
        Assert.That(refused.Error, Does.Contain("is not this package's command"));
        Assert.That(_machine.Workbench("app", "remove", package, "--bin", other).Output, Does.Contain("nothing removed"));
        Assert.That(File.ReadAllText(Path.Combine(other, "FileApp")), Is.EqualTo("#!/bin/sh\necho mine\n"));

        var remove = _machine.Workbench("app", "remove", package, "--bin", bin);
        Assert.That(remove.Output, Does.Contain("Removed"), remove.ToString());
        Assert.That(File.Exists(Path.Combine(bin, "FileApp")), Is.False);
    }

    [Test]
    public void A_Windowed_Application_Gets_A_Desktop_Entry_That_Launchers_Accept_And_Remove_Takes_It_Away()
    {
        if (!OperatingSystem.IsLinux())
        {
            Assert.Ignore("desktop entries are a freedesktop.org (Linux desktop) format");
            return;
        }
        var package = _machine.InWork("Windowed.vapp");
        Assert.That(_machine.Workbench("pack", TestApplications.Of("WindowedApp"), "-o", package).ExitCode, Is.Zero);
        Assert.That(_machine.Workbench("app", "inspect", package).Output, Does.Contain("Windowed=true"), "pack reads the WinExe subsystem");
        var bin = Path.Combine(_machine.Root, "bin");
        var applications = Path.Combine(_machine.Home, ".local", "share", "applications");

        var install = _machine.Workbench("app", "install", package, "--bin", bin);

        Assert.That(install.ExitCode, Is.Zero, install.ToString());
        var entry = Path.Combine(applications, "vwb-WindowedApp-WindowedApp.desktop");
        Assert.That(File.Exists(entry), Is.True, install.ToString());
        var text = File.ReadAllText(entry);
        Assert.That(text, Does.Contain($"Exec=workbench app run \"{package}\" --entry \"WindowedApp\" -- %F\n"));
        Assert.That(text, Does.Contain("Terminal=false\n"));
        // The freedesktop.org validator, as distributions run it on the entries they ship.
        if (File.Exists("/usr/bin/desktop-file-validate"))
        {
            using var validate = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("/usr/bin/desktop-file-validate", [entry]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
            var complaints = validate.StandardOutput.ReadToEnd() + validate.StandardError.ReadToEnd();
            validate.WaitForExit();
            Assert.That(validate.ExitCode, Is.Zero, complaints);
            Assert.That(complaints, Is.Empty);
        }
        else if (Environment.GetEnvironmentVariable("CI") is not null)
        {
            Assert.Fail("desktop-file-validate (desktop-file-utils) is missing; .ci/run installs it");
        }
        // The command it runs, as a launcher would run it (with the workbench on the PATH).
        var run = _machine.Workbench("app", "run", package, "--entry", "WindowedApp", "--", "a.txt", "b.txt");
        Assert.That(run.Output, Is.EqualTo("windowed app opened 2 file(s): a.txt, b.txt\n"), run.ToString());
        // A console application gets none unless asked.
        var console = Pack("writecopy");
        _machine.Workbench("app", "install", console, "--bin", bin);
        Assert.That(Directory.GetFiles(applications), Has.Length.EqualTo(1));
        Assert.That(_machine.Workbench("app", "install", console, "--bin", bin, "--desktop").Output, Does.Contain(".desktop"));
        Assert.That(Directory.GetFiles(applications), Has.Length.EqualTo(2));

        var remove = _machine.Workbench("app", "remove", package, "--bin", bin);

        Assert.That(remove.Output, Does.Contain($"Removed {entry}"), remove.ToString());
        Assert.That(File.Exists(entry), Is.False);
        Assert.That(File.Exists(Path.Combine(bin, "WindowedApp")), Is.False);
        Assert.That(Directory.GetFiles(applications), Has.Length.EqualTo(1), "the other package's entry stays");
    }

    [TestCase("writecopy", "host", "changed", "host")]
    [TestCase("full", "<missing>", "changed", "host")]
    [TestCase("merged", "host", "changed", "changed")]
    public void Each_Isolation_Mode_Should_Behave_As_Its_Definition_Says(string isolation, string seen, string seenAfterWrite, string onHostAfterWrite)
    {
        var hostFile = Path.Combine(_machine.Home, "host.txt");
        File.WriteAllText(hostFile, "host");
        var package = Pack(isolation);

        var before = _machine.Workbench("app", "run", package, "--", "cat", hostFile);
        var put = _machine.Workbench("app", "run", package, "--", "put", hostFile, "changed");
        var after = _machine.Workbench("app", "run", package, "--", "cat", hostFile);

        Assert.That(put.ExitCode, Is.Zero, put.ToString());
        Assert.That(before.Output.Trim(), Is.EqualTo(seen));
        Assert.That(after.Output.Trim(), Is.EqualTo(seenAfterWrite));
        Assert.That(File.ReadAllText(hostFile), Is.EqualTo(onHostAfterWrite));
    }

    [Test]
    public void Deleting_A_Host_File_Under_WriteCopy_Should_Hide_It_Without_Touching_It()
    {
        var hostFile = Path.Combine(_machine.Home, "victim.txt");
        File.WriteAllText(hostFile, "keep me");
        var package = Pack();

        var delete = _machine.Workbench("app", "run", package, "--", "delete", hostFile);
        var list = _machine.Workbench("app", "run", package, "--", "list", _machine.Home);

        Assert.That(delete.Output.Trim(), Is.EqualTo("deleted"), delete.ToString());
        Assert.That(list.Output, Does.Not.Contain("victim.txt"));
        Assert.That(File.ReadAllText(hostFile), Is.EqualTo("keep me"));
        Assert.That(_machine.Workbench("sandbox", "list", package).Output, Does.Contain("deleted").And.Contain("%Profile%/victim.txt"));
    }

    [Test]
    public void Arguments_Standard_Streams_And_Exit_Code_Should_Pass_Through()
    {
        var package = Pack();

        var echo = _machine.Workbench("app", "run", package, "--", "echo", "a", "b c", "--not-an-option");
        var stdin = _machine.WorkbenchWithInput("piped text", "app", "run", package, "--", "stdin");

        Assert.That(echo.Output, Is.EqualTo("a|b c|--not-an-option\n"));
        Assert.That(echo.Error, Is.EqualTo("to stderr\n"));
        Assert.That(echo.ExitCode, Is.EqualTo(3));
        Assert.That(stdin.Output, Is.EqualTo("PIPED TEXT\n"));
    }

    [Test]
    public void Sandbox_Merge_Should_Fold_The_Changes_Into_A_Project_That_Builds_A_Package_Starting_There()
    {
        var package = Pack();
        _machine.Workbench("app", "run", package, "--", "write", "merged state");
        var project = _machine.InWork("merged-project");

        var merge = _machine.Workbench("sandbox", "merge", package, "-o", project);
        var build = _machine.Workbench("build", project, "-o", _machine.InWork("merged.vapp"));
        var read = _machine.Workbench("app", "run", _machine.InWork("merged.vapp"), "--sandbox", _machine.InWork("fresh-sandbox"), "--", "read");

        Assert.That(merge.ExitCode, Is.Zero, merge.ToString());
        Assert.That(build.ExitCode, Is.Zero, build.ToString());
        Assert.That(read.Output, Is.EqualTo("own: merged state\nappdata: merged state\nhome: merged state\nlog: merged state\n"), read.ToString());
    }

    [Test]
    public void The_Same_Input_Should_Give_A_Byte_Identical_Package_That_Unzip_Can_List()
    {
        var first = Pack();
        var second = _machine.InWork("again.vapp");
        _machine.Workbench("pack", TestApplications.Of("FileApp"), "--entry", "FileApp.dll", "-o", second, "--isolation", "writecopy", "--name", "FileApp-writecopy");

        Assert.That(File.ReadAllBytes(second), Is.EqualTo(File.ReadAllBytes(first)));
        using var zip = System.IO.Compression.ZipFile.OpenRead(first);
        Assert.That(zip.Entries.Select(entry => entry.FullName), Does.Contain("manifest.json").And.Contain("Package.ini").And.Contain("files/%ProgramFilesDir%/FileApp-writecopy/FileApp.dll"));
    }

    [TestCase("de_DE.UTF-8", "de-DE|1.234,5|")]
    [TestCase("C.UTF-8", "|1,234.5|")]
    public void A_Packaged_Application_Should_Format_And_Sort_In_The_Users_Culture_As_It_Does_Unpackaged(string locale, string start)
    {
        var package = Pack();
        _machine.Environment["LANG"] = locale;
        _machine.Environment["LC_ALL"] = locale;

        var unpackaged = _machine.Unpackaged(Path.Combine(TestApplications.Of("FileApp"), "FileApp.dll"), "culture");
        var packaged = _machine.Workbench("app", "run", package, "--", "culture");

        Assert.That(unpackaged.Output, Does.StartWith(start), unpackaged.ToString());
        Assert.That(packaged.ExitCode, Is.Zero, packaged.ToString());
        Assert.That(packaged.Output, Is.EqualTo(unpackaged.Output));
    }

    [Test]
    public void An_Application_Built_For_Invariant_Globalization_Should_Keep_It_When_Packaged()
    {
        var package = _machine.InWork("invariant.vapp");
        var pack = _machine.Workbench("pack", TestApplications.Of("Invariant"), "-o", package);
        _machine.Environment["LANG"] = "tr_TR.UTF-8";
        _machine.Environment["LC_ALL"] = "tr_TR.UTF-8";

        var unpackaged = _machine.Unpackaged(Path.Combine(TestApplications.Of("Invariant"), "Invariant.dll"));
        var first = _machine.Workbench("app", "run", package);
        var second = _machine.Workbench("app", "run", package);

        Assert.That(pack.ExitCode, Is.Zero, pack.ToString());
        Assert.That(unpackaged.Output, Does.StartWith("[]|1,234.5|").And.Contain("|A,B,a,b|I|"), unpackaged.ToString());
        Assert.That(first.Output, Is.EqualTo(unpackaged.Output), "the first start, which opens the package in full");
        Assert.That(second.Output, Is.EqualTo(unpackaged.Output), "a start from the extraction");
    }

    [Test]
    public void Classes_Derived_From_The_Stream_Types_Should_Open_Their_Files_In_The_Sandbox()
    {
        var package = Pack();
        var home = _machine.Hash(_machine.Home);

        var first = _machine.Workbench("app", "run", package, "--", "derived-write", "one");
        var second = _machine.Workbench("app", "run", package, "--", "derived-write", "two");
        var read = _machine.Workbench("app", "run", package, "--", "derived-read");
        var inspect = _machine.Workbench("app", "inspect", package);

        Assert.That(first.ExitCode, Is.Zero, first.ToString());
        Assert.That(second.ExitCode, Is.Zero, second.ToString());
        Assert.That(read.Output, Is.EqualTo("log: one|two\nnote: two\n"), read.ToString());
        Assert.That(_machine.Hash(_machine.Home), Is.EqualTo(home), "a derived stream wrote to the host");
        Assert.That(File.ReadAllText(Path.Combine(_machine.Sandbox("FileApp-writecopy"), "files", "%Profile%", "derived-log.txt")), Is.EqualTo("one\ntwo\n"));
        Assert.That(inspect.Output, Does.Not.Contain("base constructor"));
    }

    [Test]
    public void Sandbox_List_And_Show_Should_Tell_What_A_Run_Changed()
    {
        var package = Pack();
        var before = _machine.Workbench("sandbox", "show", package);
        _machine.Workbench("app", "run", package, "--", "write", "hello");

        var list = _machine.Workbench("sandbox", "list", package);
        var show = _machine.Workbench("sandbox", "show", package);

        Assert.That(before.ExitCode, Is.Zero, before.ToString());
        Assert.That(before.Output, Does.Contain("Files written: 0 (0 bytes)"));
        Assert.That(list.Output, Does.Contain("written").And.Contain("%Profile%/fileapp-notes.txt").And.Contain("%AppData%/FileApp/settings.txt"), list.ToString());
        Assert.That(show.Output, Does.Contain("Files written: 4 (").And.Contain(_machine.Sandbox("FileApp-writecopy")), show.ToString());
    }
}
