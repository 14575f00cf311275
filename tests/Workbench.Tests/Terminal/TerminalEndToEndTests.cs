using System.Text.RegularExpressions;

namespace VirtualizationWorkbench.Workbench.Tests.Terminal;

/// <summary>The real <c>workbench</c> in a real terminal (tmux): what a student sees and does. Few walks, each
/// covering much: these are the slowest tests of the suite.</summary>
[Category(TestCategories.EndToEnd)]
[NonParallelizable]
public sealed partial class TerminalEndToEndTests
{
    private string home = null!;
    private TmuxSession tmux = null!;

    [SetUp]
    public void SetUp() => home = Directory.CreateTempSubdirectory("vwb-tui-e2e-").FullName;

    [TearDown]
    public void TearDown()
    {
        tmux?.Dispose();
        Directory.Delete(home, recursive: true);
    }

    private TmuxSession Open(int width, int height, params (string, string)[] extra)
    {
        var environment = new Dictionary<string, string>
        {
            ["WORKBENCH_HOME"] = home,
            ["WORKBENCH_LABS"] = Path.Combine(WorkbenchProcess.RepositoryRoot, "labs"),
            ["TERM"] = "xterm-256color",
            ["LANG"] = "C.UTF-8",
            ["LC_ALL"] = "C.UTF-8",
            ["DOTNET_NOLOGO"] = "1",
        };
        foreach (var (k, v) in extra) environment[k] = v;
        tmux = new TmuxSession(width, height, environment);
        // The work folder `lab start` makes goes under the current folder.
        tmux.Type($"cd '{home}'");
        tmux.Keys("Enter");
        return tmux;
    }

    private void AssertRestored(string exit = "exit=0")
    {
        var screen = tmux.WaitFor(exit);
        Assert.That(screen, Does.Contain("before-the-ui"), "the shell's screen is back");
        Assert.That(screen, Does.Not.Contain("Virtualization Workbench │"), "the UI is gone");
        Assert.That(tmux.AlternateScreen, Is.False, "the alternate screen is left");
        Assert.That(tmux.CursorVisible, Is.True, "the cursor is shown again");
        Assert.That(tmux.KeypadModes, Is.EqualTo("0 0"), "application keypad and cursor-key modes are off");
    }

