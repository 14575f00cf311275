using Terminal.Gui.Input;
using Terminal.Gui.ViewBase;

namespace VirtualizationWorkbench.Workbench.Terminal.Shell;

/// <summary>
/// One full-screen page of the workbench (home, a lab, a lesson, the inspector, a package). A screen is thin: it
/// shows its view-model and turns keys into view-model calls. Its keys come from one table (<see cref="Bind"/>):
/// each row becomes a Terminal.Gui command and key binding, a status bar shortcut and a help line.
/// </summary>
public abstract class Screen : View
{
    // Terminal.Gui's commands are an enum; a screen's own actions get values past the library's (it keys its
    // command table by value, so any value works), one per row of the key table.
    private const int FirstScreenCommand = 1000;
    private readonly List<ScreenKey> keys = [];

    /// <summary>A screen filling the body of the shell.</summary>
    protected Screen()
    {
        Width = Dim.Fill();
        Height = Dim.Fill();
        CanFocus = true;
    }

    /// <summary>The title bar's text.</summary>
    public abstract string Heading { get; }

    /// <summary>The key table, most useful first.</summary>
    public IReadOnlyList<ScreenKey> KeyTable => keys;

    /// <summary>The shell showing this screen (set when it is opened).</summary>
    public WorkbenchShell Shell { get; internal set; } = null!;

    /// <summary>Adds a row to the key table and binds its keys.</summary>
    protected void Bind(string label, Action run, params Key[] on) => Add(new ScreenKey(on, label, run));

    /// <summary>Adds a row the status bar leaves out (the help screen lists it).</summary>
    protected void BindQuietly(string label, Action run, params Key[] on) => Add(new ScreenKey(on, label, run, InStatusBar: false));

    private void Add(ScreenKey key)
    {
        var command = (Command)(FirstScreenCommand + keys.Count);
        keys.Add(key);
        AddCommand(command, () =>
        {
            key.Run();
            return true;
        });
        foreach (var k in key.Keys)
        {
            // The table wins over a binding View gives every view (Enter and Space accept or activate).
            if (KeyBindings.TryGet(k, out _)) KeyBindings.Remove(k);
            KeyBindings.Add(k, command);
        }
    }

    /// <summary>Shows a line of news under the screen.</summary>
    protected void Say(string? message) => Shell.Say(message);

    /// <summary>Called when the screen comes back on top (the one above it closed): state may have changed.</summary>
    public virtual void Resume() { }

    /// <summary>Called 15 times a second while the screen is on top: a screen that changes by itself (a running
    /// machine) draws itself again; the others do nothing.</summary>
    public virtual void Tick() { }

    /// <summary>Called when the screen is left for good: stop background work, let go of files.</summary>
    public virtual void Close() { }
}
