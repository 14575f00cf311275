using System.Runtime.InteropServices;

namespace VirtualizationWorkbench.Workbench.Terminal;

/// <summary>
/// Owns the terminal while the UI runs: the alternate screen, the hidden cursor, Ctrl+C read as a key. Restores
/// all of it exactly once — on dispose, on SIGTERM/SIGHUP/SIGQUIT, on process exit and on an unhandled exception
/// on any thread — so the student's shell is never left in a broken state.
/// </summary>
public sealed class TerminalSession : IDisposable
{
    // Alternate screen on, cursor hidden, home, clear.
    private const string EnterSequence = "\u001b[?1049h\u001b[?25l\u001b[H\u001b[2J";
    // Attributes reset, cursor shown, alternate screen off (the shell's screen comes back as it was).
    private const string LeaveSequence = "\u001b[0m\u001b[?25h\u001b[?1049l";

    private readonly Stream output;
    private readonly List<PosixSignalRegistration> signals = [];
    private int restored;

    private TerminalSession()
    {
        output = Console.OpenStandardOutput();
        Console.TreatControlCAsInput = true;
        AppDomain.CurrentDomain.UnhandledException += OnUnhandled;
        AppDomain.CurrentDomain.ProcessExit += OnExit;
        foreach (var signal in new[] { PosixSignal.SIGTERM, PosixSignal.SIGHUP, PosixSignal.SIGQUIT })
        {
            signals.Add(PosixSignalRegistration.Create(signal, OnSignal));
        }
        Write(EnterSequence);
    }

    /// <summary>Switches the terminal to the UI.</summary>
    public static TerminalSession Enter() => new();

    /// <summary>Writes one frame: cursor home, then the frame's lines.</summary>
    public void Draw(string frame) => Write("\u001b[H" + frame.Replace("\n", "\r\n", StringComparison.Ordinal));

    /// <summary>Gives the terminal back (idempotent).</summary>
    public void Restore()
    {
        if (Interlocked.Exchange(ref restored, 1) == 1) return;
        try
        {
            Write(LeaveSequence);
            Console.TreatControlCAsInput = false;
        }
        catch (IOException)
        {
            // The terminal is gone (the window closed): there is nothing left to restore.
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        Restore();
        AppDomain.CurrentDomain.UnhandledException -= OnUnhandled;
        AppDomain.CurrentDomain.ProcessExit -= OnExit;
        foreach (var signal in signals) signal.Dispose();
    }

    private void Write(string text)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(text);
        lock (output)
        {
            output.Write(bytes);
            output.Flush();
        }
    }

    private void OnUnhandled(object? sender, UnhandledExceptionEventArgs e) => Restore();

    private void OnExit(object? sender, EventArgs e) => Restore();

    private void OnSignal(PosixSignalContext context) => Restore();
}
