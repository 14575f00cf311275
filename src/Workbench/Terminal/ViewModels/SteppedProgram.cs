using VirtualizationWorkbench.Bytecode.Compiler;
using VirtualizationWorkbench.Bytecode.Format;
using VirtualizationWorkbench.Bytecode.Verification;

namespace VirtualizationWorkbench.Workbench.Terminal.ViewModels;

/// <summary>A verified bytecode program for the stepping screen, with the source it was compiled from (empty when
/// there is none to show) and the name it is shown under.</summary>
public sealed record SteppedProgram(string Name, BytecodeModule Module, IReadOnlyList<string> Source)
{
    /// <summary>Whether <paramref name="path"/> names a program the stepping screen opens (<c>.wl</c> or <c>.vbc</c>).</summary>
    public static bool Handles(string path) => Path.GetExtension(path).ToLowerInvariant() is ".wl" or ".vbc";

    /// <summary>Compiles a <c>.wl</c> source, or loads a <c>.vbc</c> module and the source its debug section names
    /// (looked for as written, then beside the module); either is verified, as the VM's class loader does. A file
    /// that is missing, does not compile or does not verify is a <see cref="UserError"/> saying where.</summary>
    public static SteppedProgram FromFile(string path)
    {
        if (!File.Exists(path)) throw new UserError($"{path}: no such file; give a source in the workbench language (.wl) or a bytecode module (.vbc)");
        var name = Path.GetFileName(path);
        if (Path.GetExtension(path).Equals(".wl", StringComparison.OrdinalIgnoreCase))
        {
            var text = File.ReadAllText(path);
            return Verified(new SteppedProgram(name, Compiled(text, path), Lines(text)), path);
        }
        BytecodeModule module;
        try
        {
            module = BytecodeModule.Parse(File.ReadAllBytes(path));
        }
        catch (BytecodeFormatException e)
        {
            throw new UserError($"{path}: {e.Message}");
        }
        var source = new[] { module.SourceFile, Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, Path.GetFileName(module.SourceFile)) }
            .FirstOrDefault(f => f.Length > 0 && Path.GetFileName(f).Length > 0 && File.Exists(f));
        return Verified(new SteppedProgram(name, module, source is null ? [] : Lines(File.ReadAllText(source))), path);
    }

    /// <summary>A module a lab's checks compiled and verified, with its source text.</summary>
    public static SteppedProgram Of(BytecodeModule verified, string source, string file) => new(Path.GetFileName(file), verified, Lines(source));

    private static BytecodeModule Compiled(string source, string file)
    {
        try
        {
            return WlCompiler.Compile(source, file);
        }
        catch (CompileException e)
        {
            var more = e.Diagnostics.Count > 3 ? $" (and {e.Diagnostics.Count - 3} more; see 'workbench bytecode compile {file}')" : "";
            throw new UserError($"{file} does not compile: {string.Join("; ", e.Diagnostics.Take(3).Select(d => d.Headline))}{more}");
        }
    }

    private static SteppedProgram Verified(SteppedProgram program, string path)
    {
        try
        {
            Verifier.Verify(program.Module);
            return program;
        }
        catch (VerifyException e)
        {
            throw new UserError($"{path}: {e.Message}");
        }
    }

    // Shown on the terminal: tabs as spaces, and nothing in a student's file may move the cursor or retitle it.
    private static string[] Lines(string text) =>
        [.. text.ReplaceLineEndings("\n").TrimEnd('\n').Split('\n').Select(l => Machine.Assembler.Diagnostic.Printable(l.Replace("\t", "    ", StringComparison.Ordinal)))];
}
