using System.Text;

namespace VirtualizationWorkbench.Machine.Assembler;

/// <summary>An assembler error: where, what, the line itself and a hint.</summary>
/// <param name="File">The source file.</param>
/// <param name="Line">1-based line.</param>
/// <param name="Column">1-based column of the offending text.</param>
/// <param name="Message">What is wrong.</param>
/// <param name="SourceLine">The line as written.</param>
/// <param name="Hint">What to do, or null.</param>
public sealed record Diagnostic(string File, int Line, int Column, string Message, string SourceLine, string? Hint)
{
    /// <summary>The one-line form: <c>kernel.s:12:5: error: unknown instruction 'mvo' (did you mean 'mov'?)</c>.</summary>
    public string Headline => $"{File}:{Line}:{Column}: error: {Message}";

    /// <summary>The headline, the quoted line with a caret under the column, and the hint.</summary>
    public override string ToString()
    {
        var text = new StringBuilder(Headline).AppendLine();
        text.Append("    ").AppendLine(SourceLine.Replace('\t', ' '));
        text.Append("    ").Append(' ', Math.Max(0, Column - 1)).Append('^');
        if (Hint is not null) text.AppendLine().Append("    hint: ").Append(Hint);
        return text.ToString();
    }
}

/// <summary>Thrown by <see cref="Assembler.AssembleText"/> and friends when a source has errors: every
/// error of the source, not just the first.</summary>
public sealed class AssemblyException(IReadOnlyList<Diagnostic> diagnostics)
    : Exception(string.Join(Environment.NewLine, diagnostics.Select(d => d.ToString())))
{
    /// <summary>All errors, in source order.</summary>
    public IReadOnlyList<Diagnostic> Diagnostics { get; } = diagnostics;
}
