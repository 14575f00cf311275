using Terminal.Gui.App;
using Terminal.Gui.Drawing;
using Terminal.Gui.Input;
using Terminal.Gui.ViewBase;
using Terminal.Gui.Views;

namespace VirtualizationWorkbench.Workbench.Terminal.Shell;

/// <summary>
/// The workbench's one window: a title line, the screen on top of a stack of screens, a message line (with a
/// spinner while background work runs, or a prompt), and a status bar built from the screen's key table.
/// Keys that work everywhere: <c>?</c> help, <c>q</c>/<c>Esc</c> back (Esc first cancels background work or a
/// prompt), <c>Ctrl+C</c> quit.
/// </summary>
public sealed class WorkbenchShell : Runnable
{
    private const int Back = 900;
    private const int Help = 901;
    private const int QuitAll = 902;

    private readonly Stack<Screen> screens = new();
    private readonly Label title = new() { X = 0, Y = 0, Width = Dim.Fill(), Height = 1 };
    private readonly View body = new() { X = 0, Y = 1, Width = Dim.Fill(), Height = Dim.Fill(2), CanFocus = true };
    private readonly SpinnerView spinner = new() { X = 0, Y = Pos.AnchorEnd(2), Width = 2, Height = 1, Visible = false, AutoSpin = false };
    private readonly Label message = new() { X = 0, Y = Pos.AnchorEnd(2), Width = Dim.Fill(), Height = 1 };
    private readonly Label promptLabel = new() { X = 0, Y = Pos.AnchorEnd(2), Height = 1, Visible = false };
    private readonly TextField prompt = new() { X = 0, Y = Pos.AnchorEnd(2), Width = Dim.Fill(), Height = 1, Visible = false };
    private readonly StatusBar statusBar = new();
    private CancellationTokenSource? work;
    private Action<string>? answered;

    /// <summary>A shell with nothing open yet; <see cref="Open"/> the first screen.</summary>
    public WorkbenchShell()
    {
        Width = Dim.Fill();
        Height = Dim.Fill();
        CanFocus = true;
        Add(title, body, spinner, message, promptLabel, prompt, statusBar);
        AddCommand((Command)Back, () =>
        {
            GoBack();
            return true;
        });
        AddCommand((Command)Help, () =>
        {
            if (screens.Count > 0 && screens.Peek() is not HelpScreen) Open(new HelpScreen(screens.Peek()));
            return true;
        });
        AddCommand((Command)QuitAll, () =>
        {
            Quit();
            return true;
        });
        KeyBindings.Add(Key.Q, (Command)Back);
        KeyBindings.Add(Key.Esc, (Command)Back);
        KeyBindings.Add(Key.F1, (Command)Help);
        KeyBindings.Add(new Key('?'), (Command)Help);
        KeyBindings.Add(Key.C.WithCtrl, (Command)QuitAll);
        prompt.KeyDown += (_, key) =>
        {
            if (key == Key.Esc)
            {
                key.Handled = true;
                ClosePrompt(null);
            }
            else if (key == Key.Enter)
            {
                key.Handled = true;
                ClosePrompt(prompt.Text);
            }
        };
    }

    /// <summary>The screen on top.</summary>
    public Screen Current => screens.Peek();

    /// <summary>How many screens are open.</summary>
    public int Depth => screens.Count;

    /// <summary>The message line's text.</summary>
    public string Message => message.Text;

    /// <summary>Whether background work is running.</summary>
    public bool Working => work is not null;

    /// <summary>Opens <paramref name="screen"/> on top of the current one.</summary>
    public void Open(Screen screen)
    {
        if (screens.Count > 0) screens.Peek().Visible = false;
        screen.Shell = this;
        screens.Push(screen);
        body.Add(screen);
        Show(screen);
    }

    /// <summary>Closes the screen on top (and the workbench with the last one).</summary>
    public void GoBack()
    {
        if (work is not null)
        {
            Cancel();
            return;
        }
        var closing = screens.Pop();
        closing.Close();
        body.Remove(closing);
        closing.Dispose();
        if (screens.Count == 0)
        {
            RequestStop();
            return;
        }
        var back = screens.Peek();
        back.Visible = true;
        back.Resume();
        Show(back);
    }

