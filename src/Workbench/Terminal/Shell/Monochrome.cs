using Terminal.Gui.Drawing;
using Attribute = Terminal.Gui.Drawing.Attribute;

namespace VirtualizationWorkbench.Workbench.Terminal.Shell;

/// <summary>
/// The look under <c>NO_COLOR</c> (https://no-color.org): the terminal's own colours everywhere, with the roles
/// told apart by text style alone — a selection in inverse video, what matters now in bold, what is dim faint,
/// hot keys underlined.
/// </summary>
public static class Monochrome
{
    /// <summary>Whether the student asked for no colour (<c>NO_COLOR</c> set and not empty).</summary>
    public static bool Wanted => Environment.GetEnvironmentVariable("NO_COLOR") is { Length: > 0 };

    /// <summary>The scheme.</summary>
    public static Scheme Scheme { get; } = new(Plain(TextStyle.None))
    {
        HotNormal = Plain(TextStyle.Underline),
        Focus = Plain(TextStyle.Reverse),
        HotFocus = Plain(TextStyle.Reverse | TextStyle.Underline),
        Active = Plain(TextStyle.Reverse),
        HotActive = Plain(TextStyle.Reverse | TextStyle.Underline),
        Highlight = Plain(TextStyle.Bold),
        Editable = Plain(TextStyle.Underline),
        ReadOnly = Plain(TextStyle.None),
        Disabled = Plain(TextStyle.Faint),
        Code = Plain(TextStyle.None),
    };

    private static Attribute Plain(TextStyle style) => new(Color.None, Color.None, style);
}
