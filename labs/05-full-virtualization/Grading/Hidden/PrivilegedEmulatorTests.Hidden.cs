using NUnit.Framework;
using VirtualizationWorkbench.Grading;

namespace VirtualizationWorkbench.Labs.TrapAndEmulate.Grading;

/// <summary>The hidden checks of <see cref="PrivilegedEmulatorTests"/>: graded, never shown in detail, and kept out of the student
/// kit and the installed tool (Grading/Hidden/ is the instructor's).</summary>
public sealed partial class PrivilegedEmulatorTests
{
    [Test]
    [Property("Points", 2)]
    [Property("Hint", "All of it together: a kernel that prints through the console once it is ready.")]
    [Property("Visibility", "hidden")]
    public void A_Small_Kernel_Runs_To_The_End()
    {
        var (guest, emulator, end, reason) = Run("""
                li r1, 0x2000
                lidt r1
                cli
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
                sti
                hlt
            text: .asciz "trap and emulate\n"
            """);
        Observe.That(end, Is.EqualTo(GuestEnd.Halted), reason);
        Observe.That(emulator.Console, Is.EqualTo("trap and emulate\n"));
        Observe.That(guest.Vcpu.InterruptsEnabled, Is.True);
    }
}
