using NUnit.Framework;
using VirtualizationWorkbench.Grading;
using VirtualizationWorkbench.Machine.Virtualization;

namespace VirtualizationWorkbench.Labs.ExitHandling.Grading;

/// <summary>The hidden checks of <see cref="IoExitHandlerTests"/>: graded, never shown in detail, and kept out of the student
/// kit and the installed tool (Grading/Hidden/ is the instructor's).</summary>
public sealed partial class IoExitHandlerTests
{
    [Test]
    [Property("Points", 2)]
    [Property("Hint", "A polite guest polls the status port before each character.")]
    [Property("Visibility", "hidden")]
    public void A_Guest_Prints_A_Line_Politely()
    {
        var text = Word() + "\n";
        var (run, handler, done, reason) = Start($"""
                li r2, text
            next:
                in r3, 0x3F9
                andi r3, r3, 2
                je next
                ldb r4, [r2]
                cmpi r4, 0
                je done
                out 0x3F8, r4
                addi r2, r2, 1
                jmp next
            done:
                hlt
            text: .asciz "{text[..^1]}\n"
            """);
        Observe.That(done, Is.True, reason);
        Observe.That(handler.Console, Is.EqualTo(text));
        Observe.That(run.Exits[VmExitReason.IoInstruction], Is.EqualTo(2 * text.Length + 1), "a status read and a write per character, and the last status read");
    }
}
