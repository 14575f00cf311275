using VirtualizationWorkbench.Machine.Cpu;

namespace VirtualizationWorkbench.Machine.Tests;

public class InstructionTests
{
    [TestCase("li r1, 7\nli r2, 5\nadd r3, r1, r2", 12u)]
    [TestCase("li r1, 7\nli r2, 5\nsub r3, r1, r2", 2u)]
    [TestCase("li r1, 0xF0F0\nli r2, 0xFF00\nand r3, r1, r2", 0xF000u)]
    [TestCase("li r1, 0xF0F0\nli r2, 0xFF00\nor r3, r1, r2", 0xFFF0u)]
    [TestCase("li r1, 0xF0F0\nli r2, 0xFF00\nxor r3, r1, r2", 0x0FF0u)]
    [TestCase("li r1, 1\nli r2, 35\nshl r3, r1, r2", 8u)]
    [TestCase("li r1, 0x80000000\nli r2, 4\nshr r3, r1, r2", 0x08000000u)]
    [TestCase("li r1, 0x80000000\nli r2, 4\nsar r3, r1, r2", 0xF8000000u)]
    [TestCase("li r1, -6\nli r2, 7\nmul r3, r1, r2", unchecked((uint)-42))]
    [TestCase("li r1, -7\nli r2, 2\ndiv r3, r1, r2", unchecked((uint)-3))]
    [TestCase("li r1, -7\nli r2, 2\nrem r3, r1, r2", unchecked((uint)-1))]
    [TestCase("li r1, 0xFFFFFFF9\nli r2, 2\ndivu r3, r1, r2", 0x7FFFFFFCu)]
    [TestCase("li r1, 0xFFFFFFF9\nli r2, 2\nremu r3, r1, r2", 1u)]
    [TestCase("li r1, 5\naddi r3, r1, -9", unchecked((uint)-4))]
    [TestCase("li r1, 5\nsubi r3, r1, 9", unchecked((uint)-4))]
    [TestCase("li r1, 0x1234FFFF\nandi r3, r1, 0x0F0F", 0x0F0Fu)]
    [TestCase("li r1, 0x12340000\nori r3, r1, 0xFFFF", 0x1234FFFFu)]
    [TestCase("li r1, 0xFFFF\nxori r3, r1, 0x00FF", 0xFF00u)]
    [TestCase("li r1, 3\nshli r3, r1, 4", 48u)]
    [TestCase("li r1, -64\nsari r3, r1, 3", unchecked((uint)-8))]
    [TestCase("li r1, -64\nshri r3, r1, 28", 15u)]
    [TestCase("li r1, 9\nmuli r3, r1, -3", unchecked((uint)-27))]
    [TestCase("li r1, 5\nnot r3, r1", 0xFFFFFFFAu)]
    [TestCase("li r1, 5\nneg r3, r1", unchecked((uint)-5))]
    [TestCase("li r1, 77\nmov r3, r1", 77u)]
    [TestCase("mov r3, 0xDEADBEEF", 0xDEADBEEFu)]
    [TestCase("cpuid r3", 0u)]
    public void Computes(string body, uint expected)
    {
        var core = TestMachine.Execute(body + "\nhlt");
        Assert.That(core.State.R[3], Is.EqualTo(expected));
    }

    [TestCase("li r1, 5\ncmpi r1, 5", true, false, false, false)]
    [TestCase("li r1, 3\ncmpi r1, 5", false, true, true, false)]
    [TestCase("li r1, 0x7FFFFFFF\naddi r1, r1, 1", false, true, false, true)]
    [TestCase("li r1, 0xFFFFFFFF\naddi r1, r1, 1", true, false, true, false)]
    [TestCase("li r1, 0x80000000\nli r2, 1\nsub r1, r1, r2", false, false, false, true)]
    [TestCase("li r1, 0xF0\nli r2, 0x0F\ntest r1, r2", true, false, false, false)]
    public void Sets_Flags(string body, bool z, bool n, bool c, bool v)
    {
        var flags = TestMachine.Execute(body + "\nhlt").State.Flags;
        Assert.Multiple(() =>
        {
            Assert.That((flags & Flags.Z) != 0, Is.EqualTo(z), "Z");
            Assert.That((flags & Flags.N) != 0, Is.EqualTo(n), "N");
            Assert.That((flags & Flags.C) != 0, Is.EqualTo(c), "C");
            Assert.That((flags & Flags.V) != 0, Is.EqualTo(v), "V");
        });
    }