    /// <summary>A student's lab from start to grade, at 80×24: the lab opens from the home screen, starts its work
    /// folder, sees a saved file pass its step (watch mode), grades with a spinner (Esc cancels), inspects the
    /// step's program, follows a link of the lesson, and quits with the terminal restored.</summary>
    [Test]
    [CancelAfter(90_000)]
    public void Walks_A_Lab_From_Start_To_Grade_At_80_By_24()
    {
        Open(80, 24);
        tmux.StartWorkbench();
        var homeScreen = tmux.WaitFor("open a package");
        Assert.That(homeScreen, Does.Contain("01-machine  The machine"));
        // The keys that do not fit one status bar at 80 columns go on a second, not cut off.
        Assert.That(homeScreen, Does.Contain("x  experiments").And.Contain("q  quit"));
        // The selected row whole, wrapped under the list.
        tmux.Keys("Down");
        tmux.WaitFor("Lab 02-partitioning");
        tmux.Keys("Down", "Down");
        var fourth = tmux.WaitFor("Lab 04-application-virtualization");
        Assert.That(fourth, Does.Contain("and a sandboxed package · 0/7 steps"), "lab 04's title, cut in its row, whole under the list");
        tmux.Keys("Home");
        Assert.That(tmux.AlternateScreen, Is.True);
        tmux.Keys("Enter");
        tmux.WaitFor("Lab 01-machine");
        tmux.Keys("s");
        var work = Path.Combine(home, "work", "01-machine");
        tmux.WaitFor("ring3.s");
        Assert.That(File.Exists(Path.Combine(work, "ring3.s")), Is.True, "the work folder was made");
        tmux.Keys("End");
        tmux.WaitFor("Your turn");
        File.Copy(Path.Combine(WorkbenchProcess.RepositoryRoot, "labs", "01-machine", "Solution", "work", "ring3.s"), Path.Combine(work, "ring3.s"), overwrite: true);
        var passed = tmux.WaitFor("step 6 passes");
        Assert.That(passed, Does.Contain("✓ 6."));
        Assert.That(passed, Does.Contain("✎ ring3.s"), "the changed file is marked");
        tmux.Keys("g");
        var grading = tmux.WaitFor("grading Lab01.SystemCalls");
        Assert.That(grading, Does.Contain("(Esc cancels)"));
        Assert.That(Spinner().IsMatch(grading), Is.True, "a spinner turns beside the message:\n" + grading);
        tmux.Keys("Escape");
        tmux.WaitFor("cancelled");
        tmux.Keys("Home");
        tmux.WaitFor("Run a program");
        tmux.Keys("i");
        var inspector = tmux.WaitFor("Machine inspector: first.s");
        Assert.That(inspector, Does.Contain("RING 0"));
        tmux.Keys("s");
        tmux.WaitFor("r1  00000028");
        tmux.Keys("b");
        tmux.WaitFor("r1  00000000");
        tmux.Keys("q");
        tmux.WaitFor("Lab 01-machine");
        tmux.Keys("o");
        tmux.WaitFor("Lesson: 01 The machine");
        tmux.Keys("Tab", "Enter");
        tmux.WaitFor(s => LessonTitle().Matches(s).Count == 1 && !s.Contains("Lesson: 01 The machine", StringComparison.Ordinal), "a followed link to open another lesson");
        // Back through the lessons, the lab and home: four screens.
        tmux.Keys("q", "q", "q", "q");
        AssertRestored();
        Assert.That(File.ReadAllText(Path.Combine(home, "progress.json")), Does.Match(@"""stepsDone"":\s*\[\s*6\s*\]"));
    }

    /// <summary>At 120×40: a click opens a lab, the inspector runs a kernel under binary translation to its end
    /// with the monitor's statistics, a resize lays the screen
    /// out again, a package that does not exist is an error line (not the end of the UI), and Ctrl+C restores
    /// the terminal.</summary>
    [Test]
    [CancelAfter(60_000)]
    public void Clicks_Runs_Resizes_And_Quits_With_Ctrl_C_At_120_By_40()
    {
        Open(120, 40);
        tmux.StartWorkbench();
        var screen = tmux.WaitFor("open a package");
        var row = screen.Split('\n').ToList().FindIndex(l => l.Contains("05-full-virtualization", StringComparison.Ordinal));
        tmux.Click(10, row);
        tmux.WaitFor("Lab 05-full-virtualization");
        tmux.Keys("q");
        tmux.WaitFor("open a package");
        tmux.Keys("p");
        tmux.Type("no-such.vapp");
        tmux.Keys("Enter");
        tmux.WaitFor("'no-such.vapp' does not exist");
        tmux.Keys("i");
        tmux.Type(Path.Combine(WorkbenchProcess.RepositoryRoot, "labs", "guests", "minikernel.s") + " -m binary-translation");
        tmux.Keys("Enter");
        tmux.WaitFor("Machine inspector: minikernel.s under binary-translation");
        tmux.Keys("r");
        var halted = tmux.WaitFor("the guest halted under binary-translation");
        Assert.That(halted, Does.Contain("all tasks finished"), "the guest console");
        Assert.That(halted, Does.Match(@"callouts\s+[1-9]"), "the monitor's statistics");
        tmux.Resize(80, 24);
        tmux.WaitFor(s => s.Split('\n').Length >= 24 && s.Split('\n')[23].Contains("step", StringComparison.Ordinal)
            && s.Split('\n')[0].Contains("Machine inspector: minikernel.s under binary-translation", StringComparison.Ordinal), "the title on line 1 and the status bar on line 24");
        var narrow = tmux.Screen();
        Assert.That(narrow.Split('\n').Take(24).Select(l => l.TrimEnd().Length), Has.All.LessThanOrEqualTo(80));
        // At 80 columns nothing that matters is cut: the whole state and every statistic's whole value.
        Assert.That(narrow, Does.Match(@"halted after [\d,]+ instructions"));
        Assert.That(narrow, Does.Match(@"(?<![-\w])instructions +\d{1,3}(,\d{3})+ "), "the instructions' whole value");
        tmux.Keys("C-c");
        AssertRestored();
    }

    /// <summary>The lab views at 120×40: v on a step of lab 09 runs its checks and lists the two volume groups they
    /// built; one opens with its disks' extent strips and a selected volume's extent map; on lab 10, the network a
    /// step ran opens with its port table, runs on and takes a change of a port's VLAN; on lab 04, the program step 1 compiled steps beside its source;
    /// the experiments screen draws the storage experiment.</summary>
    [Test]
    [CancelAfter(90_000)]
    public void Opens_What_A_Steps_Checks_Built_In_Its_View()
    {
        Open(120, 40);
        tmux.StartWorkbench();
        var screen = tmux.WaitFor("open a package");
        tmux.Click(10, screen.Split('\n').ToList().FindIndex(l => l.Contains("09-storage-virtualization", StringComparison.Ordinal)));
        tmux.WaitFor("Lab 09-storage-virtualization");
        tmux.Keys("v");
        tmux.WaitFor("What step 1's checks built");
        tmux.Keys("Enter");
        // Disk 1's extents all belong to volume A; the selected volume's map is drawn.
        var storage = tmux.WaitFor(s => Regex.IsMatch(s, @"disk1\s+0/\d+\s+free AAAA") && s.Contains("LE 0-", StringComparison.Ordinal), "disk 1's extent strip and the map of volume data");
        Assert.That(storage, Does.Contain("Storage: volume group as step 1's checks left it").And.Contain("Extent map of data"));
        tmux.Keys("q", "q", "q");
        screen = tmux.WaitFor("open a package");
        tmux.Click(10, screen.Split('\n').ToList().FindIndex(l => l.Contains("10-network-virtualization", StringComparison.Ordinal)));
        tmux.WaitFor("Lab 10-network-virtualization");
        tmux.Keys("s");
        var three = Path.Combine(home, "work", "10-network-virtualization", "three.net");
        tmux.WaitFor(s => s.Contains("watched", StringComparison.Ordinal) && File.Exists(three), "the work folder, watched");
        File.Copy(Path.Combine(WorkbenchProcess.RepositoryRoot, "labs", "10-network-virtualization", "Solution", "work", "three.net"), three, overwrite: true);
        tmux.WaitFor("step 1 fails");   // the save was checked (its question is not answered yet)
        tmux.Keys("v");
        // c's port sent frames during the checks.
        var network = tmux.WaitFor(s => Regex.IsMatch(s, @"sw\.3\s+\d+\s+[1-9]"), "c's port row with the frames it sent");
        Assert.That(network, Does.Contain("Network: ").And.Contain("Topology"));
        tmux.Keys("r");
        tmux.WaitFor("(running)");
        // c changes a port while the network runs: c's port leaves VLAN 1 for VLAN 20, and the changes are listed.
        tmux.Keys("c");
        tmux.WaitFor("change a port now");
        tmux.Type("port sw.3 access vlan=20");
        tmux.Keys("Enter");
        tmux.WaitFor(s => Regex.IsMatch(s, @"\d+ms port sw\.3 access vlan=20") && Regex.IsMatch(s, @"sw\.3 .*access vlan=20"), "the change listed and c's port in VLAN 20");
        tmux.Keys("q", "q");
        screen = tmux.WaitFor("open a package");
        // Lab 04: the program step 1 compiled opens in the application VM's stepper, its source beside the VM.
        tmux.Click(10, screen.Split('\n').ToList().FindIndex(l => l.Contains("04-application-virtualization", StringComparison.Ordinal)));
        tmux.WaitFor("Lab 04-application-virtualization");
        tmux.Keys("s");
        var squares = Path.Combine(home, "work", "04-application-virtualization", "squares.wl");
        tmux.WaitFor(s => s.Contains("watched", StringComparison.Ordinal) && File.Exists(squares), "the work folder, watched");
        File.Copy(Path.Combine(WorkbenchProcess.RepositoryRoot, "labs", "04-application-virtualization", "Solution", "work", "squares.wl"), squares, overwrite: true);
        tmux.WaitFor("step 1 fails");   // the save was checked (its question is not answered yet)
        tmux.Keys("v");
        tmux.WaitFor("Application VM: squares.wl, from step 1's checks");
        tmux.Keys("s", "s");
        var stepped = tmux.WaitFor(s => s.Contains("2 steps", StringComparison.Ordinal) && Regex.IsMatch(s, @"→\s+19 +var a = array\(n\);"), "two steps: the current line is 19");
        Assert.That(stepped, Does.Contain("locals n = 20"));
        tmux.Keys("e");
        tmux.WaitFor(s => s.Contains("finished: main returned 0", StringComparison.Ordinal) && Regex.IsMatch(s, @"│  2870 +│"), "the end, with the output");
        tmux.Keys("q", "q");
        tmux.WaitFor("open a package");
        tmux.Keys("x");
        screen = tmux.WaitFor("Enter runs the selected experiment");
        tmux.Click(4, screen.Split('\n').ToList().FindIndex(l => l.Contains("thin against thick", StringComparison.Ordinal)));   // a click runs it
        tmux.WaitFor(s => s.Contains("Resynchronising a mirror leg", StringComparison.Ordinal) && Regex.IsMatch(s, "thick +█"), "the storage experiment drawn as bars");
        tmux.Keys("q", "q");
        AssertRestored();
    }

    [Test]
    [CancelAfter(30_000)]
    public void Restores_The_Terminal_When_Terminated_By_A_Signal()
    {
        Open(100, 30);
        tmux.StartWorkbench();
        tmux.WaitFor("open a package");
        // The shell in the pane is the workbench's parent: signal exactly its children.
        using var kill = System.Diagnostics.Process.Start("pkill", ["-TERM", "-P", tmux.ShellProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture)])!;
        kill.WaitForExit();
        Assert.That(kill.ExitCode, Is.Zero, "a workbench process was found and signalled");
        AssertRestored("exit=143");
    }

    [Test]
    [CancelAfter(30_000)]
    public void Draws_Without_Colour_When_NO_COLOR_Is_Set()
    {
        // With the UI's trace on as well (what workbench-bench ui reads): it notes keys and frames, and is written on quit.
        var trace = Path.Combine(home, "ui-trace.txt");
        Open(100, 30, ("NO_COLOR", "1"), ("WORKBENCH_UI_TRACE", trace));
        tmux.StartWorkbench();
        tmux.WaitFor("open a package");
        var plain = tmux.ScreenWithAttributes();
        Assert.That(Colours().IsMatch(plain), Is.False, "no colour escape under NO_COLOR:\n" + plain);
        Assert.That(plain, Does.Contain("\u001b[7m"), "the selection still shows (inverse video)");
        tmux.Keys("j");
        tmux.Keys("q");
        AssertRestored();
        var lines = File.ReadAllLines(trace);
        var keys = lines.Where(l => l.StartsWith("key ", StringComparison.Ordinal)).ToList();
        Assert.That(keys.Select(l => l.Split(' ')[2]), Is.EqualTo(new[] { "j", "q" }), string.Join('\n', lines));
        var down = double.Parse(keys[0].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        Assert.That(lines.Where(l => l.StartsWith("frame ", StringComparison.Ordinal)).Select(l => double.Parse(l.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture)),
            Has.Some.GreaterThan(down), "a frame drawn after the key moved the selection");
    }

    /// <summary><c>workbench network view</c> at 100×40: the Telekom scenario's trunk in the topology, time run a
    /// millisecond at a time until IPTV's VLAN has delivered frames, a port changed while it runs.</summary>
    [Test]
    [CancelAfter(60_000)]
    public void Network_View_Runs_A_Scenario_Live_And_Takes_A_Change()
    {
        Open(100, 40);
        tmux.StartWorkbench("network view telekom-entertain");
        var screen = tmux.WaitFor("Network: Telekom Entertain");
        Assert.That(screen, Does.Contain("1 ══ home.1   [trunk allowed=7,8]"));
        tmux.Keys("r");
        tmux.WaitFor(s => Regex.IsMatch(s, @"^\s+8\s+[1-9]\d*\s", RegexOptions.Multiline), "VLAN 8's row with frames delivered");
        tmux.Keys("c");
        tmux.WaitFor("change a port now");
        tmux.Type("port isp.3 access vlan=8 priority=0");
        tmux.Keys("Enter");
        tmux.WaitFor(s => Regex.IsMatch(s, @"\d+(\.\d)?ms port isp\.3 access vlan=8"), "the change listed");
        tmux.Keys("q");
        AssertRestored();
    }

    [Test]
    public void Says_So_And_Points_To_The_Plain_Commands_When_Output_Is_Not_A_Terminal()
    {
        var result = WorkbenchProcess.Run(WorkbenchProcess.RepositoryRoot);
        Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString());
        Assert.That(result.Errors, Does.Contain("needs a terminal"));
        Assert.That(result.Errors, Does.Contain("workbench lab list"));
        Assert.That(result.Output, Is.Empty, "nothing drawn");
    }

    [GeneratedRegex(@"^ (Virtualization Workbench │ )?Lesson: ", RegexOptions.Multiline)]
    private static partial Regex LessonTitle();

    // Terminal.Gui's default spinner frames, at the start of the message line.
    [GeneratedRegex(@"^[|/\-\\] grading", RegexOptions.Multiline)]
    private static partial Regex Spinner();

    // A foreground or background colour: 30-37, 40-47, 90-97, 100-107, or 38;/48; extended colours.
    [GeneratedRegex(@"\u001b\[(?:[0-9;]*;)?(?:3[0-7]|4[0-7]|9[0-7]|10[0-7]|38;|48;)[0-9;]*m")]
    private static partial Regex Colours();
}
