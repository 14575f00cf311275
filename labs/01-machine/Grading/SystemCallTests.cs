using NUnit.Framework;
using VirtualizationWorkbench.Grading;

namespace VirtualizationWorkbench.Labs.SystemCalls.Grading;

/// <summary>
/// Grades <see cref="SystemCallHost"/>: each test runs a small ring-3 program under the student's host and
/// checks what the program and the host saw. Points, hint and visibility are NUnit properties, read by
/// <c>workbench grade</c>. Each check goes through <see cref="Observe"/>, so an instructor's grading judges it
/// against the reference solution; numbers a program uses come from <see cref="Inputs"/>, so they differ from one
/// grading run to the next.
/// </summary>
[TestFixture]
public sealed partial class SystemCallTests
{
    private const long Budget = 100_000;

    // A word of seeded letters, for programs to print.
    private static string Word()
    {
        var letters = new char[Inputs.Next(5, 20)];
        for (var i = 0; i < letters.Length; i++) letters[i] = (char)Inputs.Next('a', 'z' + 1);
        return new string(letters);
    }

    private static ProgramOutcome Run(string source, int pid = 1, long budget = Budget) =>
        new SystemCallHost(UserProcess.FromSource(source, pid)).Run(budget);

    private static (ProgramOutcome Outcome, UserProcess Process) RunKeep(string source, long budget = Budget)
    {
        var process = UserProcess.FromSource(source);
        return (new SystemCallHost(process).Run(budget), process);
    }

    [Test]
    [Property("Points", 2)]
    [Property("Hint", "exit (r0 = 4) ends the run: return ProgramEnd.Exited with the code from r1.")]
    [Property("Visibility", "visible")]
    public void Exit_Ends_The_Program_With_Its_Code()
    {
        var code = Inputs.Next(1, 250);
        var outcome = Run($"""
                li r0, 4
                li r1, {code}
                int 0x80
            """);
        Observe.That(outcome.End, Is.EqualTo(ProgramEnd.Exited), outcome.Reason);
        Observe.That(outcome.ExitCode, Is.EqualTo(code));
        Observe.That(outcome.Reason, Is.Null);
    }

    [Test]
    [Property("Points", 2)]
    [Property("Hint", "write (r0 = 1): copy r2 bytes from address r1 of the machine's memory to the console, and return r2 in r0.")]
    [Property("Visibility", "visible")]
    public void Write_Prints_The_Buffer_And_Returns_Its_Length()
    {
        var text = Word() + "\n";
        var (outcome, process) = RunKeep($"""
                li r0, 1
                li r1, text
                li r2, {text.Length}
                int 0x80
                mov r8, r0          ; what write returned
                li r0, 4
                li r1, 0
                int 0x80
                .org 0x200000
            text: .ascii "{text[..^1]}\n"
            """);
        Observe.That(outcome.End, Is.EqualTo(ProgramEnd.Exited), outcome.Reason);
        Observe.That(outcome.Console, Is.EqualTo(text));
        Observe.That(process.Core.State.R[8], Is.EqualTo((uint)text.Length), "write returns the number of bytes written in r0");
    }

    [Test]
    [Property("Points", 2)]
    [Property("Hint", "The pc is already past int 0x80 when the trap comes back (RunExit.PcAdvanced): do not move it again, and keep calling Core.Run.")]
    [Property("Visibility", "visible")]
    public void Every_Call_Resumes_At_The_Next_Instruction()
    {
        var times = Inputs.Next(3, 10);
        var (outcome, process) = RunKeep($"""
                li r9, 0
                li r10, {times}
            again:
                li r0, 1
                li r1, digit
                li r2, 1
                int 0x80
                addi r9, r9, 1
                cmp r9, r10
                jne again
                li r0, 4
                mov r1, r9
                int 0x80
                .org 0x200000
            digit: .ascii "*"
            """);
        Observe.That(outcome.End, Is.EqualTo(ProgramEnd.Exited), outcome.Reason);
        Observe.That(outcome.Console, Is.EqualTo(new string('*', times)));
        Observe.That(outcome.ExitCode, Is.EqualTo(times), "each instruction after int 0x80 ran exactly once");
        Observe.That(process.Core.Counters.Traps[0x80], Is.EqualTo((ulong)times + 1), "one system call per write, and exit");
    }

    [Test]
    [Property("Points", 1)]
    [Property("Hint", "getpid (r0 = 3) returns the process's Pid in r0.")]
    [Property("Visibility", "visible")]
    public void Getpid_Returns_The_Process_Id()
    {
        var pid = Inputs.Next(2, 1000);
        var outcome = Run("""
                li r0, 3
                int 0x80
                mov r1, r0
                li r0, 4
                int 0x80
            """, pid: pid);
        Observe.That(outcome.End, Is.EqualTo(ProgramEnd.Exited), outcome.Reason);
        Observe.That(outcome.ExitCode, Is.EqualTo(pid), "the program exits with what getpid returned");
    }

