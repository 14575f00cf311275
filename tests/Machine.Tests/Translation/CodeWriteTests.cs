using VirtualizationWorkbench.Machine.Cpu;

namespace VirtualizationWorkbench.Machine.Tests.Translation;

/// <summary>
/// Invalidation happens on real writes to translated code, and only there: code rewritten by a store that takes
/// the slow path is run new; a store beside the code (its line, or elsewhere on its page), a store to another
/// page and an instruction the interpreter runs for the translator leave the blocks unchecked and valid. Every
/// program also runs on the interpreter, and both machines must agree in every register and counter.
/// </summary>
public class CodeWriteTests
{
    private static EngineComparison.Build Program(string source)
    {
        var program = Assembler.Assembler.AssembleText(source, "test.s");
        return engine =>
        {
            var computer = new Computer(new MachineConfiguration { Engine = engine, MemorySize = 1024 * 1024 });
            computer.Load(program);
            return computer;
        };
    }

    [Test]
    public void A_Store_That_Misses_The_Tlb_Into_Its_Own_Block_Runs_The_New_Code()
    {
        // Paging on; page 0x40000 is an alias of the code's page 0x1000, and 0x80000 (the same TLB slot) is
        // read just before the store, so the store misses the TLB every pass and is done by the slow path from
        // inside the block. It rewrites the immediate of `bump`, later in the same block: r3 = 1 + 2 + ... + 300.
        var machine = EngineComparison.AssertSame(Program("""
            .org 0x1000
                li r1, 0x90000          ; page directory
                li r2, 0x91000 | 3
                st [r1], r2
                li r1, 0x91000          ; identity map of the first MiB
                li r2, 3
                li r5, 256
            map:
                st [r1], r2
                addi r1, r1, 4
                addi r2, r2, 0x1000
                subi r5, r5, 1
                jne map
                li r1, 0x91000 + 0x40 * 4
                li r2, 0x1000 | 3       ; 0x40000 -> the code's frame
                st [r1], r2
                li r1, 0x90000
                mov cr3, r1
                li r1, 1
                mov cr0, r1
                li r2, 300
                li r3, 0
                li r6, 0x80000
                li r7, bump - 0x1000 + 0x40000
                li r8, template
                ld r9, [r8]
            loop:
                ld r4, [r6]
                addi r9, r9, 1
                st [r7], r9
            bump:
                addi r3, r3, 0
                subi r2, r2, 1
                jne loop
                hlt
            template:
                addi r3, r3, 0
            """), EngineComparison.Whole(20_000));
        var core = machine.Cores[0];
        Assert.That(core.State.R[3], Is.EqualTo(300u * 301 / 2), "every pass ran the immediate it had just written");
        Assert.That(core.TranslationStatistics.BlocksInvalidated, Is.GreaterThan(0));
    }

    [Test]
    public void A_Store_To_Data_On_The_Line_Of_Translated_Code_Checks_But_Does_Not_Invalidate()
    {
        // `data` shares a 64-byte line with the loop: each store goes to the interpreter and the blocks are
        // compared with memory, but their words have not changed and none is dropped.
        var machine = EngineComparison.AssertSame(Program("""
                li r2, 300
                li r7, data
                jmp loop
            .align 64
            loop:
                st [r7], r2
                subi r2, r2, 1
                jne loop
                hlt
            data:
                .word 0
            """), EngineComparison.Whole(10_000));
        var statistics = machine.Cores[0].TranslationStatistics;
        Assert.Multiple(() =>
        {
            Assert.That(statistics.Verifications, Is.GreaterThan(0), "a store within the code's line is a possible code write");
            Assert.That(statistics.BlocksInvalidated, Is.EqualTo(0), "the code's words did not change");
        });
    }

    [Test]
    public void Stores_Beside_The_Code_And_On_Other_Pages_And_Interpreted_Instructions_Check_Nothing()
    {
        // One store to data on the code's page but outside its lines, one to another page, and `cli`, which the
        // translator leaves to the interpreter, in every pass: no block is ever compared with memory again.
        var machine = EngineComparison.AssertSame(Program("""
                li r2, 300
                li r7, data
                li r8, 0x60000
                jmp loop
            .align 64
            loop:
                cli
                st [r7], r2
                st [r8], r2
                addi r3, r3, 1
                subi r2, r2, 1
                jne loop
                hlt
                .space 256
            data:
                .word 0
            """), EngineComparison.Whole(10_000));
        var statistics = machine.Cores[0].TranslationStatistics;
        Assert.Multiple(() =>
        {
            Assert.That(machine.Cores[0].State.R[3], Is.EqualTo(300u));
            Assert.That(statistics.InterpretedInstructions, Is.GreaterThanOrEqualTo(300), "cli ran on the interpreter every pass");
            Assert.That(statistics.Verifications, Is.EqualTo(0), "no write touched a line of translated code");
            Assert.That(statistics.BlocksInvalidated, Is.EqualTo(0));
            Assert.That(statistics.EarlyExits, Is.EqualTo(0), "neither store is near translated code");
        });
    }

    [Test]
    public void A_System_Call_And_A_Page_Fault_Taken_From_Translated_Code_Match_The_Interpreter()
    {
        // Ring 3 calls int 0x80 from a block; the handler maps a page that a later block's load faults on,
        // then unmaps it with invlpg from ring 0: the translator runs int, the faulting load's walk and invlpg
        // from inside blocks.
        var machine = EngineComparison.AssertSame(Program("""
            .org 0x1000
                li sp, 0x80000
                li r1, idt
                lidt r1
                li r1, idt + 0x80 * 8
                li r2, syscall
                st [r1], r2
                li r2, 15
                st [r1 + 4], r2
                li r1, idt + 14 * 8
                li r2, fault
                st [r1], r2
                li r2, 3
                st [r1 + 4], r2
                li r1, 0x90000
                li r2, 0x91000 | 7
                st [r1], r2
                li r1, 0x91000
                li r2, 7
                li r5, 256
            map:
                st [r1], r2
                addi r1, r1, 4
                addi r2, r2, 0x1000
                subi r5, r5, 1
                jne map
                li r7, 0x91000 + 0x60 * 4
                li r4, 0
                st [r7], r4             ; 0x60000 starts not present
                li r1, 0x90000
                mov cr3, r1
                li r1, 1
                mov cr0, r1
                li r1, 0x7F000
                mov ksp, r1
                li r2, 200
                li r1, 0x70000
                push r1
                li r1, 0x3000
                push r1
                li r1, user
                push r1
                li r1, 0
                push r1
                iret
            user:
                int 0x80
                subi r2, r2, 1
                jne user
                int 0x80
            syscall:
                cmpi r2, 0
                je done
                li r6, 0x60000
                ld r5, [r6]             ; faults: not present
                add r3, r3, r5
                li r4, 0
                st [r7], r4
                invlpg r6
                iret
            fault:
                li r4, 0x60007
                st [r7], r4
                addi r12, r12, 1
                iret
            done:
                hlt
            .align 8
            idt: .space 256 * 8
            """), EngineComparison.Whole(50_000));
        var core = machine.Cores[0];
        Assert.Multiple(() =>
        {
            Assert.That(core.Counters.PageFaults, Is.EqualTo(200), "one fault per system call");
            Assert.That(core.State.R[12], Is.EqualTo(200u));
            Assert.That(core.TranslationStatistics.Faults, Is.GreaterThan(0), "a fault was taken from translated code");
        });
    }
}
