using VirtualizationWorkbench.Machine.Cpu;

namespace VirtualizationWorkbench.Machine.Tests;

/// <summary>Exceptions delivered through the guest's own interrupt table, and what the host sees.</summary>
public class ExceptionTests
{
    // A handler that records vector-independent facts of the frame: r10 = error code, r11 = return pc,
    // r12 = the flags before the trap, r13 = sp before the trap, r14 = the ring it runs in; then halts.
    private static string Kernel(string vectorGates, string body) => $"""
            li sp, 0x40000
            li r1, idt
            lidt r1
            {vectorGates}
            li r1, 0x30000
            mov ksp, r1
            {body}
        handler:
            ld r10, [sp]
            ld r11, [sp + 4]
            ld r12, [sp + 8]
            ld r13, [sp + 12]
            getcpl r14
            hlt
            .align 8
        idt: .space 2048
        """;

    private static string Gate(int vector, int attributes = 3) => $"""
            li r1, idt + {vector * 8}
            li r2, handler
            st [r1], r2
            li r2, {attributes}
            st [r1 + 4], r2

        """;

    [Test]
    public void Divide_By_Zero_Delivers_Vector_0_With_The_Faulting_Pc()
    {
        var core = TestMachine.Execute(Kernel(Gate(0), "li r5, 1\nli r6, 0\nfault: div r7, r5, r6\nhlt"));
        Assert.Multiple(() =>
        {
            Assert.That(core.Counters.Traps[(int)ExceptionVector.DivideError], Is.EqualTo(1));
            Assert.That(core.State.R[11], Is.EqualTo(FindLabel(core, "fault")), "return pc is the faulting instruction");
            Assert.That(core.State.R[10], Is.EqualTo(0u));
        });
    }

    [Test]
    public void Undefined_Opcode_Delivers_Invalid_Opcode()
    {
        var core = TestMachine.Execute(Kernel(Gate(6), "bad: .word 0\nhlt"));
        Assert.That(core.Counters.Traps[(int)ExceptionVector.InvalidOpcode], Is.EqualTo(1));
        Assert.That(core.State.R[11], Is.EqualTo(FindLabel(core, "bad")));
    }

    [Test]
    public void Software_Interrupt_Returns_After_The_Instruction()
    {
        var core = TestMachine.Execute(Kernel(Gate(0x80, 15), "int 0x80\nafter: hlt"));
        Assert.That(core.State.R[11], Is.EqualTo(FindLabel(core, "after")));
        Assert.That(core.Counters.Traps[0x80], Is.EqualTo(1));
    }

    [Test]
    public void Entering_From_Ring_3_Switches_To_The_Kernel_Stack_And_Ring_0()
    {
        var body = """
                li r1, 0x20000
                push r1              ; user sp
                li r1, 0x3000
                push r1              ; flags: ring 3
                li r1, user
                push r1
                li r1, 0
                push r1
                iret
            user:
                int 0x80
            """;
        var core = TestMachine.Execute(Kernel(Gate(0x80, 15), body));
        Assert.Multiple(() =>
        {
            Assert.That(core.State.R[14], Is.EqualTo(0u), "the handler runs in ring 0");
            Assert.That((core.State.R[12] >> Flags.CplShift) & 3, Is.EqualTo(3u), "the saved flags show ring 3");
            Assert.That(core.State.R[13], Is.EqualTo(0x20000u), "the user stack pointer is saved");
            Assert.That(core.State.R[15], Is.EqualTo(0x30000u - 16), "the frame is on ksp's stack");
        });
    }

    [Test]
    public void Int_Through_A_Gate_Ring_3_May_Not_Use_Is_General_Protection()
    {
        var body = """
                li r1, 0x20000
                push r1
                li r1, 0x3000
                push r1
                li r1, user
                push r1
                li r1, 0
                push r1
                iret
            user:
                int 0x40
            """;
        var core = TestMachine.Execute(Kernel(Gate(0x40, 3) + Gate(13), body));
        Assert.That(core.Counters.Traps[(int)ExceptionVector.GeneralProtection], Is.EqualTo(1));
        Assert.That(core.State.R[10], Is.EqualTo(0x40u * 8 + 2), "the error code names the gate");
    }

