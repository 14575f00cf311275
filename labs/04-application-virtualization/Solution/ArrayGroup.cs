namespace VirtualizationWorkbench.Labs.ApplicationVm;

/// <summary>
/// One group of the course's bytecode: the array instructions, each with its verifier rule and its execution
/// (<c>curriculum/reference/bytecode.md</c>, "Arrays"). The reference solution.
/// </summary>
public static class ArrayGroup
{
    private const byte NewArray = 0x40, IALoad = 0x41, IAStore = 0x42, ArrayLength = 0x43;

    /// <summary>The verifier's step.</summary>
    public static List<Slot> Verify(byte opcode, IReadOnlyList<Slot> stack)
    {
        Slot[] operands = opcode switch
        {
            NewArray => [Slot.Int],
            IALoad => [Slot.Ref, Slot.Int],
            IAStore => [Slot.Ref, Slot.Int, Slot.Int],
            ArrayLength => [Slot.Ref],
            _ => throw new ArgumentOutOfRangeException(nameof(opcode), opcode, "not an array instruction"),
        };
        if (stack.Count < operands.Length) throw new VerifyError("stack-underflow", $"0x{opcode:x2} needs {operands.Length} operands; the stack holds {stack.Count}");
        var first = stack.Count - operands.Length;
        for (var i = 0; i < operands.Length; i++)
        {
            if (stack[first + i] != operands[i]) throw new VerifyError("type", $"0x{opcode:x2}: operand {i + 1} is {stack[first + i]}, not {operands[i]}");
        }
        var after = new List<Slot>(stack.Take(first));
        if (opcode == NewArray) after.Add(Slot.Ref);
        else if (opcode != IAStore) after.Add(Slot.Int);
        return after;
    }

    /// <summary>The interpreter's step.</summary>
    public static void Execute(byte opcode, List<int> stack, Heap heap)
    {
        switch (opcode)
        {
            case NewArray:
            {
                var length = Pop();
                if (length < 0) throw new VmFault("negative-array-size", length);
                var handle = heap.Allocate(length);
                if (handle < 0) throw new VmFault("out-of-memory", length);
                stack.Add(handle);
                break;
            }
            case IALoad:
            {
                var index = Pop();
                var array = heap[Pop()];
                if ((uint)index >= (uint)array.Length) throw new VmFault("index-out-of-bounds", index);
                stack.Add(array[index]);
                break;
            }
            case IAStore:
            {
                var value = Pop();
                var index = Pop();
                var array = heap[Pop()];
                if ((uint)index >= (uint)array.Length) throw new VmFault("index-out-of-bounds", index);
                array[index] = value;
                break;
            }
            case ArrayLength:
                stack.Add(heap[Pop()].Length);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(opcode), opcode, "not an array instruction");
        }

        int Pop()
        {
            var value = stack[^1];
            stack.RemoveAt(stack.Count - 1);
            return value;
        }
    }
}
