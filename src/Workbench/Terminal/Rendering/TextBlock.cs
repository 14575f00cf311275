using Spectre.Console;
using Spectre.Console.Rendering;

namespace VirtualizationWorkbench.Workbench.Terminal.Rendering;

/// <summary>Turns laid-out lines into one Spectre renderable, each line cut to the width so nothing wraps twice.</summary>
public static class TextBlock
{
    /// <summary>The lines as a renderable of exactly their count of rows.</summary>
    public static IRenderable Of(IEnumerable<StyledLine> lines, int width) =>
        new Markup(string.Join('\n', lines.Select(l => l.Cropped(Math.Max(1, width)).ToMarkup())));

    /// <summary>A bordered panel with a header around <paramref name="lines"/>; <paramref name="width"/> is the
    /// panel's outer width.</summary>
    public static Panel Panel(string header, IEnumerable<StyledLine> lines, int width, Style? border = null) =>
        new Panel(Of(lines, width - 4))
        {
            Header = new PanelHeader(Markup.Escape(header)),
            Border = BoxBorder.Rounded,
            BorderStyle = border ?? Palette.Dim,
            Expand = true,
            Padding = new Padding(1, 0, 1, 0),
        };
}