    // Each branch after comparing a with b: taken (r3 = 1) or not (r3 = 0).
    [TestCase("je", 5, 5, true)]
    [TestCase("je", 5, 6, false)]
    [TestCase("jne", 5, 6, true)]
    [TestCase("jl", -1, 1, true)]
    [TestCase("jl", 1, -1, false)]
    [TestCase("jge", 1, -1, true)]
    [TestCase("jge", 1, 1, true)]
    [TestCase("jle", 1, 1, true)]
    [TestCase("jle", 2, 1, false)]
    [TestCase("jg", 2, 1, true)]
    [TestCase("jg", -2, 1, false)]
    [TestCase("jb", 1, -1, true)]
    [TestCase("jb", -1, 1, false)]
    [TestCase("jae", -1, 1, true)]
    [TestCase("jbe", 1, 1, true)]
    [TestCase("ja", -1, 1, true)]
    [TestCase("ja", 1, 1, false)]
    [TestCase("js", 1, 2, true)]
    [TestCase("jns", 2, 1, true)]
    public void Branches_On_Conditions(string branch, int a, int b, bool taken)
    {
        var core = TestMachine.Execute($"""
                li r1, {a}
                li r2, {b}
                li r3, 0
                cmp r1, r2
                {branch} yes
                hlt
            yes:
                li r3, 1
                hlt
            """);
        Assert.That(core.State.R[3], Is.EqualTo(taken ? 1u : 0u));
    }

    [Test]
    public void Loads_And_Stores_Words_And_Bytes()
    {
        var core = TestMachine.Execute("""
                li r1, data
                ld r2, [r1]
                ldb r3, [r1 + 1]
                li r4, 0xAB
                stb [r1 + 4], r4
                ld r5, [r1 + 4]
                st [r1 + 8], r2
                ld r6, [r1 + 8]
                hlt
            data:
                .word 0x11223344, 0, 0
            """);
        Assert.Multiple(() =>
        {
            Assert.That(core.State.R[2], Is.EqualTo(0x11223344u));
            Assert.That(core.State.R[3], Is.EqualTo(0x33u));
            Assert.That(core.State.R[5], Is.EqualTo(0xABu));
            Assert.That(core.State.R[6], Is.EqualTo(0x11223344u));
        });
    }

    [Test]
    public void Calls_Return_And_Use_The_Stack()
    {
        var core = TestMachine.Execute("""
                li sp, 0x8000
                li r1, 1
                call double
                call double
                li r5, triple
                callr r5
                push r1
                pop r6
                li r7, done
                jmpr r7
                li r6, 0
            done:
                hlt
            double:
                add r1, r1, r1
                ret
            triple:
                muli r1, r1, 3
                ret
            """);
        Assert.Multiple(() =>
        {
            Assert.That(core.State.R[1], Is.EqualTo(12u));
            Assert.That(core.State.R[6], Is.EqualTo(12u));
            Assert.That(core.State.R[15], Is.EqualTo(0x8000u));
        });
    }

    [Test]
    public void Xchg_Swaps_Register_And_Memory()
    {
        var core = TestMachine.Execute("""
                li r1, lock
                li r2, 1
                xchg r2, [r1]
                ld r3, [r1]
                hlt
            lock: .word 7
            """);
        Assert.That((core.State.R[2], core.State.R[3]), Is.EqualTo((7u, 1u)));
    }

    [Test]
    public void Rdcycle_Reads_The_Virtual_Cycle_Counter()
    {
        var core = TestMachine.Execute("rdcycle r1\nnop\nnop\nrdcycle r2\nhlt");
        Assert.That(core.State.R[2] - core.State.R[1], Is.EqualTo(3 * core.Costs.Simple));
    }

    [Test]
    public void Charges_Cycles_From_The_Cost_Table()
    {
        var core = TestMachine.Execute("li r1, 1\nli r2, 3\ndiv r3, r1, r2\nmul r4, r1, r2\nhlt");
        var costs = core.Costs;
        Assert.That(core.Counters.Cycles, Is.EqualTo(2 * costs.Simple + costs.Divide + costs.Multiply + costs.Control));
        Assert.That(core.Counters.Instructions, Is.EqualTo(5));
    }
}