    /// <summary>Leaves the workbench: every screen closes (background work is cancelled).</summary>
    public void Quit()
    {
        work?.Cancel();
        while (screens.Count > 0) screens.Pop().Close();
        RequestStop();
    }

    /// <summary>Shows a line of news (or clears it with null).</summary>
    public void Say(string? text)
    {
        message.Text = text ?? "";
        SetNeedsDraw();
    }

    /// <summary>Asks for a line of text in the message line; <paramref name="then"/> gets it when Enter is pressed
    /// (nothing happens on Esc).</summary>
    public void Ask(string question, string initial, Action<string> then)
    {
        answered = then;
        promptLabel.Text = question + ": ";
        promptLabel.Width = promptLabel.Text.Length;
        prompt.X = promptLabel.Text.Length;
        prompt.Text = initial;
        message.Visible = false;
        promptLabel.Visible = true;
        prompt.Visible = true;
        prompt.SetFocus();
    }

    private void ClosePrompt(string? text)
    {
        var then = answered;
        answered = null;
        promptLabel.Visible = false;
        prompt.Visible = false;
        message.Visible = true;
        Current.SetFocus();
        if (text is null) Say("cancelled: nothing changed");
        else then?.Invoke(text);
    }

    /// <summary>
    /// Runs <paramref name="job"/> off the UI thread, with a spinner and <paramref name="what"/> in the message line;
    /// the keys keep working, Esc cancels (the job sees its token cancelled, and its result is dropped).
    /// <paramref name="done"/> gets the result back on the UI thread.
    /// </summary>
    public void Run<T>(string what, Func<CancellationToken, T> job, Action<T> done)
    {
        if (work is not null)
        {
            Say("still working on the last request: wait for it or press Esc to cancel it");
            return;
        }
        var cancel = new CancellationTokenSource();
        work = cancel;
        spinner.Visible = true;
        spinner.AutoSpin = true;
        message.X = 2;
        Say($"{what}… (Esc cancels)");
        Task.Run(() =>
        {
            Action finish;
            try
            {
                var result = job(cancel.Token);
                finish = () => done(result);
            }
            catch (OperationCanceledException)
            {
                finish = () => { };
            }
            catch (Exception e) when (UserError.Describe(e) is { } problem)
            {
                finish = () => Say("error: " + problem);
            }
            App?.Invoke(() =>
            {
                if (!ReferenceEquals(work, cancel)) return;
                EndWork();
                if (!cancel.IsCancellationRequested) finish();
            });
        });
    }

    private void Cancel()
    {
        if (work is not { } cancel) return;
        cancel.Cancel();
        EndWork();
        Say("cancelled");
    }

    private void EndWork()
    {
        work = null;
        spinner.AutoSpin = false;
        spinner.Visible = false;
        message.X = 0;
    }

    /// <summary>Frames per second for screens that change by themselves (a running machine).</summary>
    public const int AnimationRate = 15;

    /// <summary>One animation tick: the screen on top may draw itself again.</summary>
    public void Tick()
    {
        if (screens.Count > 0) screens.Peek().Tick();
    }

    private void Show(Screen screen)
    {
        Say(null);
        title.Text = $" Virtualization Workbench │ {screen.Heading}";
        statusBar.RemoveAll();
        statusBar.Add(new Shortcut(new Key('?'), "help", () => InvokeCommand((Command)Help)));
        foreach (var key in screen.KeyTable.Where(k => k.InStatusBar))
        {
            statusBar.Add(new Shortcut(key.Keys[0], key.Label, key.Run));
        }
        statusBar.Add(new Shortcut(Key.Q, screens.Count > 1 ? "back" : "quit", GoBack));
        screen.SetFocus();
        SetNeedsDraw();
        SetNeedsLayout();
    }

    /// <summary>Draws everything with <paramref name="scheme"/>, the status bar too (it has a scheme of its own).</summary>
    public void UseScheme(Scheme scheme)
    {
        SetScheme(scheme);
        statusBar.SetScheme(scheme);
    }

    /// <summary>Shows the current screen's heading again (it changed: a percentage, a state).</summary>
    public void Retitle() => title.Text = $" Virtualization Workbench │ {Current.Heading}";
}
