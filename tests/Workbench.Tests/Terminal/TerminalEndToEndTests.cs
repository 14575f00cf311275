using System.Text.RegularExpressions;

namespace VirtualizationWorkbench.Workbench.Tests.Terminal;

/// <summary>The real <c>workbench</c> in a real terminal (tmux): what a student sees and does.</summary>
[Category(TestCategories.EndToEnd)]
[NonParallelizable]
public sealed partial class TerminalEndToEndTests
{
    private string home = null!;
    private TmuxSession tmux = null!;

    [SetUp]
    public void SetUp()
    {
        home = Directory.CreateTempSubdirectory("vwb-tui-e2e-").FullName;
        tmux = Open(100, 30);
    }

    [TearDown]
    public void TearDown()
    {
        tmux.Dispose();
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
        return new TmuxSession(width, height, environment);
    }

    private void AssertRestored(string exit = "exit=0")
    {
        var screen = tmux.WaitFor(exit);
        Assert.That(screen, Does.Contain("before-the-ui"), "the shell's screen is back");
        Assert.That(screen, Does.Not.Contain("Virtualization Workbench │"), "the UI is gone");
        Assert.That(tmux.AlternateScreen, Is.False, "the alternate screen is left");
        Assert.That(tmux.CursorVisible, Is.True, "the cursor is shown again");
    }

    [Test]
    public void Opens_The_Home_Screen_And_Restores_The_Terminal_On_Quit()
    {
        tmux.StartWorkbench();
        var screen = tmux.WaitFor("? help");
        Assert.That(screen, Does.Contain("01-machine  The machine, its rings and its traps"));
        Assert.That(screen, Does.Contain("Lessons"));
        Assert.That(tmux.AlternateScreen, Is.True);
        Assert.That(tmux.CursorVisible, Is.False);
        tmux.Keys("q");
        AssertRestored();
    }

    [Test]
    public void Opens_A_Lesson_Scrolls_And_Searches()
    {
        tmux.StartWorkbench();
        tmux.WaitFor("? help");
        // The home list holds the labs, then the lessons: step past every lab and lesson 00.
        var labCount = Directory.EnumerateDirectories(Path.Combine(WorkbenchProcess.RepositoryRoot, "labs")).Count(d => File.Exists(Path.Combine(d, "lab.md")));
        tmux.Keys([.. Enumerable.Repeat("j", labCount + 1), "Enter"]);
        var first = tmux.WaitFor("Lesson: 01 The machine");
        Assert.That(first, Does.Contain("What you will learn"));
        tmux.Keys("NPage");
        var scrolled = tmux.WaitFor(s => !s.Contains("What you will learn", StringComparison.Ordinal), "the page to scroll");
        Assert.That(Percent(scrolled), Is.GreaterThan(Percent(first)));
        tmux.Type("/TLB");
        tmux.Keys("Enter");
        var found = tmux.WaitFor(s => MatchLine().IsMatch(s), "'match N of M'");
        Assert.That(found, Does.Contain("TLB"));
        tmux.Keys("Escape");
        tmux.WaitFor("Lessons");
        tmux.Keys("q");
        AssertRestored();
    }

