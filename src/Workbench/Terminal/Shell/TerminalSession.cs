using System.Runtime.InteropServices;
using Terminal.Gui.App;

namespace VirtualizationWorkbench.Workbench.Terminal.Shell;

/// <summary>
/// Runs the workbench's shell on Terminal.Gui and gives the terminal back however the run ends. Terminal.Gui
/// restores the screen, the cursor and the line discipline when it shuts down; this adds what it leaves behind
/// (application-keypad and cursor-keys modes, mouse reporting) and turns SIGINT, SIGTERM, SIGHUP and SIGQUIT into
/// an orderly quit, so the student's shell is never left on the alternate screen with a hidden cursor. A run
/// ended by a signal exits with 128 + the signal's number, as a shell expects.
/// </summary>
public static class TerminalSession
{
    // Keypad and cursor keys back to normal mode, mouse reporting off (every mode Terminal.Gui may turn on),
    // bracketed paste off, attributes reset, cursor shown.
    private const string ModesOff =
        "\u001b[?1l\u001b>\u001b[?1000l\u001b[?1002l\u001b[?1003l\u001b[?1006l\u001b[?1015l\u001b[?2004l\u001b[0m\u001b[?25h";
    // Only when Terminal.Gui could not shut down itself: the alternate screen off too (after an orderly shutdown
    // it is off already, and switching it off again would move the cursor to where it was saved).
    private const string AlternateScreenOff = "\u001b[?1049l";

    /// <summary>How long an orderly quit after a signal may take before the terminal is restored by hand and the
    /// process ends anyway (the UI thread may be stuck).</summary>
    private static readonly TimeSpan SignalGrace = TimeSpan.FromSeconds(2);

    /// <summary>The Terminal.Gui driver: <c>WORKBENCH_DRIVER</c> if set (<c>ansi</c>, <c>dotnet</c>), else the
    /// pure-ANSI driver, which behaves the same in every terminal emulator, tmux included.</summary>
    public static string Driver => Environment.GetEnvironmentVariable("WORKBENCH_DRIVER") is { Length: > 0 } d ? d : "ansi";

    /// <summary>Runs a shell whose first screen <paramref name="first"/> makes, until the student quits.
    /// Returns the exit code (0, or 128 + a signal's number).</summary>
    public static int Run(Func<Screen> first)
    {
        var exitCode = 0;
        var restored = 0;
        void Restore(bool leaveAlternateScreen)
        {
            if (Interlocked.Exchange(ref restored, 1) == 1) return;
            try
            {
                using var output = Console.OpenStandardOutput();
                output.Write(System.Text.Encoding.ASCII.GetBytes(leaveAlternateScreen ? ModesOff + AlternateScreenOff : ModesOff));
                output.Flush();
            }
            catch (IOException)
            {
                // The terminal is gone (the window closed): there is nothing left to restore.
            }
        }
        using var app = Application.Create();
        var shell = (WorkbenchShell?)null;
        var trace = (UiTrace?)null;
        var signals = new List<PosixSignalRegistration>();
        void OnSignal(PosixSignalContext context)
        {
            context.Cancel = true;
            exitCode = 128 + SignalNumber(context.Signal);
            app.Invoke(() => shell?.Quit());
            // If the UI thread does not get to it, restore by hand and go.
            Task.Delay(SignalGrace).ContinueWith(_ =>
            {
                Restore(leaveAlternateScreen: true);
                Environment.Exit(exitCode);
            }, TaskScheduler.Default);
        }
        void OnCrash(object? sender, UnhandledExceptionEventArgs e) => Restore(leaveAlternateScreen: true);
        AppDomain.CurrentDomain.UnhandledException += OnCrash;
        try
        {
            foreach (var signal in new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM, PosixSignal.SIGHUP, PosixSignal.SIGQUIT })
            {
                signals.Add(PosixSignalRegistration.Create(signal, OnSignal));
            }
            // The first screen is made before the terminal is taken: a lab that cannot be read is reported on the
            // plain terminal.
            var screen = first();
            app.Init(Driver);
            trace = UiTrace.Attach(app);
            shell = new WorkbenchShell();
            if (Monochrome.Wanted) shell.UseScheme(Monochrome.Scheme);
            shell.Open(screen);
            app.AddTimeout(TimeSpan.FromMilliseconds(1000.0 / WorkbenchShell.AnimationRate), () =>
            {
                shell.Tick();
                return true;
            });
            app.Run(shell);
            shell.Dispose();
            trace?.Write();
        }
        finally
        {
            foreach (var signal in signals) signal.Dispose();
            app.Dispose();
            // After Terminal.Gui's own shutdown: the modes it does not turn off.
            Restore(leaveAlternateScreen: false);
            AppDomain.CurrentDomain.UnhandledException -= OnCrash;
        }
        return exitCode;
    }

    private static int SignalNumber(PosixSignal signal) => signal switch
    {
        PosixSignal.SIGHUP => 1,
        PosixSignal.SIGINT => 2,
        PosixSignal.SIGQUIT => 3,
        _ => 15,
    };
}
