using System.Diagnostics;

namespace VirtualizationWorkbench.Workbench.Tests.Terminal;

/// <summary>
/// A detached tmux session of fixed size on a private tmux server, running a plain bash in which the tests start
/// the real <c>workbench</c>. Keys go in with <c>send-keys</c>; the screen comes back with <c>capture-pane</c>.
/// Without tmux the test fails, saying how to install it (CI's <c>.ci/run</c> does).
/// </summary>
internal sealed class TmuxSession : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly string socket = $"vwb-tests-{Environment.ProcessId}-{Guid.NewGuid():N}";
    private const string Name = "ui";

    public TmuxSession(int width, int height, IReadOnlyDictionary<string, string> environment)
    {
        if (!Available()) Assert.Fail("tmux is not installed, and the terminal UI's end-to-end tests drive it: install it (apt-get install tmux; .ci/run does this on CI)");
        var arguments = new List<string> { "new-session", "-d", "-x", $"{width}", "-y", $"{height}", "-s", Name };
        foreach (var (key, value) in environment) arguments.AddRange(["-e", $"{key}={value}"]);
        arguments.AddRange(["bash", "--norc", "--noprofile"]);
        Tmux([.. arguments]);
    }

    /// <summary>Starts the workbench (with <paramref name="arguments"/>) after printing a marker line, and
    /// prints its exit code when it ends.</summary>
    public void StartWorkbench(string arguments = "")
    {
        var dll = Path.Combine(TestContext.CurrentContext.TestDirectory, "workbench.dll");
        Type($"clear; echo before-the-ui; dotnet '{dll}' {arguments}; echo \"exit=$?\"");
        Keys("Enter");
    }

    /// <summary>Types text literally.</summary>
    public void Type(string text) => Tmux("send-keys", "-t", Name, "-l", text);

    /// <summary>Sends keys by tmux name (Enter, Down, NPage, C-c, Escape, q, …).</summary>
    public void Keys(params string[] keys) => Tmux(["send-keys", "-t", Name, .. keys]);

    /// <summary>The visible screen as text.</summary>
    public string Screen() => Tmux("capture-pane", "-p", "-t", Name);

    /// <summary>The visible screen with its escape sequences (colours, attributes).</summary>
    public string ScreenWithAttributes() => Tmux("capture-pane", "-p", "-e", "-t", Name);

    /// <summary>Whether the pane shows the alternate screen.</summary>
    public bool AlternateScreen => Tmux("display-message", "-p", "-t", Name, "#{alternate_on}").Trim() == "1";

    /// <summary>Whether the cursor is visible.</summary>
    public bool CursorVisible => Tmux("display-message", "-p", "-t", Name, "#{cursor_flag}").Trim() == "1";

    /// <summary>Application-keypad and cursor-key modes as "K C" (1 on, 0 off).</summary>
    public string KeypadModes => Tmux("display-message", "-p", "-t", Name, "#{keypad_flag} #{keypad_cursor_flag}").Trim();

    /// <summary>Clicks the left button at column <paramref name="x"/>, row <paramref name="y"/> (from 0), as an
    /// xterm SGR mouse report typed into the pane (what a terminal sends for a click when the application asked
    /// for mouse reports).</summary>
    public void Click(int x, int y)
    {
        Tmux("send-keys", "-t", Name, "-l", $"\u001b[<0;{x + 1};{y + 1}M");
        Tmux("send-keys", "-t", Name, "-l", $"\u001b[<0;{x + 1};{y + 1}m");
    }

    /// <summary>The process id of the shell in the pane.</summary>
    public int ShellProcessId => int.Parse(Tmux("display-message", "-p", "-t", Name, "#{pane_pid}").Trim(), System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Resizes the window.</summary>
    public void Resize(int width, int height) => Tmux("resize-window", "-t", Name, "-x", $"{width}", "-y", $"{height}");

    /// <summary>Waits until the screen satisfies <paramref name="condition"/>, polling; fails with the last screen.</summary>
    public string WaitFor(Func<string, bool> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        var screen = "";
        while (clock.Elapsed < Patience)
        {
            screen = Screen();
            if (condition(screen)) return screen;
            Thread.Sleep(50);
        }
        Assert.Fail($"waited {Patience.TotalSeconds} s for {what}; the screen was:\n{screen}");
        return screen;
    }

    /// <summary>Waits until the screen shows <paramref name="text"/>.</summary>
    public string WaitFor(string text) => WaitFor(s => s.Contains(text, StringComparison.Ordinal), $"'{text}'");

    public void Dispose()
    {
        try
        {
            Tmux("kill-server");
        }
        catch (AssertionException)
        {
            // The server is already gone.
        }
    }

    private static bool Available()
    {
        try
        {
            using var probe = Process.Start(new ProcessStartInfo("tmux", "-V") { RedirectStandardOutput = true, RedirectStandardError = true })!;
            probe.WaitForExit();
            return probe.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    private string Tmux(params string[] arguments)
    {
        var start = new ProcessStartInfo("tmux") { RedirectStandardOutput = true, RedirectStandardError = true };
        // -u: UTF-8 whatever the test runner's locale says, or box-drawing characters count as three cells.
        start.ArgumentList.Add("-u");
        start.ArgumentList.Add("-L");
        start.ArgumentList.Add(socket);
        foreach (var a in arguments) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new AssertionException($"tmux {string.Join(' ', arguments)} failed: {errors.Result}");
        return output.Result;
    }
}