    [Test]
    public void Runs_A_Lab_Step_And_Sees_Its_Check_Pass()
    {
        tmux.StartWorkbench();
        tmux.WaitFor("? help");
        tmux.Keys("Enter");
        tmux.WaitFor("Lab 01-machine");
        tmux.Keys("c");
        tmux.WaitFor("step 1 fails: 2 of 3 checks hold");
        tmux.Keys("a");
        tmux.WaitFor("answer first-instructions:");
        tmux.Type("3");
        tmux.Keys("Enter");
        tmux.WaitFor("recorded first-instructions = 3");
        tmux.Keys("c");
        var screen = tmux.WaitFor("step 1 passes");
        Assert.That(screen, Does.Contain("✓ 1. Run a program"));
        Assert.That(screen, Does.Contain("Check: PASS"));
        tmux.Keys("q", "q");
        AssertRestored();
        var progress = File.ReadAllText(Path.Combine(home, "progress.json"));
        Assert.That(progress, Does.Contain("\"stepsDone\": [\n        1\n      ]").Or.Contains("\"stepsDone\": [1]").Or.Match(@"""stepsDone"":\s*\[\s*1\s*\]"));
    }

    [Test]
    public void Opens_The_Inspector_From_A_Lab_And_Single_Steps()
    {
        tmux.StartWorkbench();
        tmux.WaitFor("? help");
        tmux.Keys("Enter");
        tmux.WaitFor("Lab 01-machine");
        tmux.Keys("i");
        var before = tmux.WaitFor("Machine inspector: first.s");
        Assert.That(before, Does.Contain("pc 00001000"));
        Assert.That(before, Does.Contain("RING 0"));
        tmux.Keys("s");
        var after = tmux.WaitFor("pc 00001008");
        Assert.That(after, Does.Contain("r1  00000028"));
        tmux.Keys("s");
        tmux.WaitFor("r1  0000002a");
        tmux.Keys("b");
        tmux.WaitFor("r1  00000028");
        tmux.Keys("q", "q", "q");
        AssertRestored();
    }

    [Test]
    public void Inspects_A_Program_File_Directly_And_Runs_It()
    {
        var program = Path.Combine(home, "count.s");
        File.WriteAllText(program, "start:\n    li r1, 0\nloop:\n    addi r1, r1, 1\n    li r2, 50000\n    cmp r1, r2\n    jne loop\n    hlt\n");
        tmux.StartWorkbench($"inspect '{program}'");
        tmux.WaitFor("Machine inspector: count.s");
        tmux.Keys("r");
        var halted = tmux.WaitFor("the machine halted");
        Assert.That(halted, Does.Contain("r1  0000c350"));
        tmux.Keys("q");
        AssertRestored();
    }

    [Test]
    public void Ctrl_C_Leaves_And_Restores_The_Terminal()
    {
        tmux.StartWorkbench();
        tmux.WaitFor("? help");
        tmux.Keys("Enter");
        tmux.WaitFor("Lab 01-machine");
        tmux.Keys("C-c");
        AssertRestored();
    }

    [Test]
    public void Restores_The_Terminal_When_Terminated_By_A_Signal()
    {
        tmux.StartWorkbench();
        tmux.WaitFor("? help");
        tmux.Keys("Enter");
        tmux.WaitFor("Lab 01-machine");
        // The shell in the pane is the workbench's parent: signal exactly its children.
        using var kill = System.Diagnostics.Process.Start("pkill", ["-TERM", "-P", tmux.ShellProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture)])!;
        kill.WaitForExit();
        Assert.That(kill.ExitCode, Is.Zero, "a workbench process was found and signalled");
        AssertRestored("exit=143");
    }

    [Test]
    public void Lays_Out_Again_When_The_Window_Is_Resized()
    {
        tmux.StartWorkbench();
        tmux.WaitFor("? help");
        tmux.Resize(80, 24);
        var screen = tmux.WaitFor(s => s.Split('\n').Length >= 24 && s.Split('\n')[23].StartsWith("? help", StringComparison.Ordinal)
            && s.Split('\n')[0].StartsWith(" Virtualization Workbench │ Home", StringComparison.Ordinal), "the title on line 1 and the key bar on line 24");
        Assert.That(screen.Split('\n')[0], Does.StartWith(" Virtualization Workbench │ Home"));
        Assert.That(screen.Split('\n').Take(24).Select(l => l.TrimEnd().Length), Has.All.LessThanOrEqualTo(80));
        tmux.Keys("q");
        AssertRestored();
    }

    [Test]
    public void Draws_Without_Colour_When_NO_COLOR_Is_Set()
    {
        tmux.StartWorkbench();
        Assert.That(Colours().IsMatch(WaitForAttributes()), Is.True, "colours by default");
        tmux.Keys("q");
        AssertRestored();
        tmux.Dispose();
        tmux = Open(100, 30, ("NO_COLOR", "1"));
        tmux.StartWorkbench();
        var plain = WaitForAttributes();
        Assert.That(Colours().IsMatch(plain), Is.False, "no colour escape under NO_COLOR");
        Assert.That(plain, Does.Contain("\u001b[7m"), "the selection still shows (inverse video)");
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

    private string WaitForAttributes()
    {
        tmux.WaitFor("? help");
        return tmux.ScreenWithAttributes();
    }

    private static int Percent(string screen) => int.Parse(PercentPattern().Match(screen).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^match \d+ of \d+", RegexOptions.Multiline)]
    private static partial Regex MatchLine();

    [GeneratedRegex(@"\((\d+)%\)")]
    private static partial Regex PercentPattern();

    // A foreground or background colour: 30-37, 40-47, 90-97, 100-107, or 38;/48; extended colours.
    [GeneratedRegex(@"\u001b\[(?:[0-9;]*;)?(?:3[0-7]|4[0-7]|9[0-7]|10[0-7]|38;|48;)[0-9;]*m")]
    private static partial Regex Colours();
}
