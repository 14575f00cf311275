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
        var text = Word() + "\n";
        var idt = (uint)Inputs.Next(0x100, 0x20000) << 3;
        var (guest, emulator, end, reason) = Run($"""
                li r1, {idt}
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
            text: .asciz "{text[..^1]}\n"
            """);
        Observe.That(end, Is.EqualTo(GuestEnd.Halted), reason);
        Observe.That(emulator.Console, Is.EqualTo(text));
        Observe.That((guest.Vcpu.Idtr, guest.Vcpu.InterruptsEnabled), Is.EqualTo((idt, true)));
    }
}
