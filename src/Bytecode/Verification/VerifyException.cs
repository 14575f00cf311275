namespace VirtualizationWorkbench.Bytecode.Verification;

/// <summary>Bytecode the verifier refuses: the rule, the function and the code offset, and what is wrong.</summary>
public sealed class VerifyException(VerifyRule rule, string function, int offset, string detail)
    : Exception($"verify error [{RuleName(rule)}] in function '{function}' at offset 0x{offset:x4}: {detail}")
{
    /// <summary>The rule broken.</summary>
    public VerifyRule Rule { get; } = rule;

    /// <summary>The function's name.</summary>
    public string Function { get; } = function;

    /// <summary>The code offset of the instruction (0 for the function's limits).</summary>
    public int Offset { get; } = offset;

    /// <summary>The rule's name as errors print it (<c>stack-underflow</c>).</summary>
    public static string RuleName(VerifyRule rule) => rule switch
    {
        VerifyRule.JumpTarget => "jump-target",
        VerifyRule.LocalIndex => "local-index",
        VerifyRule.FunctionIndex => "function-index",
        VerifyRule.StackUnderflow => "stack-underflow",
        VerifyRule.StackLimit => "stack-limit",
        VerifyRule.StackMerge => "stack-merge",
        VerifyRule.FallOff => "fall-off",
        _ => rule.ToString().ToLowerInvariant(),
    };
}
