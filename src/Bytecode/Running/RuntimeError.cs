using System.Globalization;
using VirtualizationWorkbench.Bytecode.Format;

namespace VirtualizationWorkbench.Bytecode.Running;

/// <summary>A run-time error: what, in which function, at which code offset, with the values involved. Both VMs
/// report these same fields, so their error messages are identical too.</summary>
/// <param name="Kind">What went wrong.</param>
/// <param name="Function">The function's index.</param>
/// <param name="Offset">The offset of the failing instruction in the function's code.</param>
/// <param name="Value">The index (bounds), the length (negative size) or the limit (steps).</param>
/// <param name="Length">The array's length (bounds).</param>
public sealed record RuntimeError(RuntimeErrorKind Kind, int Function, int Offset, long Value, int Length)
{
    /// <summary>The error as the user reads it: <c>division by zero in function 'gcd' at offset 0x0007 (gcd.wl:4:9)</c>.</summary>
    public string Describe(BytecodeModule module)
    {
        var what = Kind switch
        {
            RuntimeErrorKind.DivisionByZero => "division by zero",
            RuntimeErrorKind.IndexOutOfBounds => $"array index {Value} out of bounds for length {Length}",
            RuntimeErrorKind.NegativeArraySize => $"negative array size {Value}",
            RuntimeErrorKind.OutOfMemory => $"out of memory: the program allocated more than {VmLimits.HeapWords.ToString("N0", CultureInfo.InvariantCulture)} words of arrays",
            RuntimeErrorKind.StackOverflow => $"stack overflow: more than {VmLimits.CallDepth} nested calls",
            RuntimeErrorKind.StepLimit => $"the program did not finish within {Value.ToString("N0", CultureInfo.InvariantCulture)} steps (an endless loop? raise the limit with --max-steps)",
            _ => Kind.ToString(),
        };
        var function = Function >= 0 && Function < module.Functions.Count ? module.Functions[Function] : null;
        var where = function is null ? "" : $" in function '{function.Name}' at offset 0x{Offset:x4}";
        var line = function?.LineAt(Offset) is { } entry && module.SourceFile.Length > 0 ? $" ({module.SourceFile}:{entry.Line}:{entry.Column})" : "";
        return what + where + line;
    }
}
