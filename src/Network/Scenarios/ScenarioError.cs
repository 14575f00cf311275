namespace VirtualizationWorkbench.Network.Scenarios;

/// <summary>A mistake in a scenario, or in a change made to a running one: where it is (<c>FILE:LINE:COLUMN</c>),
/// what is wrong, and what to do about it.</summary>
public sealed class ScenarioError(string file, int line, int column, string message, string? hint = null)
    : Exception(Format(file, line, column, message, hint))
{
    /// <summary>The file (or "command line") the mistake is in.</summary>
    public string File { get; } = file;

    /// <summary>The line and column, from 1; 0 when the mistake is not in one place.</summary>
    public int Line { get; } = line;

    /// <inheritdoc cref="Line"/>
    public int Column { get; } = column;

    private static string Format(string file, int line, int column, string message, string? hint) =>
        (line > 0 ? $"{file}:{line}:{column}: " : $"{file}: ") + message + (hint is null ? "" : $"; {hint}");
}
