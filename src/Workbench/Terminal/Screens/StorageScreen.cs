using Terminal.Gui.Drawing;
using Terminal.Gui.Input;
using Terminal.Gui.ViewBase;
using VirtualizationWorkbench.Workbench.Terminal.Shell;
using VirtualizationWorkbench.Workbench.Terminal.ViewModels;

namespace VirtualizationWorkbench.Workbench.Terminal.Screens;

/// <summary>
/// Lab 09's view of a volume group, as a step's checks left it: each disk as a strip of extents lettered by the
/// volume that owns them, the volumes with their state, the selected volume's extent map, and what the pools and
/// mirrors logged.
/// </summary>
public sealed class StorageScreen : Screen
{
    private readonly StorageViewModel model;
    private readonly string origin;
    private readonly TextLines lines = new() { Width = Dim.Fill(), Height = Dim.Fill(), CanFocus = false };
    private int volumesAt;

    /// <summary>The storage view of <paramref name="model"/>'s group; <paramref name="origin"/> says where it
    /// came from (e.g. "step 2's checks").</summary>
    public StorageScreen(StorageViewModel model, string origin)
    {
        this.model = model.Refresh();
        this.origin = origin;
        Add(lines);
        lines.LineClicked += line => Act(() => model.Select(line - volumesAt));
        Bind("next volume", () => Act(() => model.Select(model.Selected + 1)), Key.CursorDown, Key.J);
        Bind("previous volume", () => Act(() => model.Select(model.Selected - 1)), Key.CursorUp, Key.K);
        SubViewsLaidOut += (_, _) => Draw();
    }

    /// <summary>The view-model (for tests).</summary>
    public StorageViewModel Model => model;

    /// <inheritdoc/>
    public override string Heading => $"Storage: volume group as {origin} left it";

    private void Act(Action action)
    {
        action();
        Draw();
    }

    private void Draw()
    {
        var shown = new List<IReadOnlyList<Piece>> { Section("Disks (one letter per extent: its volume; . free; X failed)") };
        var width = Math.Max(20, Viewport.Width - 30);
        foreach (var disk in model.Disks)
        {
            var strip = disk.ExtentStrip;
            var head = $"  {disk.Name,-10} {disk.Free,5}/{disk.Extents,-5} free ";
            if (strip.Length == 0) shown.Add([new Piece(head, VisualRole.Disabled)]);
            for (var at = 0; at < strip.Length; at += width)
            {
                shown.Add([new Piece(at == 0 ? head : new string(' ', head.Length), VisualRole.Disabled),
                    new Piece(strip.Substring(at, Math.Min(width, strip.Length - at)), disk.Failed ? VisualRole.Highlight : VisualRole.Normal)]);
            }
        }
        shown.Add([]);
        shown.Add(Section("Volumes (↑/↓ or click: its extent map)"));
        volumesAt = shown.Count;
        for (var i = 0; i < model.Volumes.Count; i++)
        {
            var v = model.Volumes[i];
            var role = i == model.Selected ? VisualRole.Focus : VisualRole.Normal;
            shown.Add([new Piece($"  {v.Letter} {v.Name,-14} {v.Kind,-9} {v.Sectors,9} sectors  ", role), new Piece(v.State, i == model.Selected ? VisualRole.Focus : VisualRole.Disabled)]);
        }
        if (model.Volumes.Count == 0) shown.Add([new Piece("  no volumes yet", VisualRole.Disabled)]);
        shown.Add([]);
        shown.Add(Section(model.Volumes.Count == 0 ? "Extent map" : $"Extent map of {model.Volumes[model.Selected].Name}"));
        foreach (var run in model.SelectedMap) shown.Add([new Piece("  " + run)]);
        shown.Add([]);
        shown.Add(Section("Events"));
        if (model.Events.Count == 0) shown.Add([new Piece("  none", VisualRole.Disabled)]);
        foreach (var e in model.Events) shown.Add([new Piece("  " + e)]);
        lines.Lines = shown;
        lines.Reveal(volumesAt + model.Selected);
    }

    private static IReadOnlyList<Piece> Section(string text) => [new Piece(text, VisualRole.Highlight)];
}
