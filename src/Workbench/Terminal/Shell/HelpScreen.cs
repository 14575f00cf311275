using Terminal.Gui.ViewBase;
using Terminal.Gui.Views;

namespace VirtualizationWorkbench.Workbench.Terminal.Shell;

/// <summary>The keys of the screen it was opened from, read from that screen's key table, and the keys that work
/// everywhere.</summary>
public sealed class HelpScreen : Screen
{
    private readonly Screen of;

    /// <summary>Help for <paramref name="of"/>.</summary>
    public HelpScreen(Screen of)
    {
        this.of = of;
        Add(new Markdown { Width = Dim.Fill(), Height = Dim.Fill(), Text = Page(of), CanFocus = true });
    }

    /// <inheritdoc/>
    public override string Heading => $"Help: {of.Heading}";

    /// <summary>The help page for <paramref name="screen"/>, as Markdown.</summary>
    public static string Page(Screen screen)
    {
        var text = new System.Text.StringBuilder();
        text.AppendLine("## On this screen").AppendLine().AppendLine("| keys | what they do |").AppendLine("|---|---|");
        foreach (var key in screen.KeyTable) text.AppendLine($"| `{key.KeyNames}` | {key.Label} |");
        text.AppendLine().AppendLine("## Everywhere").AppendLine().AppendLine("| keys | what they do |").AppendLine("|---|---|");
        text.AppendLine("| `? F1` | this help |").AppendLine("| `q Esc` | back (quit on the home screen); Esc first cancels work in progress |");
        text.AppendLine("| `Ctrl+C` | quit at once |").AppendLine("| `Tab` | next panel or link |").AppendLine("| mouse | click to select or open, wheel to scroll |");
        text.AppendLine().AppendLine("Every screen has a plain command too: `workbench lab list|show|check|answer|hint`, `workbench grade`, `workbench vm run`, `workbench inspect`, `workbench app inspect`, `workbench sandbox list|reset`.");
        return text.ToString();
    }
}
