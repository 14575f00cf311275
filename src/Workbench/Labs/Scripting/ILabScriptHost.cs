namespace VirtualizationWorkbench.Cli.Labs.Scripting;

/// <summary>
/// Runs lab scripts. The one seam between the lab engine and a JavaScript engine (Jint 2.10.4, ES5.1, today),
/// so the engine can change without touching labs or checks.
/// </summary>
public interface ILabScriptHost
{
    /// <summary>Makes a host object or function visible to scripts under <paramref name="name"/>.</summary>
    void Define(string name, object value);

    /// <summary>Runs one script block.</summary>
    /// <exception cref="LabScriptException">The script failed: syntax error, runtime error, or a limit.</exception>
    void Execute(ScriptBlock script, string labFile);
}

/// <summary>A lab script failed; <see cref="Exception.Message"/> names the lab file and line.</summary>
public sealed class LabScriptException(string file, int line, string message)
    : Exception($"{file}:{line}: script error: {message}")
{
    /// <summary>The lab file.</summary>
    public string File { get; } = file;
    /// <summary>The line of lab.md where the error is.</summary>
    public int Line { get; } = line;
}
