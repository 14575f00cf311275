namespace VirtualizationWorkbench.Labs.ApplicationVm;

/// <summary>What the verifier knows about an operand-stack slot: an integer or an array reference.</summary>
public enum Slot
{
    Int,
    Ref,
}

/// <summary>The verifier refuses the instruction: <see cref="Rule"/> is <c>"stack-underflow"</c> or
/// <c>"type"</c>, as <c>curriculum/reference/bytecode.md</c> names them.</summary>
public sealed class VerifyError(string rule, string message) : Exception(message)
{
    public string Rule { get; } = rule;
}

/// <summary>A run-time error: <see cref="Kind"/> is <c>"negative-array-size"</c>, <c>"out-of-memory"</c> or
/// <c>"index-out-of-bounds"</c>; <see cref="Value"/> the length or index involved.</summary>
public sealed class VmFault(string kind, int value) : Exception($"{kind}: {value}")
{
    public string Kind { get; } = kind;
    public int Value { get; } = value;
}
