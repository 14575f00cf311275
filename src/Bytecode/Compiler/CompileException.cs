using VirtualizationWorkbench.Machine.Assembler;

namespace VirtualizationWorkbench.Bytecode.Compiler;

/// <summary>A source that does not compile: every error found, each with file:line:column, the line and a hint
/// (the assembler's <see cref="Diagnostic"/>, so both read alike).</summary>
public sealed class CompileException(IReadOnlyList<Diagnostic> diagnostics)
    : Exception(string.Join(Environment.NewLine, diagnostics.Select(d => d.ToString())))
{
    /// <summary>The errors, in source order.</summary>
    public IReadOnlyList<Diagnostic> Diagnostics { get; } = diagnostics;
}
