using System.Text;
using NUnit.Framework;
using VirtualizationWorkbench.Grading;
using VirtualizationWorkbench.Machine.Virtualization;

namespace VirtualizationWorkbench.Labs.ExitHandling.Grading;

/// <summary>Grades <see cref="IoExitHandler"/> with small guests in non-root mode under <see cref="GuestRun"/>. Each
/// check goes through <see cref="Observe"/>, so an instructor's grading judges it against the reference solution; the
/// guests' text, registers and numbers come from <see cref="Inputs"/>, so they differ from one grading run to the
/// next.</summary>
[TestFixture]
public sealed partial class IoExitHandlerTests
{
    private const uint ProgramBase = 0x1000;

    private static (GuestRun Run, IoExitHandler Handler, bool Done, string Reason) Start(string source)
    {
        var run = new GuestRun(source);
        var handler = new IoExitHandler();
        var done = run.Run(handler, out var reason);
        return (run, handler, done, reason);
    }

    private static string Nops(int count) => string.Concat(Enumerable.Repeat("nop\n", count));

    // A word of seeded letters, for guests to print.
    private static string Word()
    {
        var letters = new char[Inputs.Next(4, 16)];
        for (var i = 0; i < letters.Length; i++) letters[i] = (char)Inputs.Next('a', 'z' + 1);
        return new string(letters);
    }

    // A general register from r1 to r13 (r14 is the guests' scratch, r15 the stack pointer), other than those taken.
    private static int Register(params int[] taken)
    {
        while (true)
        {
            var r = Inputs.Next(1, 14);
            if (!taken.Contains(r)) return r;
        }
    }

    // Prints word with one out per letter, each from a seeded register.
    private static string Printing(string word)
    {
        var source = new StringBuilder();
        foreach (var letter in word)
        {
            var r = Register();
            source.Append($"li r{r}, {(int)letter}\nout 0x3F8, r{r}\n");
        }
        return source.ToString();
    }

    [Test]
    [Property("Points", 2)]
    [Property("Hint", "Configure: HltExiting = true, or the hypervisor never learns the guest halted.")]
    [Property("Visibility", "visible")]
    public void Hlt_Exits()
    {
        var nops = Inputs.Next(0, 40);
        var (run, _, done, reason) = Start(Nops(nops) + "hlt\n");
        Observe.That(done, Is.True, reason);
        Observe.That(run.Exits[VmExitReason.Hlt], Is.EqualTo(1));
        Observe.That(run.Control.Guest.Pc, Is.EqualTo(ProgramBase + 4u * (uint)nops), "the guest exited at its hlt");
    }

    [Test]
    [Property("Points", 2)]
    [Property("Hint", "Console output must exit (UnconditionalIoExiting, or 0x3F8 in ExitingPorts); then append (char)(R[register] & 0xFF).")]
    [Property("Visibility", "visible")]
    public void Console_Output_Exits_And_Is_Emulated()
    {
        var word = Word();
        var (run, handler, done, reason) = Start(Printing(word) + "hlt\n");
        Observe.That(done, Is.True, reason);
        Observe.That(handler.Console, Is.EqualTo(word));
        Observe.That(run.Computer.Console.PendingText, Is.Empty, "the guest never reached the real console");
        Observe.That(run.Exits[VmExitReason.IoInstruction], Is.EqualTo(word.Length), "one exit per out");
    }

    [Test]
    [Property("Points", 2)]
    [Property("Hint", "An in goes back into the register named in bits 23-20 of the qualification.")]
    [Property("Visibility", "visible")]
    public void Input_Lands_In_The_Right_Register()
    {
        var status = Register();
        var other = Register(status);
        var (plus, more) = (Inputs.Next(1, 1000), Inputs.Next(1, 1000));
        var (run, _, done, reason) = Start($"""
            in r{status}, 0x3F9
            in r{other}, {Inputs.Next(0x40, 0x3F8)}
            li r14, {plus}
            add r{status}, r{status}, r14
            li r14, {more}
            add r{other}, r{other}, r14
            hlt
            """);
        Observe.That(done, Is.True, reason);
        Observe.That(
            (run.Control.Guest.R[status], run.Control.Guest.R[other]),
            Is.EqualTo((2u + (uint)plus, 0xFFFFFFFFu + (uint)more)),
            "the guest added its own numbers to what it read: 2 from the status port, 0xFFFFFFFF from any other");
    }

    [Test]
    [Property("Points", 1)]
    [Property("Hint", "After emulating, add ExitInstructionLength to the guest's pc; otherwise the guest repeats the instruction forever.")]
    [Property("Visibility", "visible")]
    public void The_Guest_Moves_On_After_Each_Exit()
    {
        var letter = (char)Inputs.Next('a', 'z' + 1);
        var times = Inputs.Next(2, 12);
        var (run, handler, done, reason) = Start($"""
                li r1, {(int)letter}
                li r2, 0
                li r3, {times}
            again:
                out 0x3F8, r1
                addi r2, r2, 1
                cmp r2, r3
                jne again
                hlt
            """);
        Observe.That(done, Is.True, reason);
        Observe.That(handler.Console, Is.EqualTo(new string(letter, times)), "printed once per pass, not over and over");
        Observe.That(run.Control.Guest.R[2], Is.EqualTo((uint)times), "each instruction after out ran once per pass");
    }

    [Test]
    [Property("Points", 1)]
    [Property("Hint", "Handle returns false for exits that are not port I/O.")]
    [Property("Visibility", "visible")]
    public void Other_Exits_Are_Not_Handled()
    {
        var word = Word();
        var run = new GuestRun(Printing(word) + "vmcall\nhlt\n");
        var handler = new IoExitHandler();
        Observe.That(run.Run(handler, out var reason), Is.False);
        Observe.That(reason, Does.Contain("Vmcall"));
        Observe.That(handler.Console, Is.EqualTo(word), "the port exits before vmcall were handled");
    }
}
