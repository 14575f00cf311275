namespace VirtualizationWorkbench.Labs;

/// <summary>A lab.md that does not follow the format: names the file, line and column and what to do.</summary>
public sealed class LabFormatException(string file, int line, int column, string message)
    : LabError($"{file}:{line}:{column}: {message}")
{
    /// <summary>The lab file.</summary>
    public string File { get; } = file;
    /// <summary>1-based line.</summary>
    public int Line { get; } = line;
}
