namespace VirtualizationWorkbench.Labs.ApplicationVm;

/// <summary>
/// One group of the course's bytecode: the array instructions, each with its verifier rule and its execution
/// (<c>curriculum/reference/bytecode.md</c>, "Arrays"). Operand stacks are lists with the top last.
/// <list type="table">
/// <item><term>0x40 newarray</term><description>int length → ref. Negative length: fault
/// <c>"negative-array-size"</c> (value: the length); the heap says no (<see cref="Heap.Allocate"/> returns -1): fault
/// <c>"out-of-memory"</c> (value: the length). Pushes the handle.</description></item>
/// <item><term>0x41 iaload</term><description>ref array, int index → int element. An index outside 0..length-1:
/// fault <c>"index-out-of-bounds"</c> (value: the index).</description></item>
/// <item><term>0x42 iastore</term><description>ref array, int index, int value → nothing. Same bounds
/// rule.</description></item>
/// <item><term>0x43 arraylength</term><description>ref array → int length.</description></item>
/// </list>
/// The verifier's rules: an instruction that needs more slots than the stack has breaks <c>"stack-underflow"</c>;
/// a slot of the wrong kind breaks <c>"type"</c>. Any other opcode is not this group's: throw
/// <see cref="ArgumentOutOfRangeException"/>. Grade your work with <c>workbench grade 04</c>.
/// </summary>
public static class ArrayGroup
{
    /// <summary>The verifier's step: the stack types after <paramref name="opcode"/> runs on a stack of
    /// <paramref name="stack"/> (a new list; <paramref name="stack"/> is left as it is), or a
    /// <see cref="VerifyError"/>.</summary>
    public static List<Slot> Verify(byte opcode, IReadOnlyList<Slot> stack)
    {
        // TODO: check the operands' count and kinds, then return the stack after the instruction.
        _ = (opcode, stack);
        throw new NotImplementedException($"{nameof(ArrayGroup)}.{nameof(Verify)}: the verifier rules of the array instructions are yours to write");
    }

    /// <summary>The interpreter's step: runs <paramref name="opcode"/> on <paramref name="stack"/> (changed in
    /// place) and <paramref name="heap"/>; run-time errors are <see cref="VmFault"/>s. The code was verified.</summary>
    public static void Execute(byte opcode, List<int> stack, Heap heap)
    {
        // TODO: pop the operands, do the work, push the result.
        _ = (opcode, stack, heap);
        throw new NotImplementedException($"{nameof(ArrayGroup)}.{nameof(Execute)}: the array instructions are yours to write");
    }
}
