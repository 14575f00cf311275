using Terminal.Gui.Drawing;
using Terminal.Gui.Input;
using Terminal.Gui.ViewBase;
using VirtualizationWorkbench.Packager.Tools;
using VirtualizationWorkbench.Sandbox.FileSystem;
using VirtualizationWorkbench.Workbench.Terminal.Shell;
using VirtualizationWorkbench.Workbench.Terminal.ViewModels;

namespace VirtualizationWorkbench.Workbench.Terminal.Screens;

/// <summary>The packager: a package's files and registry as trees, its sandbox's changes, and its layers (which of
/// sandbox, package and host each file is read from).</summary>
public sealed class PackagerScreen : Screen
{
    private readonly PackagerViewModel model;
    private readonly TextLines lines = new() { Width = Dim.Fill(), Height = Dim.Fill(), CanFocus = false };

    /// <summary>The packager screen on <paramref name="model"/>'s package.</summary>
    public PackagerScreen(PackagerViewModel model)
    {
        this.model = model;
        Add(lines);
        lines.LineClicked += line => Act(() =>
        {
            model.Select(line - Header);
            model.Fold();
        });
        Bind("files/registry/sandbox/layers", () => Act(() => model.NextTab()), Key.Tab);
        Bind("open/close folder", () => Act(() => model.Fold()), Key.Enter);
        Bind("reset sandbox", () => Act(model.RequestReset), Key.R.WithShift);
        BindQuietly("up", () => Act(() => model.Select(model.Cursor.Selected - 1)), Key.CursorUp, Key.K);
        BindQuietly("down", () => Act(() => model.Select(model.Cursor.Selected + 1)), Key.CursorDown, Key.J);
        BindQuietly("open folder", () => Act(() => model.Fold(open: true)), Key.CursorRight, Key.L);
        BindQuietly("close folder, or go to the parent", () => Act(() => model.Fold(open: false)), Key.CursorLeft, Key.H);
        BindQuietly("confirm the reset", () => Act(() => model.ConfirmReset(true), confirms: true), Key.Y);
        SubViewsLaidOut += (_, _) => Draw();
    }

    /// <summary>The view-model (for tests).</summary>
    public PackagerViewModel Model => model;

    /// <inheritdoc/>
    public override string Heading => $"Package {model.Name}  ({model.PackagePath})";

    /// <inheritdoc/>
    public override void Resume() => model.RefreshSandbox();

    private const int Header = 3;

    // Any key but y answers "no" to a pending reset.
    private void Act(Action action, bool confirms = false)
    {
        if (model.ConfirmingReset && !confirms) model.ConfirmReset(false);
        action();
        Draw();
        Say(model.Message);
    }

    private void Draw()
    {
        var shown = new List<IReadOnlyList<Piece>>
        {
            Enum.GetValues<PackagerTab>().Select(t => new Piece($" {t} ", t == model.Tab ? VisualRole.Focus : VisualRole.Disabled)).ToList(),
            new[] { new Piece($"entry points: {string.Join(", ", model.EntryPoints)}   default isolation: {PackagerViewModel.Describe(model.Settings.DefaultIsolation)}", VisualRole.Disabled) },
            new[] { new Piece(model.Tab switch
            {
                PackagerTab.Sandbox => $"sandbox: {model.SandboxFolder}",
                PackagerTab.Layers => LayerLine("location", "isolation", "sandbox", "package", "host", "read from"),
                _ => "",
            }, VisualRole.Disabled) },
        };
        var selected = model.Cursor.Selected;
        if (model.Tab == PackagerTab.Layers)
        {
            if (model.Layers.Count == 0) shown.Add([new Piece("no files in any layer: the package carries none and the application wrote none", VisualRole.Disabled)]);
            for (var i = 0; i < model.Layers.Count; i++)
            {
                var file = model.Layers[i];
                var text = LayerLine(file.Key, PackagerViewModel.Describe(file.Mode), Mark(file.InSandbox, hidden: false), Mark(file.InPackage, file.Deleted),
                    Mark(file.OnHost, file.Deleted || file.Mode == IsolationMode.Full), file.Serves == VisibleLayer.None ? "nothing" : "← " + file.Serves.ToString().ToLowerInvariant());
                shown.Add([new Piece(text, i == selected ? VisualRole.Focus : file.Serves == VisibleLayer.None ? VisualRole.Disabled : VisualRole.Normal)]);
            }
        }
        else if (model.Tab == PackagerTab.Sandbox)
        {
            if (model.Changes.Count == 0) shown.Add([new Piece("no changes: the application has not written anything yet (or the sandbox was reset)", VisualRole.Disabled)]);
            for (var i = 0; i < model.Changes.Count; i++) shown.Add([new Piece(model.Changes[i], i == selected ? VisualRole.Focus : VisualRole.Normal)]);
        }
        else
        {
            var rows = model.Rows;
            if (rows.Count == 0) shown.Add([new Piece(model.Tab == PackagerTab.Files ? "the package holds no files" : "the package carries no registry", VisualRole.Disabled)]);
            for (var i = 0; i < rows.Count; i++)
            {
                var (node, depth) = rows[i];
                var icon = node.IsFolder ? (node.Expanded ? "▾ " : "▸ ") : "  ";
                var name = new string(' ', depth * 2) + icon + node.Name + (node.IsFolder && model.Tab == PackagerTab.Files ? "/" : "");
                shown.Add([new Piece(name.PadRight(Math.Max(20, Viewport.Width * 3 / 5)), i == selected ? VisualRole.Focus : VisualRole.Normal), new Piece(" " + node.Detail, i == selected ? VisualRole.Focus : VisualRole.Disabled)]);
            }
        }
        lines.Lines = shown;
        lines.Reveal(selected + Header);
    }

    // The location gets what the five narrow columns leave; a long one keeps its end, where the file's name is.
    private string LayerLine(string location, string mode, string sandbox, string package, string host, string reads)
    {
        var width = Math.Max(16, Viewport.Width - 50);
        var shownLocation = location.Length <= width ? location.PadRight(width) : "…" + location[^(width - 1)..];
        return $"{shownLocation}  {mode,-9}  {sandbox,-7}  {package,-7}  {host,-6}  {reads}";
    }

    // Present, absent, or present but hidden from the application (deleted by it, or a host file under full isolation).
    private static string Mark(bool present, bool hidden) => !present ? "-" : hidden ? "hidden" : "yes";
}
