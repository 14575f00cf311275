using VirtualizationWorkbench.Machine.Assembler;

namespace VirtualizationWorkbench.Workbench.Running;

/// <summary>Turns the file a user names into a program: assembles <c>.s</c> sources, reads <c>.bin</c> images.</summary>
internal static class ProgramLoader
{
    public static ProgramImage Load(string path, IReadOnlyCollection<string> defines)
    {
        if (!File.Exists(path))
        {
            throw new UserError($"{path}: no such file");
        }
        if (IsSource(path))
        {
            return Assemble(path, defines).Program!;
        }
        try
        {
            return ProgramImage.Parse(File.ReadAllBytes(path), path);
        }
        catch (FormatException e)
        {
            throw new UserError(e.Message);
        }
    }

    /// <summary>Assembles a source file; every error goes to standard error and ends the command.</summary>
    public static AssemblyResult Assemble(string path, IReadOnlyCollection<string> defines)
    {
        var result = Assembler.AssembleFile(path, new AssemblerOptions { Defines = defines });
        if (!result.Succeeded)
        {
            foreach (var diagnostic in result.Diagnostics)
            {
                Console.Error.WriteLine(diagnostic);
            }
            throw new UserError($"{path}: {result.Diagnostics.Count} error{(result.Diagnostics.Count == 1 ? "" : "s")}; nothing was written", exitCode: 1);
        }
        return result;
    }

    public static bool IsSource(string path) => Path.GetExtension(path).ToLowerInvariant() is ".s" or ".asm";
}
