namespace VirtualizationWorkbench.Bytecode.Verification;

/// <summary>What the verifier proved a stack slot or a local holds at an instruction.</summary>
public enum SlotType
{
    /// <summary>An integer.</summary>
    Int,
    /// <summary>An array reference (at run time, a handle into the heap).</summary>
    Array,
    /// <summary>A local whose paths into the instruction disagree: the code cannot read it until it stores it again.</summary>
    Unusable,
}
