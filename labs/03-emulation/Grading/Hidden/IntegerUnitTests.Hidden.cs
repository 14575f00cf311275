using NUnit.Framework;
using VirtualizationWorkbench.Grading;
using static VirtualizationWorkbench.Labs.IntegerUnit.Grading.Rv32Reference;

namespace VirtualizationWorkbench.Labs.IntegerUnit.Grading;

/// <summary>The hidden checks of <see cref="IntegerUnitTests"/>: graded, never shown in detail, and kept out of the
/// student kit and the installed tool (Grading/Hidden/ is the instructor's).</summary>
public sealed partial class IntegerUnitTests
{
    [Test]
    [Property("Points", 4)]
    [Property("Hint", "Random words of the group's four opcodes, defined encodings or not: every one must do what the reference interpreter does.")]
    [Property("Visibility", "hidden")]
    public void Random_Words_Of_The_Group()
    {
        for (var i = 0; i < 300; i++)
        {
            var word = Value() & ~0x7Fu | Inputs.Choose(GroupOpcodes);
            // Most OP words get a defined funct7, or the test would mostly see refusals.
            if ((word & 0x7F) == 0x33 && Inputs.Next(0, 4) != 0) word = word & 0x01FF_FFFF | Inputs.Choose(0x00u, 0x20u, 0x01u) << 25;
            Check(word, Registers(), Pc());
        }
    }

    [Test]
    [Property("Points", 2)]
    [Property("Hint", "A straight-line program: each instruction reads what the ones before it wrote.")]
    [Property("Visibility", "hidden")]
    public void A_Straight_Line_Program()
    {
        var student = Registers();
        var reference = (uint[])student.Clone();
        var pc = Pc();
        for (var i = 0; i < 200; i++, pc += 4)
        {
            var word = Inputs.Next(0, 2) == 0
                ? TypeR(0x33, Inputs.Next(1, 8), (uint)Inputs.Next(0, 8), Inputs.Next(0, 8), Inputs.Next(0, 8), Inputs.Choose(0x00u, 0x01u))
                : TypeI(0x13, Inputs.Next(1, 8), Inputs.Choose(0u, 2u, 3u, 4u, 6u, 7u), Inputs.Next(0, 8), Inputs.Next(-2048, 2048));
            (_, student) = Student(word, student, pc);
            (_, reference) = Execute(word, reference, pc);
        }
        Observe.That(student, Is.EqualTo(reference), "x0-x31 after 200 instructions on x1-x7");
    }
}
