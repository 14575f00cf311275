using Terminal.Gui.Input;

namespace VirtualizationWorkbench.Workbench.Terminal.Shell;

/// <summary>
/// One row of a screen's key table: the keys, what they do (the words the status bar and the help screen show)
/// and the action. A screen binds its keys from this table alone, so what the help says and what the keys do
/// cannot drift apart.
/// </summary>
/// <param name="Keys">The keys, the first one shown in the status bar.</param>
/// <param name="Label">What the keys do, in a few words.</param>
/// <param name="Run">The action.</param>
/// <param name="InStatusBar">Whether the status bar shows it (every key is on the help screen).</param>
public sealed record ScreenKey(IReadOnlyList<Key> Keys, string Label, Action Run, bool InStatusBar = true)
{
    /// <summary>The keys as the student types them (<c>c</c>, <c>Ctrl+C</c>, <c>F5</c>).</summary>
    public string KeyNames => string.Join(" ", Keys.Select(Name));

    /// <summary>A key's name as printed on a keyboard: letters as typed, not as Terminal.Gui spells them.</summary>
    public static string Name(Key key)
    {
        var text = key.ToString();
        // Terminal.Gui names a plain letter by its capital (Key.C is "C"); Shift+C is the capital.
        if (text.Length == 1 && char.IsLetter(text[0])) return text.ToLowerInvariant();
        if (text.StartsWith("Shift+", StringComparison.Ordinal) && text.Length == 7 && char.IsLetter(text[6])) return text[6..];
        return text;
    }
}
