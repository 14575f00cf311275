namespace VirtualizationWorkbench.Workbench.Terminal.Input;

/// <summary>The keys the screens understand, independent of how the terminal sent them.</summary>
public enum UiKey
{
    /// <summary>A key no screen uses.</summary>
    None,
    /// <summary>A printable character: see <see cref="KeyInput.Char"/>.</summary>
    Character,
    /// <summary>Arrow up.</summary>
    Up,
    /// <summary>Arrow down.</summary>
    Down,
    /// <summary>Arrow left.</summary>
    Left,
    /// <summary>Arrow right.</summary>
    Right,
    /// <summary>Page up.</summary>
    PageUp,
    /// <summary>Page down.</summary>
    PageDown,
    /// <summary>Home: to the top.</summary>
    Home,
    /// <summary>End: to the bottom.</summary>
    End,
    /// <summary>Enter.</summary>
    Enter,
    /// <summary>Escape.</summary>
    Escape,
    /// <summary>Tab.</summary>
    Tab,
    /// <summary>Shift+Tab.</summary>
    BackTab,
    /// <summary>Backspace.</summary>
    Backspace,
    /// <summary>Ctrl+C: leave the workbench at once, from any screen.</summary>
    Interrupt,
    /// <summary>F5 (run/pause in the inspector, as in most debuggers).</summary>
    F5,
    /// <summary>F9 (toggle breakpoint).</summary>
    F9,
    /// <summary>F10 (step over).</summary>
    F10,
    /// <summary>F11 (step).</summary>
    F11,
}

/// <summary>One key press as the screens see it.</summary>
public readonly record struct KeyInput(UiKey Key, char Char = '\0')
{
    /// <summary>A printable character.</summary>
    public static KeyInput Of(char c) => new(UiKey.Character, c);

    /// <summary>Whether this is the character <paramref name="c"/>.</summary>
    public bool Is(char c) => Key == UiKey.Character && Char == c;

    /// <summary>The movement this key means in a list or a page: arrows, Page Up/Down, Home/End, and their vi
    /// keys (<c>j k h l</c>, <c>g G</c>, Ctrl+F/Ctrl+B and Space for pages). <see cref="UiKey.None"/> if it is
    /// not a movement.</summary>
    public UiKey Movement => Key switch
    {
        UiKey.Up or UiKey.Down or UiKey.Left or UiKey.Right or UiKey.PageUp or UiKey.PageDown or UiKey.Home or UiKey.End => Key,
        UiKey.Character => Char switch
        {
            'k' => UiKey.Up,
            'j' => UiKey.Down,
            'h' => UiKey.Left,
            'l' => UiKey.Right,
            'g' => UiKey.Home,
            'G' => UiKey.End,
            ' ' or '\x06' => UiKey.PageDown,
            '\x02' => UiKey.PageUp,
            _ => UiKey.None,
        },
        _ => UiKey.None,
    };

    /// <summary>Whether this key means "go back": <c>q</c> or Escape.</summary>
    public bool IsBack => Key == UiKey.Escape || Is('q');

    /// <summary>Translates what <see cref="Console.ReadKey(bool)"/> returned.</summary>
    public static KeyInput From(ConsoleKeyInfo info)
    {
        if (info.Key == ConsoleKey.C && info.Modifiers.HasFlag(ConsoleModifiers.Control) || info.KeyChar == '\x03') return new(UiKey.Interrupt);
        var key = info.Key switch
        {
            ConsoleKey.UpArrow => UiKey.Up,
            ConsoleKey.DownArrow => UiKey.Down,
            ConsoleKey.LeftArrow => UiKey.Left,
            ConsoleKey.RightArrow => UiKey.Right,
            ConsoleKey.PageUp => UiKey.PageUp,
            ConsoleKey.PageDown => UiKey.PageDown,
            ConsoleKey.Home => UiKey.Home,
            ConsoleKey.End => UiKey.End,
            ConsoleKey.Enter => UiKey.Enter,
            ConsoleKey.Escape => UiKey.Escape,
            ConsoleKey.Tab => info.Modifiers.HasFlag(ConsoleModifiers.Shift) ? UiKey.BackTab : UiKey.Tab,
            ConsoleKey.Backspace => UiKey.Backspace,
            ConsoleKey.F5 => UiKey.F5,
            ConsoleKey.F9 => UiKey.F9,
            ConsoleKey.F10 => UiKey.F10,
            ConsoleKey.F11 => UiKey.F11,
            _ => UiKey.None,
        };
        if (key != UiKey.None) return new(key);
        if (info.KeyChar == '\r' || info.KeyChar == '\n') return new(UiKey.Enter);
        if (info.KeyChar == '\x7f' || info.KeyChar == '\b') return new(UiKey.Backspace);
        if (info.KeyChar == '\t') return new(UiKey.Tab);
        if (info.KeyChar == '\x1b') return new(UiKey.Escape);
        if (info.KeyChar is '\x06' or '\x02') return Of(info.KeyChar);
        return info.KeyChar >= ' ' ? Of(info.KeyChar) : new(UiKey.None);
    }
}
