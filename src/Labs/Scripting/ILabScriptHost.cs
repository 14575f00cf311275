namespace VirtualizationWorkbench.Labs.Scripting;

/// <summary>
/// Runs lab scripts. The one seam between the lab engine and a JavaScript engine (today Jint 4.18, ES2023, see
/// <see cref="JintScriptHost"/>), so the engine can change without touching labs or checks. A host exposes
/// exactly the lab API of <c>curriculum/authoring.md</c> and nothing of .NET, and keeps every script within
/// its <see cref="ScriptLimits"/>.
/// </summary>
public interface ILabScriptHost
{
    /// <summary>Gives scripts the API of one step: <c>lab</c>, <c>check</c>, <c>expect</c>, <c>solution</c> and
    /// <c>log</c>. Called once, before the step's first block.</summary>
    void Bind(LabScriptGlobals globals);

    /// <summary>Runs one script block; the blocks of a step share their variables.</summary>
    /// <param name="script">The block.</param>
    /// <param name="labFile">The lab file, for error messages.</param>
    /// <param name="cancellation">Stops the block from outside (a UI's Esc or Ctrl+C).</param>
    /// <exception cref="LabScriptException">The script failed: syntax error, runtime error, a host function
    /// refused, or a limit was reached.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellation"/> was cancelled.</exception>
    void Execute(ScriptBlock script, string labFile, CancellationToken cancellation = default);
}

/// <summary>
/// What the scripts of one step can reach, independent of the script engine. Values scripts pass to
/// <see cref="Expect"/>, <see cref="Solution"/> and <see cref="Log"/> arrive as plain .NET values: a
/// <see cref="double"/>, <see cref="string"/>, <see cref="bool"/>, null (for <c>undefined</c> and <c>null</c>),
/// an <c>object?[]</c> for an array, or other objects as the text JavaScript would make of them.
/// </summary>
/// <param name="Lab">The lab.</param>
/// <param name="Work">The student whose work is checked.</param>
/// <param name="Check"><c>check(condition, message)</c>.</param>
/// <param name="Expect"><c>expect(actual, expected, message)</c>.</param>
/// <param name="Solution"><c>solution(id, value)</c>; throws <see cref="ScriptFailure"/> for a question the
/// step does not have.</param>
/// <param name="Log"><c>log(value)</c>.</param>
/// <param name="Made">Told of each lab object the scripts make that a student can look at afterwards (a
/// storage layer, a network, …): the terminal UI opens its view (<c>LabViews</c>). Null when nobody looks.</param>
public sealed record LabScriptGlobals(
    LabDocument Lab,
    StudentWork Work,
    Action<bool, string> Check,
    Action<object?, object?, string> Expect,
    Action<string, object?> Solution,
    Action<object?> Log,
    Action<object>? Made = null);

/// <summary>A lab script failed; <see cref="Exception.Message"/> names the lab file and line and says what to do.</summary>
public sealed class LabScriptException(string file, int line, string message)
    : Exception($"{file}:{line}: script error: {message}")
{
    /// <summary>The lab file.</summary>
    public string File { get; } = file;
    /// <summary>The line of lab.md where the error is.</summary>
    public int Line { get; } = line;
}

/// <summary>Thrown by the lab API for a mistake in how a script calls it; the message says what was wrong.</summary>
public sealed class ScriptFailure(string message) : Exception(message);
