using Spectre.Console;
using VirtualizationWorkbench.Workbench.Terminal.Screens;

namespace VirtualizationWorkbench.Workbench.Terminal.Rendering;

/// <summary>
/// Draws a whole frame — title bar, the screen's body, the message line and the key bar — into a string of
/// exactly <c>width × height</c> cells, so the terminal gets each frame in one write. One renderer is reused
/// from frame to frame.
/// </summary>
public sealed class FrameRenderer
{
    private readonly StringWriter buffer = new();
    private readonly IAnsiConsole console;

    /// <summary>A renderer that writes escape sequences (<paramref name="ansi"/>) and colours
    /// (<paramref name="colours"/>; Spectre still drops them when <c>NO_COLOR</c> is set). Tests use neither
    /// and get plain text.</summary>
    public FrameRenderer(bool ansi, bool colours)
    {
        console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = ansi ? AnsiSupport.Yes : AnsiSupport.No,
            ColorSystem = colours ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Out = new AnsiConsoleOutput(buffer),
            Interactive = InteractionSupport.No,
        });
    }

    /// <summary>Renders <paramref name="screen"/> in a frame of <paramref name="width"/> × <paramref name="height"/>;
    /// lines are separated by <c>\n</c> and the last one has none (so the terminal never scrolls).</summary>
    public string Render(IScreen screen, int width, int height)
    {
        width = Math.Max(20, width);
        height = Math.Max(6, height);
        console.Profile.Width = width;
        console.Profile.Height = height;
        buffer.GetStringBuilder().Clear();

        var title = $" Virtualization Workbench │ {screen.Title}";
        var status = screen.Prompt is { } prompt ? prompt.ToString() : screen.Message ?? "";
        var keys = screen.Prompt is not null
            ? "Enter accept · Esc cancel"
            : string.Join(" · ", new[] { new KeyHint("?", "help") }.Concat(screen.Keys).Select(k => $"{k.Keys} {k.Action}"));
        var layout = new Layout("frame").SplitRows(
            new Layout("title").Size(1).Update(Bar(title, width)),
            new Layout("body").Update(screen.Render(width, height - 3)),
            new Layout("message").Size(1).Update(new Markup(Markup.Escape(Fit(status, width)), status.StartsWith("error", StringComparison.Ordinal) ? Palette.Fail : Style.Plain)),
            new Layout("keys").Size(1).Update(Bar(keys, width)));
        console.Write(layout);
        return buffer.ToString().ReplaceLineEndings("\n").TrimEnd('\n');
    }

    private static Markup Bar(string text, int width) => new(Markup.Escape(Fit(text, width)), Palette.Bar);

    private static string Fit(string text, int width)
    {
        text = text.ReplaceLineEndings(" ");
        return text.Length > width ? text[..(width - 1)] + "…" : text.PadRight(width);
    }
}
