using System.Diagnostics;
using System.Globalization;
using Terminal.Gui.App;

namespace VirtualizationWorkbench.Workbench.Terminal.Shell;

/// <summary>
/// The UI's own clock, for measuring it from inside (<c>workbench-bench ui</c>): with <c>WORKBENCH_UI_TRACE</c>
/// naming a file, every key the application receives and every frame it finishes laying out and drawing is noted
/// with its time, and the notes are written to that file when the UI ends, one per line: <c>key MS NAME</c> or
/// <c>frame MS</c>. A key's latency is then the time to the first frame after it, without the terminal's or
/// tmux's own delays. Off (nothing recorded) when the variable is not set.
/// </summary>
public sealed class UiTrace
{
    /// <summary>The variable naming the file the trace is written to.</summary>
    public const string Variable = "WORKBENCH_UI_TRACE";

    private readonly string file;
    private readonly Stopwatch clock = Stopwatch.StartNew();
    private readonly List<(double Ms, string Event)> notes = new(capacity: 1 << 16);

    private UiTrace(string file) => this.file = file;

    /// <summary>Starts tracing <paramref name="app"/> if the variable asks for it; null otherwise.</summary>
    public static UiTrace? Attach(IApplication app)
    {
        if (Environment.GetEnvironmentVariable(Variable) is not { Length: > 0 } file) return null;
        var trace = new UiTrace(Path.GetFullPath(file));
        app.Keyboard.KeyDown += (_, key) => trace.Note("key " + key);
        app.LayoutAndDrawComplete += (_, _) => trace.Note("frame");
        return trace;
    }

    private void Note(string what)
    {
        // Events come from the UI thread; a lock keeps a signal-driven quit from writing while one is added.
        lock (notes) notes.Add((clock.Elapsed.TotalMilliseconds, what));
    }

    /// <summary>Writes the notes (to a temporary file first, renamed into place).</summary>
    public void Write()
    {
        var temporary = file + ".tmp";
        lock (notes)
        {
            File.WriteAllLines(temporary, notes.Select(n =>
            {
                var space = n.Event.IndexOf(' ', StringComparison.Ordinal);
                var kind = space < 0 ? n.Event : n.Event[..space];
                var rest = space < 0 ? "" : n.Event[space..];
                return kind + " " + n.Ms.ToString("F3", CultureInfo.InvariantCulture) + rest;
            }));
        }
        File.Move(temporary, file, overwrite: true);
    }
}
