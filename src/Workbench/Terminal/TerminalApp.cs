using System.Collections.Concurrent;
using System.Diagnostics;
using VirtualizationWorkbench.Workbench.Terminal.Input;
using VirtualizationWorkbench.Workbench.Terminal.Rendering;
using VirtualizationWorkbench.Workbench.Terminal.Screens;

namespace VirtualizationWorkbench.Workbench.Terminal;

/// <summary>
/// The full-screen loop: a stack of screens, keys read on their own thread, one frame drawn after every key,
/// on every resize (the window size is polled) and, while a screen animates, at least 10 times a second.
/// </summary>
public sealed class TerminalApp
{
    /// <summary>Frames per second while a screen animates (a running machine).</summary>
    public const int AnimationRate = 15;

    private readonly Stack<IScreen> screens = new();

    /// <summary>An app that starts on <paramref name="first"/>.</summary>
    public TerminalApp(IScreen first) => screens.Push(first);

    /// <summary>The screen on top.</summary>
    public IScreen Current => screens.Peek();

    /// <summary>Whether any screen is left (false once the user quit).</summary>
    public bool Open => screens.Count > 0;

    /// <summary>Why the UI cannot draw here, or null if it can: it needs a terminal on both ends.</summary>
    public static string? WhyNotInteractive()
    {
        if (Console.IsOutputRedirected) return "the terminal UI needs a terminal, but the output goes to a file or a pipe";
        if (Console.IsInputRedirected) return "the terminal UI needs a terminal, but the input comes from a file or a pipe";
        return null;
    }

    /// <summary>The plain commands that do what the screens do, for when there is no terminal.</summary>
    public const string PlainCommands =
        "use the plain commands instead: 'workbench lab list', 'workbench lab show LAB', 'workbench lab check LAB', " +
        "'workbench lab answer LAB QUESTION VALUE', 'workbench run FILE.s', 'workbench app inspect FILE.vapp', 'workbench --help' for the rest";

    /// <summary>Takes one key: the prompt or screen on top handles it, and the stack follows its answer.</summary>
    public void Handle(KeyInput key)
    {
        if (key.Key == UiKey.Interrupt)
        {
            while (screens.Count > 0) screens.Pop().Close();
            return;
        }
        var screen = Current;
        if (screen.Prompt is null && key.Is('?') && screen is not HelpScreen)
        {
            screens.Push(new HelpScreen(screen));
            return;
        }
        var next = screen.Handle(key);
        if (next == Navigation.Back)
        {
            screens.Pop().Close();
            if (screens.Count > 0) Current.Resume();
        }
        else if (next == Navigation.Quit)
        {
            while (screens.Count > 0) screens.Pop().Close();
        }
        else if (next.Next is { } opened)
        {
            screens.Push(opened);
        }
    }

    /// <summary>Runs the UI in this terminal until the user quits. The terminal is restored however it ends.</summary>
    public int Run()
    {
        using var terminal = TerminalSession.Enter();
        var renderer = new FrameRenderer(ansi: true, colours: true);
        var keys = new BlockingCollection<ConsoleKeyInfo>();
        var reader = new Thread(() =>
        {
            while (true) keys.Add(Console.ReadKey(intercept: true));
        })
        { IsBackground = true, Name = "keys" };
        reader.Start();
        try
        {
            var size = (Width: 0, Height: 0);
            var lastFrame = Stopwatch.StartNew();
            var dirty = true;
            var wasAnimating = false;
            while (Open)
            {
                var now = (Console.WindowWidth, Console.WindowHeight);
                if (now != size)
                {
                    size = now;
                    dirty = true;
                    // A new size: clear what the old frame left outside the new one.
                    terminal.Draw("\u001b[2J");
                }
                var animating = Current.Animating;
                if (animating && lastFrame.ElapsedMilliseconds >= 1000 / AnimationRate) dirty = true;
                // The frame after an animation ends shows where it stopped (a breakpoint, a halt).
                if (animating != wasAnimating) dirty = true;
                wasAnimating = animating;
                if (dirty)
                {
                    terminal.Draw(renderer.Render(Current, size.Width, size.Height));
                    lastFrame.Restart();
                    dirty = false;
                }
                var wait = Current.Animating ? 1000 / AnimationRate / 2 : 100;
                if (keys.TryTake(out var info, wait))
                {
                    Handle(KeyInput.From(info));
                    // Keys typed ahead (a held arrow) are taken before drawing, so the screen keeps up.
                    while (Open && keys.TryTake(out info)) Handle(KeyInput.From(info));
                    dirty = true;
                }
            }
            return 0;
        }
        finally
        {
            while (screens.Count > 0) screens.Pop().Close();
            terminal.Restore();
        }
    }
}
