namespace VirtualizationWorkbench.Bytecode.Running;

/// <summary>The limits every VM of the course's bytecode enforces identically, so that a program that fails,
/// fails the same way on every platform.</summary>
public static class VmLimits
{
    /// <summary>The most nested calls (the entry function is depth 1); one more is a stack overflow.</summary>
    public const int CallDepth = 512;

    /// <summary>The most heap words a program allocates in all: each array costs its length plus one word for it.
    /// Arrays live until the program ends (no garbage collector).</summary>
    public const int HeapWords = 1 << 20;

    /// <summary>The step limit when none is given.</summary>
    public const long DefaultMaxSteps = 100_000_000;
}
