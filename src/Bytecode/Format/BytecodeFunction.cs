namespace VirtualizationWorkbench.Bytecode.Format;

/// <summary>
/// One function of a bytecode module (the JVM's method): its parameters (which of them are array references), the
/// size of its local-variable array (parameters first) and of its operand stack, its code and its debugging
/// information.
/// </summary>
/// <param name="Name">The function's name, for errors and listings ("f3" when the file carries no names).</param>
/// <param name="Parameters">How many of the locals are parameters (0 to <see cref="Locals"/>).</param>
/// <param name="Locals">The size of the local-variable array, parameters included (at most 255).</param>
/// <param name="MaxStack">The most operand-stack slots the code uses (the verifier checks the claim).</param>
/// <param name="ReferenceParameters">Bit i set: parameter i is an array reference; clear: an integer.</param>
/// <param name="Code">The instructions.</param>
/// <param name="Lines">Where each statement's code starts in the source, in code order (may be empty).</param>
public sealed record BytecodeFunction(string Name, int Parameters, int Locals, int MaxStack, uint ReferenceParameters, byte[] Code, IReadOnlyList<LineEntry> Lines)
{
    /// <summary>The source's name of each local, by index (empty when the file carries none; then a debugger
    /// shows <c>local 2</c>).</summary>
    public IReadOnlyList<string> LocalNames { get; init; } = [];

    /// <summary>The name of local <paramref name="index"/>: the variable's, or <c>local N</c>.</summary>
    public string LocalName(int index) => index < LocalNames.Count ? LocalNames[index] : $"local {index}";

    /// <summary>Whether parameter <paramref name="index"/> is an array reference.</summary>
    public bool IsReferenceParameter(int index) => (ReferenceParameters >> index & 1) != 0;

    /// <summary>The source position of the statement that holds code offset <paramref name="offset"/>, if known.</summary>
    public LineEntry? LineAt(int offset)
    {
        LineEntry? found = null;
        foreach (var entry in Lines)
        {
            if (entry.Offset > offset) break;
            found = entry;
        }
        return found;
    }
}

/// <summary>A statement's first code offset and where it is in the source.</summary>
public readonly record struct LineEntry(int Offset, int Line, int Column);
