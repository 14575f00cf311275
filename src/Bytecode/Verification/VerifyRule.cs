namespace VirtualizationWorkbench.Bytecode.Verification;

/// <summary>The rules the verifier enforces; a refusal names one (<c>curriculum/reference/bytecode.md</c> lists
/// them with examples).</summary>
public enum VerifyRule
{
    /// <summary>Function-table limits: locals, parameters, max stack, an entry function without parameters.</summary>
    Limits,
    /// <summary>A byte that is not an instruction.</summary>
    Opcode,
    /// <summary>An instruction whose operand runs past the end of the code.</summary>
    Operand,
    /// <summary>A jump outside the code or into the middle of an instruction.</summary>
    JumpTarget,
    /// <summary>A local index outside the function's local-variable array.</summary>
    LocalIndex,
    /// <summary>A call to a function the module does not have.</summary>
    FunctionIndex,
    /// <summary>An instruction that takes more values than the operand stack holds.</summary>
    StackUnderflow,
    /// <summary>The operand stack grows past the function's declared max stack.</summary>
    StackLimit,
    /// <summary>Two paths reach one instruction with different operand stacks.</summary>
    StackMerge,
    /// <summary>An integer where an array reference is needed, or the other way round.</summary>
    Type,
    /// <summary>Execution can run past the last instruction.</summary>
    FallOff,
}
