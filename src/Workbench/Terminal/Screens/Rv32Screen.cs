using Terminal.Gui.Drawing;
using Terminal.Gui.ViewBase;
using VirtualizationWorkbench.Emulation.Inspection;
using VirtualizationWorkbench.Workbench.Terminal.Shell;

namespace VirtualizationWorkbench.Workbench.Terminal.Screens;

/// <summary>
/// Lab 03's view of the foreign CPU, as a step's last run of a RISC-V program left it: the RV32 registers by ABI
/// name, pc, privilege and counters, and the disassembly around the pc. The model is the emulator's own
/// <see cref="Rv32InspectorView"/>, a plain view-model.
/// </summary>
public sealed class Rv32Screen : Screen
{
    private readonly TextLines lines = new() { Width = Dim.Fill(), Height = Dim.Fill(), CanFocus = false };
    private readonly string origin;

    /// <summary>The view of <paramref name="model"/>'s hart; <paramref name="origin"/> says which run it is
    /// ("hello.elf, user mode on the translator, from step 4's checks").</summary>
    public Rv32Screen(Rv32InspectorView model, string origin)
    {
        Model = model;
        this.origin = origin;
        model.Refresh();
        Add(lines);
        SubViewsLaidOut += (_, _) => Draw();
    }

    /// <summary>The view-model (for tests).</summary>
    public Rv32InspectorView Model { get; }

    /// <inheritdoc/>
    public override string Heading => $"RV32 CPU: {origin}";

    private void Draw()
    {
        var shown = new List<IReadOnlyList<Piece>>();
        shown.Add([new Piece(Model.Status, VisualRole.Highlight)]);
        shown.Add([]);
        shown.Add([new Piece("Registers", VisualRole.Highlight)]);
        var registers = Model.Registers;
        for (var row = 0; row < 8; row++)
        {
            var pieces = new List<Piece>();
            for (var column = 0; column < 4; column++)
            {
                var r = registers[row + column * 8];
                pieces.Add(new Piece($"  {$"x{r.Index}/{r.Name}",-9}", VisualRole.Disabled));
                pieces.Add(new Piece($"{r.Value:x8}", r.Value == 0 ? VisualRole.Disabled : VisualRole.Normal));
            }
            shown.Add(pieces);
        }
        shown.Add([]);
        shown.Add([new Piece("Disassembly", VisualRole.Highlight)]);
        foreach (var line in Model.Disassembly)
        {
            var word = line.Word is { } w ? $"{w:x8}" : "        ";
            shown.Add([new Piece($"{(line.IsCurrent ? "→" : " ")} {line.Address:x8}  {word}  {line.Text}", line.IsCurrent ? VisualRole.Focus : VisualRole.Normal)]);
        }
        lines.Lines = shown;
    }
}
