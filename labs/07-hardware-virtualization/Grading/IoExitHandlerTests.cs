using NUnit.Framework;
using VirtualizationWorkbench.Grading;
using VirtualizationWorkbench.Machine.Virtualization;

namespace VirtualizationWorkbench.Labs.ExitHandling.Grading;

/// <summary>Grades <see cref="IoExitHandler"/> with small guests in non-root mode under <see cref="GuestRun"/>.</summary>
[TestFixture]
public sealed partial class IoExitHandlerTests
{
    private static (GuestRun Run, IoExitHandler Handler, bool Done, string Reason) Start(string source)
    {
        var run = new GuestRun(source);
        var handler = new IoExitHandler();
        var done = run.Run(handler, out var reason);
        return (run, handler, done, reason);
    }

    [Test]
    [Property("Points", 2)]
    [Property("Hint", "Configure: HltExiting = true, or the hypervisor never learns the guest halted.")]
    [Property("Visibility", "visible")]
    public void Hlt_Exits()
    {
        var (run, _, done, reason) = Start("nop\nhlt\n");
        Observe.That(done, Is.True, reason);
        Observe.That(run.Exits[VmExitReason.Hlt], Is.EqualTo(1));
    }

    [Test]
    [Property("Points", 2)]
    [Property("Hint", "Console output must exit (UnconditionalIoExiting, or 0x3F8 in ExitingPorts); then append (char)(R[register] & 0xFF).")]
    [Property("Visibility", "visible")]
    public void Console_Output_Exits_And_Is_Emulated()
    {
        var (run, handler, done, reason) = Start("li r3, 'h'\nout 0x3F8, r3\nli r9, 'i'\nout 0x3F8, r9\nhlt\n");
        Observe.That(done, Is.True, reason);
        Observe.That(handler.Console, Is.EqualTo("hi"));
        Observe.That(run.Computer.Console.PendingText, Is.Empty, "the guest never reached the real console");
        Observe.That(run.Exits[VmExitReason.IoInstruction], Is.EqualTo(2));
    }

    [Test]
    [Property("Points", 2)]
    [Property("Hint", "An in goes back into the register named in bits 23-20 of the qualification.")]
    [Property("Visibility", "visible")]
    public void Input_Lands_In_The_Right_Register()
    {
        var (run, _, done, reason) = Start("in r7, 0x3F9\nin r11, 0x60\nhlt\n");
        Observe.That(done, Is.True, reason);
        Observe.That((run.Control.Guest.R[7], run.Control.Guest.R[11]), Is.EqualTo((2u, 0xFFFFFFFFu)));
    }

    [Test]
    [Property("Points", 1)]
    [Property("Hint", "After emulating, add ExitInstructionLength to the guest's pc; otherwise the guest repeats the instruction forever.")]
    [Property("Visibility", "visible")]
    public void The_Guest_Moves_On_After_Each_Exit()
    {
        var (run, handler, done, reason) = Start("li r1, 'x'\nout 0x3F8, r1\nli r2, 5\nhlt\n");
        Observe.That(done, Is.True, reason);
        Observe.That(handler.Console, Is.EqualTo("x"), "printed once, not over and over");
        Observe.That(run.Control.Guest.R[2], Is.EqualTo(5u));
    }

    [Test]
    [Property("Points", 1)]
    [Property("Hint", "Handle returns false for exits that are not port I/O.")]
    [Property("Visibility", "visible")]
    public void Other_Exits_Are_Not_Handled()
    {
        var run = new GuestRun("vmcall\nhlt\n");
        var handler = new IoExitHandler();
        Observe.That(run.Run(handler, out var reason), Is.False);
        Observe.That(reason, Does.Contain("Vmcall"));
    }
}
