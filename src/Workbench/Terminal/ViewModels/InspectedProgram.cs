using VirtualizationWorkbench.Labs;
using VirtualizationWorkbench.Machine.Assembler;

namespace VirtualizationWorkbench.Workbench.Terminal.ViewModels;

/// <summary>A program for the machine inspector, with the name it is shown under.</summary>
public sealed record InspectedProgram(string Name, ProgramImage Image)
{
    /// <summary>The file it was read from (null for a lab's block): <see cref="Reload"/> reads it again.</summary>
    public string? File { get; init; }

    /// <summary>The symbols defined for conditional assembly (<c>-D PARAVIRT</c>).</summary>
    public IReadOnlyList<string> Defines { get; init; } = [];

    /// <summary>Assembles a <c>.s</c> file (with <paramref name="defines"/>) or reads a <c>.bin</c> image. A file that
    /// is missing or does not assemble is a <see cref="UserError"/> naming the file, line and column of the first errors.</summary>
    public static InspectedProgram FromFile(string path, IReadOnlyList<string>? defines = null)
    {
        if (!System.IO.File.Exists(path)) throw new UserError($"{path}: no such file; give an assembly source (.s) or a program image (.bin)");
        if (Path.GetExtension(path).ToLowerInvariant() is ".s" or ".asm")
        {
            return Checked(Assembler.AssembleFile(path, new AssemblerOptions { Defines = defines ?? [] }), path) with { File = path, Defines = defines ?? [] };
        }
        try
        {
            return new InspectedProgram(Path.GetFileName(path), ProgramImage.Parse(System.IO.File.ReadAllBytes(path), path)) { File = path };
        }
        catch (FormatException e)
        {
            // ProgramImage's message already starts with the file name.
            throw new UserError($"{e.Message}; the inspector opens assembly sources (.s) and images made by 'workbench asm'");
        }
    }

    /// <summary>The program read again from its file (after the student edited it), or itself if it has none.</summary>
    public InspectedProgram Reload() => File is null ? this : FromFile(File, Defines);

    /// <summary>Assembles an <c>asm</c> block of a lab.</summary>
    public static InspectedProgram FromLab(LabDocument lab, AssemblyBlock block) =>
        Checked(Assembler.Assemble(block.Source, $"{lab.Id}/{block.Name}.s"), $"{lab.Id}/{block.Name}.s");

    private static InspectedProgram Checked(AssemblyResult result, string name)
    {
        if (!result.Succeeded)
        {
            var shown = result.Diagnostics.Take(3).Select(d => d.Headline);
            var more = result.Diagnostics.Count > 3 ? $" (and {result.Diagnostics.Count - 3} more; see 'workbench asm {name}')" : "";
            throw new UserError($"{name} does not assemble: {string.Join("; ", shown)}{more}");
        }
        return new InspectedProgram(Path.GetFileName(name), result.Program!);
    }
}
