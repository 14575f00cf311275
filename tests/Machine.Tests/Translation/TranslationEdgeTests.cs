using VirtualizationWorkbench.Machine.Cpu;

namespace VirtualizationWorkbench.Machine.Tests.Translation;

/// <summary>Where a translator goes wrong if it does: a page fault inside a block, code that rewrites itself or
/// is rewritten by the host, budgets and timer deadlines that fall inside a block, a cost table changed between
/// runs.</summary>
public class TranslationEdgeTests
{
    private static EngineComparison.Build Program(string source, uint memory = 1024 * 1024)
    {
        var program = Assembler.Assembler.AssembleText(source, "test.s");
        return engine =>
        {
            var computer = new Computer(new MachineConfiguration { Engine = engine, MemorySize = memory });
            computer.Load(program);
            return computer;
        };
    }

    // A kernel with paging on whose #PF handler maps the faulting page (present, writable) and retries; the
    // loop's block makes eight memory accesses with arithmetic between them, and on its fifth pass access
    // `position` reaches a page that is not mapped yet.
    private static string PageFaultProgram(int position)
    {
        var accesses = new System.Text.StringBuilder();
        for (var i = 0; i < 8; i++)
        {
            var baseRegister = i == position ? "r10" : "r9";
            accesses.AppendLine(i % 2 == 0 ? $"    ld r1, [{baseRegister}]" : $"    st [{baseRegister}], r3");
            accesses.AppendLine($"    add r3, r3, r1");
            accesses.AppendLine($"    xori r4, r3, {i}");
        }
        return $$"""
            .org 0x1000
            start:
                li sp, 0x80000
                li r1, idt
                lidt r1
                li r1, idt + 14 * 8
                li r2, fault
                st [r1], r2
                li r2, 3
                st [r1 + 4], r2
                ; identity map 0-1 MiB, but for 0x60000-0x6FFFF
                li r1, 0x90000
                li r2, 0x91000 | 3
                st [r1], r2
                li r1, 0x91000
                li r2, 3
                li r5, 256
                li r7, 0x60003
                li r8, 0x70003
            map:
                cmp r2, r7
                jb present
                cmp r2, r8
                jae present
                jmp next
            present:
                st [r1], r2
            next:
                addi r1, r1, 4
                addi r2, r2, 0x1000
                subi r5, r5, 1
                jne map
                li r1, 0x90000
                mov cr3, r1
                li r1, 1
                mov cr0, r1
                li r9, 0x50000
                li r10, 0x5FFF0
                li r3, 7
                li r6, 12
            loop:
            {{accesses}}
                addi r10, r10, 4
                subi r6, r6, 1
                jne loop
                hlt
            fault:
                ; map the page in cr2 and retry the access
                push r1
                push r2
                mov r1, cr2
                shri r1, r1, 12
                shli r2, r1, 12
                ori r2, r2, 3
                shli r1, r1, 2
                li r11, 0x91000
                add r1, r1, r11
                st [r1], r2
                pop r2
                pop r1
                addi sp, sp, 4
                iret
            .align 8
            idt: .space 256 * 8
            """;
    }

    [Test]
    [CancelAfter(20_000)]
    public void A_Page_Fault_At_Every_Position_Of_A_Block_Resumes_Precisely()
    {
        for (var position = 0; position < 8; position++)
        {
            var machine = EngineComparison.AssertSame(Program(PageFaultProgram(position)), EngineComparison.Whole(100_000));
            var core = machine.Cores[0];
            Assert.Multiple(() =>
            {
                Assert.That(core.Counters.PageFaults, Is.EqualTo(1), $"position {position}: the one unmapped page faults once");
                Assert.That(core.State.Cr2, Is.EqualTo(0x60000), $"position {position}");
            });
        }
    }

    [Test]
    public void A_Loop_That_Patches_Its_Own_Instruction_Runs_The_New_Code()
    {
        // Each pass rewrites the immediate of `bump` inside the loop's own block: r3 = 0 + 1 + ... + 199.
        var machine = EngineComparison.AssertSame(Program("""
                li r2, 200
                li r3, 0
                li r7, bump
            loop:
            bump:
                addi r3, r3, 0
                ld r5, [r7]
                addi r5, r5, 1
                st [r7], r5
                subi r2, r2, 1
                jne loop
                hlt
            """), EngineComparison.Whole(10_000));
        Assert.That(machine.Cores[0].State.R[3], Is.EqualTo(199u * 200 / 2));
        Assert.That(machine.Cores[0].TranslationStatistics.BlocksInvalidated, Is.GreaterThan(0));
    }

    [Test]
    public void A_Store_Into_The_Next_Instruction_Of_The_Same_Block_Takes_Effect_At_Once()
    {
        // The store writes `addi r3, r3, 5` over the nop right after it, in the block that is running.
        var machine = EngineComparison.AssertSame(Program("""
                li r2, 100
                li r3, 0
                li r7, patched
                li r8, template
                ld r6, [r8]
            loop:
                li r9, 0x01000000       ; nop
                st [r7], r9
                addi r3, r3, 1
                st [r7], r6
            patched:
                nop
                subi r2, r2, 1
                jne loop
                hlt
            template:
                addi r3, r3, 5
            """), EngineComparison.Whole(10_000));
        Assert.That(machine.Cores[0].State.R[3], Is.EqualTo(600u));
    }

