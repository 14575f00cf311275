namespace VirtualizationWorkbench.Sandbox.Registry;

/// <summary>A <c>.reg</c> file that cannot be read: the message names the file, line and column, what was wrong
/// and what to do.</summary>
public sealed class RegFileFormatException(string file, int line, int column, string problem)
    : FormatException($"{file}:{line}:{column}: {problem}")
{
    /// <summary>The file (or the name given for the text).</summary>
    public string File { get; } = file;

    /// <summary>The 1-based line.</summary>
    public int Line { get; } = line;

    /// <summary>The 1-based column.</summary>
    public int Column { get; } = column;
}
