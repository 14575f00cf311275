using System.Reflection;
using VirtualizationWorkbench.Machine.Assembler;

namespace VirtualizationWorkbench.Network.Scenarios;

/// <summary>
/// Where a scenario's guest programs come from: the built-in ones (<c>ping</c>, <c>echo</c>, <c>stream</c>, and
/// <c>ethernet.s</c>, which any program may <c>.include</c>) travel in the assembly; a <c>FILE.s</c> is read by
/// <see cref="Load"/>, which the command line points at the scenario's folder and a lab script at the student's
/// work folder.
/// </summary>
public class ProgramFiles
{
    private readonly string? folder;

    /// <summary>Programs read from <paramref name="folder"/> (null: built-in programs only).</summary>
    public ProgramFiles(string? folder) => this.folder = folder;

    /// <summary>The text and path of the program file <paramref name="name"/>; null if it does not exist.</summary>
    public virtual (string Text, string Path)? Load(string name)
    {
        if (folder is null) return null;
        var path = System.IO.Path.Combine(folder, name);
        return File.Exists(path) ? (File.ReadAllText(path), path) : null;
    }

    /// <summary>Assembler options whose includes are read as <see cref="Load"/> reads files.</summary>
    public virtual AssemblerOptions Options() => new();

    /// <summary>Assembles a scenario's program: a built-in name or a <c>.s</c> file.</summary>
    internal ProgramImage Assemble(string program, SourceSpot spot)
    {
        var (text, path) = BuiltIn(program + ".s") is { } builtIn ? (builtIn, $"builtin/{program}.s")
            : Load(program) ?? throw spot.Error($"program '{program}' not found" + (folder is null ? "" : $" in {folder}"), $"the built-in programs are {string.Join(", ", ScenarioParser.BuiltInPrograms)}");
        var options = Options();
        var read = options.ReadFile;
        options = options with
        {
            // Every program may include the built-in routines (ethernet.s) without a copy of its own.
            ReadFile = p => read(p) ?? (path.StartsWith("builtin/", StringComparison.Ordinal) || System.IO.Path.GetFileName(p) == "ethernet.s" ? BuiltIn(System.IO.Path.GetFileName(p)) : null),
        };
        try
        {
            return Assembler.AssembleText(text, path, options);
        }
        catch (AssemblyException e)
        {
            throw spot.Error($"program {program} does not assemble:\n  {string.Join("\n  ", e.Diagnostics.Take(10))}");
        }
    }

    /// <summary>The text of a built-in guest program (<c>ping.s</c>, <c>echo.s</c>, <c>stream.s</c>, <c>ethernet.s</c>).</summary>
    public static string? BuiltIn(string fileName)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("Guests." + fileName);
        if (stream is null) return null;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