    [Test]
    public void Code_The_Host_Rewrites_Between_Runs_Is_Translated_Again()
    {
        var source = """
                li r3, 0
            loop:
            bump:
                addi r3, r3, 1
                jmp loop
            """;
        foreach (var engine in new[] { ExecutionEngine.Interpreter, ExecutionEngine.Translator })
        {
            var computer = Program(source)(engine);
            var core = computer.Cores[0];
            core.TranslationThreshold = 1;
            computer.Run(1000);
            var bump = computer.Program!.Symbols["bump"];
            computer.Memory.WriteWord(bump, InstructionWord.Encode(Opcode.Addi, 3, 3, 100).Value);
            var before = core.State.R[3];
            computer.Run(1000);
            Assert.That(core.State.R[3] - before, Is.EqualTo(500u * 100), $"{engine}: 500 passes of the loop, each adding the new 100");
        }
    }

    [Test]
    public void Timer_Interrupts_Arrive_At_The_Same_Instruction()
    {
        // The timer fires every 97 cycles inside a loop of long blocks; the handler counts and records the pc.
        var machine = EngineComparison.AssertSame(Program("""
                li sp, 0x80000
                li r1, idt
                lidt r1
                li r1, idt + 32 * 8
                li r2, tick
                st [r1], r2
                li r2, 3
                st [r1 + 4], r2
                li r1, 97
                out 0x40, r1
                li r1, 3
                out 0x41, r1
                sti
                li r2, 3000
            loop:
                addi r3, r3, 1
                muli r4, r3, 3
                xor r5, r5, r4
                ld r6, [sp]
                add r5, r5, r6
                divu r4, r4, r2
                subi r2, r2, 1
                jne loop
                hlt
            tick:
                addi r12, r12, 1
                ld r13, [sp + 4]
                add r11, r11, r13
                iret
            .align 8
            idt: .space 256 * 8
            """), new EngineComparison.Drive([1_000_000], 100_000));
        Assert.That(machine.Cores[0].State.R[12], Is.GreaterThan(100u), "the timer fired");
    }

    [TestCase(3u, 1_000_000L)] // interrupt gate: the tick waits through the handler, and arrives just after its iret
    [TestCase(1u, 1_000_000L)] // trap gate: IF stays set in the handler, the tick arrives inside it
    [TestCase(3u, 977L)]       // budgets that end anywhere, the run loop entered again and again
    public void System_Calls_And_Timer_Ticks_Arrive_At_The_Same_Instruction_After_Iret(uint gate, long budget)
    {
        // A ring-3 loop of int 0x80 into a ring-0 handler and iret, as the syscall benchmark, with the timer
        // firing every 3,001 cycles (about every tenth pass): most irets find nothing to do and the translator goes straight on after them,
        // some find the tick raised, with IF set once iret restored the user's flags, and leave for the run loop,
        // which delivers it. Both must happen at the interpreter's instructions.
        var machine = EngineComparison.AssertSame(Program($$"""
                li r1, idt
                lidt r1
                li r1, idt + 0x80 * 8
                li r2, syscall
                st [r1], r2
                li r2, {{gate}} | 12          ; present, the gate kind, ring 3 may call
                st [r1 + 4], r2
                li r1, idt + 32 * 8
                li r2, tick
                st [r1], r2
                li r2, 3
                st [r1 + 4], r2
                li r1, 0x80000
                mov ksp, r1
                li r1, 3001
                out 0x40, r1
                li r1, 3
                out 0x41, r1
                li r2, 4000
                ; ring 3, IF set: error, pc, flags, sp
                li r1, 0x70000
                push r1
                li r1, 0x3200
                push r1
                li r1, user
                push r1
                li r1, 0
                push r1
                iret
            user:
                int 0x80
                addi r5, r5, 3
                subi r2, r2, 1
                jne user
                int 0x80
            syscall:
                cmpi r2, 0
                je done
                addi r3, r3, 1
                xor r6, r6, r3
                iret
            done:
                hlt
            tick:
                addi r12, r12, 1
                ld r13, [sp + 4]
                add r11, r11, r13
                iret
            .align 8
            idt: .space 256 * 8
            """), new EngineComparison.Drive([budget], 60_000));
        var core = machine.Cores[0];
        Assert.That(core.State.R[12], Is.GreaterThan(100u), "the timer fired");
        Assert.That(core.TranslationStatistics.SlicesContinued, Is.GreaterThan(1000), "the translator went on after iret: the comparison covers that path");
    }

    [Test]
    public void A_New_Cost_Table_Between_Runs_Is_Charged_At_Once()
    {
        var build = Program("""
            loop:
                addi r3, r3, 1
                muli r4, r3, 7
                jmp loop
            """);
        EngineComparison.Build changing = engine =>
        {
            var computer = build(engine);
            computer.Cores[0].TranslationThreshold = 1;
            computer.Run(500);
            computer.Cores[0].Costs = computer.Cores[0].Costs with { Multiply = 11 };
            return computer;
        };
        EngineComparison.AssertSame(changing, EngineComparison.Whole(1000));
    }
}
