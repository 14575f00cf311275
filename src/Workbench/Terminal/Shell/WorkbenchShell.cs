using Terminal.Gui.App;
using Terminal.Gui.Drawing;
using Terminal.Gui.Input;
using Terminal.Gui.ViewBase;
using Terminal.Gui.Views;

namespace VirtualizationWorkbench.Workbench.Terminal.Shell;

/// <summary>
/// The workbench's one window: a title line, the screen on top of a stack of screens, a message line (with a
/// spinner while background work runs, or a prompt), and a status bar built from the screen's key table. What does
/// not fit the window's width wraps instead of being cut: the title onto a second line, a long message or question
/// onto more lines, the keys onto more status bars.
/// Keys that work everywhere: <c>?</c> help, <c>q</c>/<c>Esc</c> back (Esc first cancels background work or a
/// prompt), <c>Ctrl+C</c> quit.
/// </summary>
public sealed class WorkbenchShell : Runnable
{
    private const int Back = 900;
    private const int Help = 901;
    private const int QuitAll = 902;

    private readonly Stack<Screen> screens = new();
    // Longest a title or a message may wrap to; past it, the text is cut (a message's whole text is in the log of
    // the command that made it).
    private const int MostTitleLines = 2;
    private const int MostMessageLines = 5;
    // A question leaves the answer at least this many columns on its line, or the answer goes on a line of its own.
    private const int LeastAnswerWidth = 24;

    private readonly Label title = new() { X = 0, Y = 0, Width = Dim.Fill(), Height = 1 };
    private readonly View body = new() { X = 0, Y = 1, Width = Dim.Fill(), Height = Dim.Fill(2), CanFocus = true };
    private readonly SpinnerView spinner = new() { X = 0, Y = Pos.AnchorEnd(2), Width = 2, Height = 1, Visible = false, AutoSpin = false };
    private readonly Label message = new() { X = 0, Y = Pos.AnchorEnd(2), Width = Dim.Fill(), Height = 1 };
    private readonly Label promptLabel = new() { X = 0, Y = Pos.AnchorEnd(2), Height = 1, Visible = false };
    private readonly TextField prompt = new() { X = 0, Y = Pos.AnchorEnd(2), Width = Dim.Fill(), Height = 1, Visible = false };
    private readonly List<StatusBar> statusBars = [];
    private List<(Key Key, string Label, Action Run)> shortcuts = [];
    private string heading = "";
    private string news = "";
    private string? question;
    private Scheme? scheme;
    // The width the status bars were built for (0: build them again).
    private int barsWidth;
    // The rows and columns last given to the views: they move only when these change (see Arrange).
    private (int Width, int Title, int Keys, int Message, int Question, int AnswerAt, bool Working)? laidOut;
    private CancellationTokenSource? work;
    private Action<string>? answered;

    /// <summary>A shell with nothing open yet; <see cref="Open"/> the first screen.</summary>
    public WorkbenchShell()
    {
        Width = Dim.Fill();
        Height = Dim.Fill();
        CanFocus = true;
        Add(title, body, spinner, message, promptLabel, prompt);
        FrameChanged += (_, _) => Arrange();
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

    /// <inheritdoc/>
    protected override void OnIsRunningChanged(bool newIsRunning)
    {
        base.OnIsRunningChanged(newIsRunning);
        // The first screen was opened before the application ran, so its focus did not reach its list: without this
        // the first arrow key only moved the focus there.
        if (newIsRunning && screens.Count > 0) Current.SetFocus();
    }

    /// <summary>The screen on top.</summary>
    public Screen Current => screens.Peek();

    /// <summary>How many screens are open.</summary>
    public int Depth => screens.Count;

    /// <summary>The message line's text.</summary>
    public string Message => news;

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
        news = text ?? "";
        Arrange();
        SetNeedsDraw();
    }

    /// <summary>Asks for a line of text in the message line; <paramref name="then"/> gets it when Enter is pressed
    /// (nothing happens on Esc).</summary>
    public void Ask(string question, string initial, Action<string> then)
    {
        answered = then;
        this.question = question + ": ";
        prompt.Text = initial;
        message.Visible = false;
        promptLabel.Visible = true;
        prompt.Visible = true;
        Arrange();
        prompt.SetFocus();
    }