    [Test]
    public void Page_Fault_Reports_Address_And_Error_Code()
    {
        var body = """
                ; map nothing: cr3 points at an empty directory, except the first 4 MiB for the kernel
                li r1, 0x50000
                li r2, 0
            zero: st [r1], r2
                addi r1, r1, 4
                li r3, 0x52000
                cmp r1, r3
                jne zero
                li r1, 0x51000
                li r2, 0
            map: shli r3, r2, 12
                ori r3, r3, 3
                shli r4, r2, 2
                add r4, r1, r4
                st [r4], r3
                addi r2, r2, 1
                cmpi r2, 1024
                jne map
                li r1, 0x50000
                li r2, 0x51003
                st [r1], r2
                mov cr3, r1
                li r1, 1
                mov cr0, r1
                li r5, 0x00800010
                li r6, 9
            fault: st [r5], r6
            """;
        var core = TestMachine.Execute(Kernel(Gate(14), body));
        Assert.Multiple(() =>
        {
            Assert.That(core.State.Cr2, Is.EqualTo(0x00800010u));
            Assert.That(core.State.R[10], Is.EqualTo(PageFaultError.Write), "not present, write, supervisor");
            Assert.That(core.State.R[11], Is.EqualTo(FindLabel(core, "fault")));
            Assert.That(core.Counters.PageFaults, Is.EqualTo(1));
        });
    }

    [Test]
    public void A_Fault_Without_A_Handler_Double_Faults_Then_Shuts_Down()
    {
        var computer = TestMachine.Boot("li r1, 0x8000\nlidt r1\nli r2, 0\ndiv r3, r2, r2\nhlt");
        var exit = computer.Run(1000);
        Assert.That(exit.Reason, Is.EqualTo(ExitReason.Shutdown));
        Assert.That(exit.Message, Does.Contain("triple fault"));
        var traps = computer.Cores[0].Counters.Traps;
        Assert.That((traps[0], traps[8]), Is.EqualTo((1UL, 1UL)), "divide error, then double fault");
    }

    [Test]
    public void Double_Fault_Handler_Catches_A_Missing_Gate()
    {
        var core = TestMachine.Execute(Kernel(Gate(8), "li r1, 0\ndiv r2, r1, r1"));
        Assert.That(core.Counters.Traps[(int)ExceptionVector.DoubleFault], Is.EqualTo(1));
    }

    [Test]
    public void Brk_Without_A_Handler_Stops_Like_A_Debugger_Breakpoint()
    {
        var computer = TestMachine.Boot("li r1, 1\nbrk\nli r1, 2\nhlt");
        var exit = computer.Run(100);
        Assert.That(exit.Reason, Is.EqualTo(ExitReason.Breakpoint));
        Assert.That(computer.Cores[0].State.R[1], Is.EqualTo(1u));
        Assert.That(computer.Run(100).Reason, Is.EqualTo(ExitReason.Halt));
        Assert.That(computer.Cores[0].State.R[1], Is.EqualTo(2u));
    }

    [Test]
    public void Timer_Interrupt_Arrives_Only_With_Interrupts_Enabled()
    {
        var body = """
                li r1, 100
                out 0x40, r1
                li r1, 1
                out 0x41, r1
                li r2, 500
            spin: subi r2, r2, 1
                jne spin
                li r9, 1             ; reached with IF clear: no interrupt yet
                sti
            wait: jmp wait
            """;
        var core = TestMachine.Execute(Kernel(Gate(32), body));
        Assert.Multiple(() =>
        {
            Assert.That(core.State.R[9], Is.EqualTo(1u));
            Assert.That(core.Counters.Interrupts, Is.EqualTo(1));
            Assert.That(core.Counters.Traps[32], Is.EqualTo(1));
            Assert.That(core.State.R[12] & Flags.IF, Is.Not.Zero, "interrupted with IF set");
            Assert.That(core.State.Flags & Flags.IF, Is.Zero, "an interrupt gate clears IF");
        });
    }

    internal static uint FindLabel(Core core, string name) => core.Machine.Program!.Symbols[name];
}
