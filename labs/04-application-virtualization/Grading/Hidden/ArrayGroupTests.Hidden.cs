using NUnit.Framework;
using VirtualizationWorkbench.Grading;

namespace VirtualizationWorkbench.Labs.ApplicationVm.Grading;

/// <summary>The hidden checks of <see cref="ArrayGroupTests"/>: graded, never shown in detail, and kept out of the
/// student kit and the installed tool (Grading/Hidden/ is the instructor's).</summary>
public sealed partial class ArrayGroupTests
{
    [Test]
    [Property("Points", 2)]
    [Property("Hint", "When Heap.Allocate returns -1 the program is out of memory: fault with the length asked for.")]
    [Property("Visibility", "hidden")]
    public void A_Full_Heap_Faults_And_Allocates_Nothing()
    {
        var limit = Inputs.Next(100, 1000);
        var heap = new Heap(limit);
        var first = Inputs.Next(1, limit - 10);
        var stack = new List<int> { first };
        ArrayGroup.Execute(NewArray, stack, heap);
        var tooMany = limit - first;   // with its length word, one more than what is left
        Observe.That(Fault(() => ArrayGroup.Execute(NewArray, [tooMany], heap)), Is.EqualTo($"out-of-memory {tooMany}"));
        Observe.That(heap.UsedWords, Is.EqualTo(first + 1L));
    }

    [Test]
    [Property("Points", 2)]
    [Property("Hint", "Verify returns a new list and leaves the one it was given alone; other opcodes are not this group's.")]
    [Property("Visibility", "hidden")]
    public void Verify_Leaves_Its_Input_Alone_And_Refuses_Other_Opcodes()
    {
        var stack = With(Below(), Slot.Ref, Slot.Int, Slot.Int);
        var copy = new List<Slot>(stack);
        var after = ArrayGroup.Verify(IAStore, stack);
        Observe.That((stack.SequenceEqual(copy), after.Count), Is.EqualTo((true, copy.Count - 3)));
        var other = (byte)Inputs.Choose(0x01, 0x20, 0x39, 0x44);
        Observe.That(Throws(() => ArrayGroup.Verify(other, stack)) + " " + Throws(() => ArrayGroup.Execute(other, [1, 2, 3], new Heap(100))),
            Is.EqualTo("ArgumentOutOfRangeException ArgumentOutOfRangeException"));
    }

    private static string Throws(Action run)
    {
        try
        {
            run();
            return "nothing";
        }
        catch (Exception e)
        {
            return e.GetType().Name;
        }
    }
}
