using NUnit.Framework;
using VirtualizationWorkbench.Grading;

namespace VirtualizationWorkbench.Labs.SystemCalls.Grading;

/// <summary>The hidden checks of <see cref="SystemCallTests"/>: graded, never shown in detail, and kept out of the student
/// kit and the installed tool (Grading/Hidden/ is the instructor's).</summary>
public sealed partial class SystemCallTests
{
    [Test]
    [Property("Points", 1)]
    [Property("Hint", "Check the end of the buffer too: buffer + length must not pass UserProcess.UserEnd, and must not wrap around 2^32.")]
    [Property("Visibility", "hidden")]
    public void Write_Refuses_A_Buffer_That_Runs_Past_Or_Wraps()
    {
        var offset = Inputs.Next(2, 200);
        var outcome = Run($"""
                li r0, 1
                li r1, 0x20FFF0      ; 16 bytes before the end of user memory
                li r2, 32
                int 0x80
                mov r8, r0
                li r0, 1
                li r1, 0xFFFFFFF0    ; wraps around to 0x10
                li r2, 0x220
                int 0x80
                and r1, r0, r8
                addi r1, r1, {offset}
                li r0, 4
                int 0x80
            """);
        Observe.That(outcome.End, Is.EqualTo(ProgramEnd.Exited), outcome.Reason);
        Observe.That(outcome.Console, Is.Empty);
        Observe.That(outcome.ExitCode, Is.EqualTo(offset - 1), "both writes return -1");
    }

    [Test]
    [Property("Points", 1)]
    [Property("Hint", "A divide by zero is an exception (vector 0) like any other.")]
    [Property("Visibility", "hidden")]
    public void A_Divide_Error_Kills_The_Program()
    {
        var text = Word();
        var outcome = Run($"""
                li r0, 1
                li r1, text
                li r2, {text.Length}
                int 0x80
                li r1, 1
                li r2, 0
                div r3, r1, r2
                li r0, 4
                int 0x80
                .org 0x200000
            text: .ascii "{text}"
            """);
        Observe.That(outcome.End, Is.EqualTo(ProgramEnd.Killed));
        Observe.That(outcome.Reason, Does.Contain("divide-error"));
        Observe.That(outcome.Console, Is.EqualTo(text), "what it wrote before is kept");
    }
}
