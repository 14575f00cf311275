using Spectre.Console;

namespace VirtualizationWorkbench.Workbench.Terminal.Rendering;

/// <summary>
/// The styles every screen shares. Each pairs a colour with a decoration (bold, underline, invert) so that the
/// meaning survives <c>NO_COLOR</c>, where Spectre drops colours but keeps decorations.
/// </summary>
public static class Palette
{
    /// <summary>The title bar and the key bar.</summary>
    public static Style Bar { get; } = new(decoration: Decoration.Invert);
    /// <summary>The line under the cursor.</summary>
    public static Style Selected { get; } = new(decoration: Decoration.Invert);
    /// <summary>A level-1 heading.</summary>
    public static Style Heading1 { get; } = new(Color.Yellow, decoration: Decoration.Bold | Decoration.Underline);
    /// <summary>A level-2 heading.</summary>
    public static Style Heading2 { get; } = new(Color.Aqua, decoration: Decoration.Bold);
    /// <summary>Deeper headings.</summary>
    public static Style Heading3 { get; } = new(decoration: Decoration.Bold);
    /// <summary>Bold text.</summary>
    public static Style Strong { get; } = new(decoration: Decoration.Bold);
    /// <summary>Italic text.</summary>
    public static Style Emphasis { get; } = new(decoration: Decoration.Italic);
    /// <summary>Code inside a sentence.</summary>
    public static Style InlineCode { get; } = new(Color.Orange1);
    /// <summary>A link.</summary>
    public static Style Link { get; } = new(Color.DodgerBlue1, decoration: Decoration.Underline);
    /// <summary>Secondary text: borders, quotes, comments.</summary>
    public static Style Dim { get; } = new(Color.Grey, decoration: Decoration.Dim);
    /// <summary>Something that passed.</summary>
    public static Style Pass { get; } = new(Color.Green, decoration: Decoration.Bold);
    /// <summary>Something that failed.</summary>
    public static Style Fail { get; } = new(Color.Red, decoration: Decoration.Bold);
    /// <summary>A search match.</summary>
    public static Style Match { get; } = new(Color.Black, Color.Yellow, Decoration.Underline);
    /// <summary>Keywords and mnemonics in code.</summary>
    public static Style Keyword { get; } = new(Color.Aqua);
    /// <summary>Registers in code.</summary>
    public static Style Register { get; } = new(Color.Fuchsia);
    /// <summary>Numbers in code.</summary>
    public static Style Number { get; } = new(Color.SkyBlue1);
    /// <summary>Strings in code.</summary>
    public static Style String { get; } = new(Color.Green);
    /// <summary>Labels and directives in code.</summary>
    public static Style Label { get; } = new(Color.Yellow);
    /// <summary>Comments in code.</summary>
    public static Style Comment { get; } = new(Color.Grey, decoration: Decoration.Italic);
}
