using System.Drawing;
using Terminal.Gui.Drawing;
using Terminal.Gui.Input;
using Terminal.Gui.ViewBase;

namespace VirtualizationWorkbench.Workbench.Terminal.Shell;

/// <summary>A piece of a line and how it is drawn (by visual role, so the theme and <c>NO_COLOR</c> decide the colours).</summary>
/// <param name="Text">The text.</param>
/// <param name="Role">Normal text, <see cref="VisualRole.Highlight"/> for what changed or matters now,
/// <see cref="VisualRole.Focus"/> for a selection, <see cref="VisualRole.Disabled"/> for what is dim.</param>
public readonly record struct Piece(string Text, VisualRole Role = VisualRole.Normal);

/// <summary>
/// A panel of text lines made of <see cref="Piece"/>s, scrolled with the wheel, the arrows and the page keys (its
/// content is as tall as its lines); a click reports the line clicked.
/// </summary>
public sealed class TextLines : View
{
    private IReadOnlyList<IReadOnlyList<Piece>> lines = [];

    /// <summary>An empty panel that can take focus.</summary>
    public TextLines()
    {
        CanFocus = true;
        ViewportSettings |= ViewportSettingsFlags.HasVerticalScrollBar;
        AddCommand(Command.ScrollUp, () => ScrollVertical(-1));
        AddCommand(Command.ScrollDown, () => ScrollVertical(1));
        AddCommand(Command.PageUp, () => ScrollVertical(-Math.Max(1, Viewport.Height - 1)));
        AddCommand(Command.PageDown, () => ScrollVertical(Math.Max(1, Viewport.Height - 1)));
        KeyBindings.Add(Key.CursorUp, Command.ScrollUp);
        KeyBindings.Add(Key.CursorDown, Command.ScrollDown);
        KeyBindings.Add(Key.PageUp, Command.PageUp);
        KeyBindings.Add(Key.PageDown, Command.PageDown);
        MouseBindings.Add(MouseFlags.WheeledUp, Command.ScrollUp);
        MouseBindings.Add(MouseFlags.WheeledDown, Command.ScrollDown);
    }

    /// <summary>Raised with the line number (in the whole text) of a click.</summary>
    public event Action<int>? LineClicked;

    /// <summary>The lines shown.</summary>
    public IReadOnlyList<IReadOnlyList<Piece>> Lines
    {
        get => lines;
        set
        {
            // The same text again (a running machine's memory or page tables between two frames) is not drawn
            // again: a frame costs what changed.
            if (Same(lines, value)) return;
            lines = value;
            SetContentSize(new Size(Math.Max(1, value.Count == 0 ? 1 : value.Max(l => l.Sum(p => p.Text.Length))), Math.Max(1, value.Count)));
            SetNeedsDraw();
        }
    }

    private static bool Same(IReadOnlyList<IReadOnlyList<Piece>> a, IReadOnlyList<IReadOnlyList<Piece>> b)
    {
        if (a.Count != b.Count) return false;
        for (var i = 0; i < a.Count; i++)
        {
            if (a[i].Count != b[i].Count) return false;
            for (var j = 0; j < a[i].Count; j++)
            {
                if (a[i][j] != b[i][j]) return false;
            }
        }
        return true;
    }

    /// <summary>Sets plain lines.</summary>
    public void SetText(IEnumerable<string> text) => Lines = [.. text.Select(l => (IReadOnlyList<Piece>)[new Piece(l)])];

    /// <summary>The lines as plain text (for tests and the benchmark).</summary>
    public IEnumerable<string> PlainLines => lines.Select(l => string.Concat(l.Select(p => p.Text)));

    /// <summary>Scrolls so line <paramref name="line"/> is in view.</summary>
    public void Reveal(int line)
    {
        if (line < Viewport.Y) Viewport = Viewport with { Y = line };
        else if (line >= Viewport.Y + Viewport.Height) Viewport = Viewport with { Y = Math.Max(0, line - Viewport.Height + 1) };
    }

    /// <inheritdoc/>
    protected override bool OnDrawingContent(DrawContext? context)
    {
        var top = Viewport.Y;
        var left = Viewport.X;
        for (var row = 0; row < Viewport.Height && top + row < lines.Count; row++)
        {
            var column = -left;
            foreach (var piece in lines[top + row])
            {
                SetAttributeForRole(piece.Role);
                for (var i = 0; i < piece.Text.Length; i++, column++)
                {
                    if (column >= 0 && column < Viewport.Width) AddRune(column, row, new System.Text.Rune(piece.Text[i]));
                }
            }
        }
        return true;
    }

    /// <inheritdoc/>
    protected override bool OnMouseEvent(Mouse mouse)
    {
        if (mouse.Flags.HasFlag(MouseFlags.LeftButtonClicked) && mouse.Position is { } at)
        {
            LineClicked?.Invoke(Viewport.Y + at.Y);
            return true;
        }
        return base.OnMouseEvent(mouse);
    }
}
