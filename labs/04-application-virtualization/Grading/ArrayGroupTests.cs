using NUnit.Framework;
using VirtualizationWorkbench.Grading;

namespace VirtualizationWorkbench.Labs.ApplicationVm.Grading;

/// <summary>Grades <see cref="ArrayGroup"/>: the verifier rules and the execution of newarray, iaload, iastore and
/// arraylength.</summary>
[TestFixture]
public sealed partial class ArrayGroupTests
{
    private const byte NewArray = 0x40, IALoad = 0x41, IAStore = 0x42, ArrayLength = 0x43;

    // Lengths, indexes, values and the stacks below the operands come from the grading run's seed (Inputs), so
    // every check observes values a submission cannot know in advance.
    private static List<Slot> Below()
    {
        var below = new List<Slot>();
        var count = Inputs.Next(0, 5);
        for (var i = 0; i < count; i++) below.Add(Inputs.Choose(Slot.Int, Slot.Ref));
        return below;
    }

    private static List<Slot> With(List<Slot> below, params Slot[] top) => [.. below, .. top];

    private static string Refusal(byte opcode, List<Slot> stack)
    {
        try
        {
            ArrayGroup.Verify(opcode, stack);
            return "accepted";
        }
        catch (VerifyError e)
        {
            return e.Rule;
        }
    }

    private static string Fault(Action run)
    {
        try
        {
            run();
            return "none";
        }
        catch (VmFault e)
        {
            return $"{e.Kind} {e.Value}";
        }
    }

    [Test]
    [Property("Points", 2)]
    [Property("Hint", "newarray takes an integer and leaves a reference; arraylength takes a reference and leaves an integer. The slots below stay as they were.")]
    [Property("Visibility", "visible")]
    public void Newarray_And_Arraylength_Change_The_Top_Slot_Type()
    {
        var below = Below();
        Observe.That(ArrayGroup.Verify(NewArray, With(below, Slot.Int)), Is.EqualTo(With(below, Slot.Ref)));
        Observe.That(ArrayGroup.Verify(ArrayLength, With(below, Slot.Ref)), Is.EqualTo(With(below, Slot.Int)));
    }

    [Test]
    [Property("Points", 2)]
    [Property("Hint", "iaload: ref, int -> int; iastore: ref, int, int -> nothing. Check the operands from the top down to the first.")]
    [Property("Visibility", "visible")]
    public void Iaload_And_Iastore_Take_An_Array_And_Integers()
    {
        var below = Below();
        Observe.That(ArrayGroup.Verify(IALoad, With(below, Slot.Ref, Slot.Int)), Is.EqualTo(With(below, Slot.Int)));
        Observe.That(ArrayGroup.Verify(IAStore, With(below, Slot.Ref, Slot.Int, Slot.Int)), Is.EqualTo(below));
    }

    [Test]
    [Property("Points", 3)]
    [Property("Hint", "A forged reference is an integer used as an array: the rule is \"type\". Too few slots: \"stack-underflow\".")]
    [Property("Visibility", "visible")]
    public void The_Verifier_Refuses_Forged_References_And_Underflow()
    {
        var below = Below();
        Observe.That(new[]
        {
            Refusal(IALoad, With(below, Slot.Int, Slot.Int)),
            Refusal(ArrayLength, With(below, Slot.Int)),
            Refusal(NewArray, With(below, Slot.Ref)),
            Refusal(IAStore, With(below, Slot.Ref, Slot.Ref, Slot.Int)),
            Refusal(IAStore, [Slot.Int, Slot.Int]),
            Refusal(IALoad, [Slot.Ref]),
            Refusal(NewArray, []),
        }, Is.EqualTo(new[] { "type", "type", "type", "type", "stack-underflow", "stack-underflow", "stack-underflow" }));
    }

    [Test]
    [Property("Points", 3)]
    [Property("Hint", "newarray pushes the handle Heap.Allocate returns; a new array holds zeros; iastore then iaload gives the value back.")]
    [Property("Visibility", "visible")]
    public void Arrays_Are_Created_Stored_And_Read()
    {
        var heap = new Heap(1 << 16);
        var length = Inputs.Next(1, 500);
        var index = Inputs.Next(0, length);
        var value = Inputs.Next(int.MinValue, int.MaxValue);
        var stack = new List<int> { 7, length };
        ArrayGroup.Execute(NewArray, stack, heap);
        var handle = stack[^1];
        ArrayGroup.Execute(ArrayLength, stack, heap);
        Observe.That(stack, Is.EqualTo(new[] { 7, length }));
        stack = [handle, index];
        ArrayGroup.Execute(IALoad, stack, heap);
        Observe.That(stack, Is.EqualTo(new[] { 0 }), "a new array holds zeros");
        stack = [handle, index, value];
        ArrayGroup.Execute(IAStore, stack, heap);
        Observe.That(stack, Is.Empty);
        stack = [handle, index];
        ArrayGroup.Execute(IALoad, stack, heap);
        Observe.That(stack, Is.EqualTo(new[] { value }));
    }

    [Test]
    [Property("Points", 3)]
    [Property("Hint", "Valid indexes are 0 to length-1; a negative index is out of bounds too. The fault's value is the index.")]
    [Property("Visibility", "visible")]
    public void Out_Of_Bounds_Indexes_Fault()
    {
        var heap = new Heap(1 << 16);
        var length = Inputs.Next(1, 100);
        var handle = heap.Allocate(length);
        var negative = -Inputs.Next(1, 1000);
        Observe.That(new[]
        {
            Fault(() => ArrayGroup.Execute(IALoad, [handle, length], heap)),
            Fault(() => ArrayGroup.Execute(IAStore, [handle, negative, 5], heap)),
            Fault(() => ArrayGroup.Execute(IALoad, [handle, length - 1], heap)),
        }, Is.EqualTo(new[] { $"index-out-of-bounds {length}", $"index-out-of-bounds {negative}", "none" }));
    }

    [Test]
    [Property("Points", 2)]
    [Property("Hint", "Check the length before calling Heap.Allocate: a negative one is \"negative-array-size\".")]
    [Property("Visibility", "visible")]
    public void A_Negative_Length_Faults()
    {
        var length = -Inputs.Next(1, 10_000);
        Observe.That(Fault(() => ArrayGroup.Execute(NewArray, [length], new Heap(1 << 16))), Is.EqualTo($"negative-array-size {length}"));
    }
}