    [Test]
    [Property("Points", 1)]
    [Property("Hint", "yield (r0 = 2) has nothing to switch to here: return 0 and let the program go on.")]
    [Property("Visibility", "visible")]
    public void Yield_Returns_Zero_And_Continues()
    {
        var added = Inputs.Next(1, 100);
        var outcome = Run($"""
                li r0, 2
                int 0x80
                addi r1, r0, {added}
                li r0, 4
                int 0x80
            """);
        Observe.That(outcome.End, Is.EqualTo(ProgramEnd.Exited), outcome.Reason);
        Observe.That(outcome.ExitCode, Is.EqualTo(added));
    }

    [Test]
    [Property("Points", 1)]
    [Property("Hint", "An unknown number is the program's mistake, not the host's: return -1 (0xFFFFFFFF) in r0 and go on.")]
    [Property("Visibility", "visible")]
    public void Unknown_Call_Returns_Minus_One_And_Continues()
    {
        var number = Inputs.Next(5, 1000);
        var offset = Inputs.Next(2, 200);
        var outcome = Run($"""
                li r0, {number}
                int 0x80
                addi r1, r0, {offset}   ; exits with what the call returned, plus {offset}
                li r0, 4
                int 0x80
            """);
        Observe.That(outcome.End, Is.EqualTo(ProgramEnd.Exited), outcome.Reason);
        Observe.That(outcome.ExitCode, Is.EqualTo(offset - 1), "the call returned -1");
    }

    [Test]
    [Property("Points", 2)]
    [Property("Hint", "A kernel never trusts a pointer from user space: a buffer below UserProcess.UserBase (the kernel's memory) gets -1 and nothing is printed.")]
    [Property("Visibility", "visible")]
    public void Write_Refuses_A_Buffer_Outside_User_Memory()
    {
        var offset = Inputs.Next(2, 200);
        var outcome = Run($"""
                li r0, 1
                li r1, secret
                li r2, 6
                int 0x80
                addi r1, r0, {offset}
                li r0, 4
                int 0x80
            secret: .ascii "secret"
            """);
        Observe.That(outcome.End, Is.EqualTo(ProgramEnd.Exited), outcome.Reason);
        Observe.That(outcome.Console, Is.Empty, "nothing from kernel memory reaches the console");
        Observe.That(outcome.ExitCode, Is.EqualTo(offset - 1), "write returns -1");
    }

    [Test]
    [Property("Points", 1)]
    [Property("Hint", "One write names at most SystemCallHost.MaxWrite (4096) bytes.")]
    [Property("Visibility", "visible")]
    public void Write_Refuses_More_Than_4096_Bytes()
    {
        var offset = Inputs.Next(2, 200);
        var outcome = Run($"""
                li r0, 1
                li r1, 0x200000
                li r2, {4097 + Inputs.Next(0, 5000)}
                int 0x80
                addi r1, r0, {offset}
                li r0, 4
                int 0x80
            """);
        Observe.That(outcome.ExitCode, Is.EqualTo(offset - 1), "write returns -1");
        Observe.That(outcome.Console, Is.Empty);
    }

    [Test]
    [Property("Points", 2)]
    [Property("Hint", "cli is privileged: in ring 3 it comes back as a trap with vector 13. Any trap other than 0x80 kills the program; say why and where.")]
    [Property("Visibility", "visible")]
    public void A_Privileged_Instruction_Kills_The_Program()
    {
        var text = Word() + "\n";
        var (outcome, process) = RunKeep($"""
                li r0, 1
                li r1, text
                li r2, {text.Length}
                int 0x80
            bad:
                cli
                li r0, 4
                int 0x80
                .org 0x200000
            text: .ascii "{text[..^1]}\n"
            """);
        Observe.That(outcome.End, Is.EqualTo(ProgramEnd.Killed));
        Observe.That(outcome.Reason, Does.Contain("general-protection"));
        var cli = process.Computer.Program!.Symbols["bad"];
        Observe.That(outcome.Reason, Does.Contain($"0x{cli:x8}"), "the reason names the pc of cli");
        Observe.That(outcome.Console, Is.EqualTo(text), "what it wrote before is kept");
    }

    [Test]
    [Property("Points", 1)]
    [Property("Hint", "The budget is for the whole run: when Core.Run returns BudgetSpent, stop with ProgramEnd.OutOfBudget.")]
    [Property("Visibility", "visible")]
    public void A_Program_That_Never_Exits_Runs_Out_Of_Budget()
    {
        var budget = Inputs.Next(20_000, 120_000);
        var (outcome, process) = RunKeep("""
            spin:
                li r0, 2
                int 0x80
                jmp spin
            """, budget);
        Observe.That(outcome.End, Is.EqualTo(ProgramEnd.OutOfBudget));
        Observe.That(process.Core.Counters.Instructions, Is.EqualTo((ulong)budget), "the whole run executes exactly the budget");
    }
}