    private void ClosePrompt(string? text)
    {
        var then = answered;
        answered = null;
        question = null;
        promptLabel.Visible = false;
        prompt.Visible = false;
        message.Visible = true;
        Arrange();
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
        Arrange();
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
        news = "";
        heading = screen.Heading;
        shortcuts = [((Key)new Key('?'), "help", () => InvokeCommand((Command)Help))];
        foreach (var key in screen.KeyTable.Where(k => k.InStatusBar)) shortcuts.Add((key.Keys[0], key.Label, key.Run));
        shortcuts.Add((Key.Q, screens.Count > 1 ? "back" : "quit", GoBack));
        barsWidth = 0;
        laidOut = null;
        Arrange();
        screen.SetFocus();
        SetNeedsDraw();
        SetNeedsLayout();
    }

    // Lays the title, the message line (or the question) and the status bars out for the window's width, wrapping
    // what does not fit; the body gets the rows left between them.
    private void Arrange()
    {
        var width = Viewport.Width;
        if (width <= 0) return;

        var full = $" Virtualization Workbench │ {heading}";
        var titleLines = full.Length <= width ? [full] : WrappedRow.Text(" " + heading, width, MostTitleLines);
        SetText(title, string.Join('\n', titleLines));
        if (barsWidth != width)
        {
            BuildStatusBars(width);
            barsWidth = width;
        }
        var keyRows = statusBars.Count;

        int messageRows;
        var questionRows = 0;
        var answerAt = 0;
        if (question is { } asked)
        {
            // The answer shares the question's last line when enough of it is left, else it has a line of its own.
            var lines = WrappedRow.Text(asked, width, MostMessageLines);
            var answerOwnLine = width - lines[^1].Length < LeastAnswerWidth;
            questionRows = lines.Count;
            messageRows = lines.Count + (answerOwnLine ? 1 : 0);
            answerAt = answerOwnLine ? 0 : lines[^1].Length;
            SetText(promptLabel, string.Join('\n', lines));
        }
        else
        {
            // The spinner takes the first two columns of the message while work runs.
            var lines = WrappedRow.Text(news, width - (work is not null ? 2 : 0), MostMessageLines);
            messageRows = lines.Count;
            SetText(message, string.Join('\n', lines));
        }

        // New positions and sizes make Terminal.Gui lay the whole window out again: only when the rows change, not
        // for every message a key press says.
        var shape = (width, titleLines.Count, keyRows, messageRows, questionRows, answerAt, work is not null);
        if (shape == laidOut) return;
        laidOut = shape;
        title.Height = titleLines.Count;
        body.Y = titleLines.Count;
        promptLabel.Width = Dim.Fill();
        promptLabel.Height = Math.Max(1, questionRows);
        promptLabel.Y = Pos.AnchorEnd(keyRows + messageRows);
        prompt.X = answerAt;
        prompt.Y = Pos.AnchorEnd(keyRows + 1);
        message.X = work is not null ? 2 : 0;
        message.Height = messageRows;
        message.Y = Pos.AnchorEnd(keyRows + messageRows);
        spinner.Y = Pos.AnchorEnd(keyRows + messageRows);
        body.Height = Dim.Fill(keyRows + messageRows);
        SetNeedsLayout();
    }

    // The shortcuts on as many status bars as they need at this width, in the order of the screen's key table.
    private void BuildStatusBars(int width)
    {
        foreach (var bar in statusBars)
        {
            Remove(bar);
            bar.Dispose();
        }
        statusBars.Clear();
        var rows = new List<List<(Key Key, string Label, Action Run)>> { new() };
        var used = 0;
        foreach (var shortcut in shortcuts)
        {
            // As a status bar draws it: " key  label │".
            var cells = shortcut.Key.ToString().Length + shortcut.Label.Length + 5;
            if (used + cells > width && rows[^1].Count > 0)
            {
                rows.Add([]);
                used = 0;
            }
            rows[^1].Add(shortcut);
            used += cells;
        }
        for (var i = 0; i < rows.Count; i++)
        {
            var bar = new StatusBar();
            foreach (var (shortcutKey, label, run) in rows[i]) bar.Add(new Shortcut(shortcutKey, label, run));
            Add(bar);
            bar.Y = Pos.AnchorEnd(rows.Count - i);
            if (scheme is not null) bar.SetScheme(scheme);
            statusBars.Add(bar);
        }
    }

    private static void SetText(View view, string text)
    {
        if (view.Text != text) view.Text = text;
    }

    /// <summary>Draws everything with <paramref name="scheme"/>, the status bars too (they have a scheme of their own).</summary>
    public void UseScheme(Scheme scheme)
    {
        this.scheme = scheme;
        SetScheme(scheme);
        foreach (var bar in statusBars) bar.SetScheme(scheme);
    }

    /// <summary>Shows the current screen's heading again (it changed: a percentage, a state).</summary>
    public void Retitle()
    {
        heading = Current.Heading;
        Arrange();
    }
}
