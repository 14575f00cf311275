using VirtualizationWorkbench.Machine.Cpu;
using VirtualizationWorkbench.Machine.Memory;

namespace VirtualizationWorkbench.Machine.Tests;

/// <summary>Two-level paging, permissions, accessed/dirty bits and the TLB, driven from the host.</summary>
public class PagingTests
{
    private const uint Directory = 0x10000, Table = 0x11000;

    // A machine whose page table maps virtual page 0x400000 + n to whatever the test says; the code page
    // 0x1000 is identity-mapped for the kernel.
    private static (Computer Computer, Core Core) Paged(params uint[] code)
    {
        var computer = new Computer(new MachineConfiguration { MemorySize = 1024 * 1024 });
        var memory = computer.Memory;
        memory.WriteWord(Directory + 0, PageTableEntry.Make(Table, PageTableEntry.Present | PageTableEntry.Writable | PageTableEntry.User));
        memory.WriteWord(Directory + 4, PageTableEntry.Make(Table + 0x1000, PageTableEntry.Present | PageTableEntry.Writable | PageTableEntry.User));
        memory.WriteWord(Table + 4, PageTableEntry.Make(0x1000, PageTableEntry.Present | PageTableEntry.User));
        for (var i = 0; i < code.Length; i++) memory.WriteWord(0x1000 + (uint)i * 4, code[i]);
        var core = computer.Cores[0];
        core.Reset(0x1000);
        core.State.Cr3 = Directory;
        core.State.Cr0 = ControlRegister.PagingEnabled;
        core.InterceptedExceptions = TestMachine.AllExceptions;
        return (computer, core);
    }

    private static void Map(Computer computer, uint virtualPage, uint frame, uint flags) =>
        computer.Memory.WriteWord(Table + 0x1000 + ((virtualPage >> 12) & 0x3FF) * 4, PageTableEntry.Make(frame, flags));

    private static uint Ld(int rd, int rs) => (uint)Opcode.Ld << 24 | (uint)rd << 20 | (uint)rs << 16;
    private static uint St(int rvalue, int rs) => (uint)Opcode.St << 24 | (uint)rvalue << 20 | (uint)rs << 16;

    [Test]
    public void Translates_Through_Both_Levels_And_Sets_Accessed_And_Dirty()
    {
        var (computer, core) = Paged(Ld(2, 1), St(3, 1));
        Map(computer, 0x400000, 0x30000, PageTableEntry.Present | PageTableEntry.Writable);
        computer.Memory.WriteWord(0x30010, 0xCAFE);
        core.State.R[1] = 0x400010;
        core.State.R[3] = 0xBEEF;
        core.Run(2);
        var pte = computer.Memory.ReadWord(Table + 0x1000);
        Assert.Multiple(() =>
        {
            Assert.That(core.State.R[2], Is.EqualTo(0xCAFEu));
            Assert.That(computer.Memory.ReadWord(0x30010), Is.EqualTo(0xBEEFu));
            Assert.That(pte & PageTableEntry.Accessed, Is.Not.Zero);
            Assert.That(pte & PageTableEntry.Dirty, Is.Not.Zero);
        });
    }

    [Test]
    public void A_Read_Leaves_Dirty_Clear()
    {
        var (computer, core) = Paged(Ld(2, 1));
        Map(computer, 0x400000, 0x30000, PageTableEntry.Present | PageTableEntry.Writable);
        core.State.R[1] = 0x400000;
        core.Run(1);
        Assert.That(computer.Memory.ReadWord(Table + 0x1000) & PageTableEntry.Dirty, Is.Zero);
    }

    [TestCase(0u, 0, 0u, TestName = "not present, read, ring 0")]
    [TestCase(PageTableEntry.Present, 3, PageFaultError.Present | PageFaultError.User, TestName = "supervisor page from ring 3")]
    [TestCase(PageTableEntry.Present | PageTableEntry.User, 3, PageFaultError.Present | PageFaultError.Write | PageFaultError.User, TestName = "read-only page written from ring 3", Description = "write")]
    [TestCase(PageTableEntry.Present, 0, PageFaultError.Present | PageFaultError.Write, TestName = "read-only page written from ring 0", Description = "write")]
    public void Faults_With_The_Right_Error_Code(uint flags, int ring, uint error)
    {
        var write = TestContext.CurrentContext.Test.Properties.Get("Description") as string == "write";
        var (computer, core) = Paged(write ? St(2, 1) : Ld(2, 1));
        Map(computer, 0x400000, 0x30000, flags);
        core.State.R[1] = 0x400abc;
        core.State.Flags = (uint)ring << Flags.CplShift;
        var exit = core.Run(1);
        Assert.Multiple(() =>
        {
            Assert.That(exit.Reason, Is.EqualTo(ExitReason.Trap));
            Assert.That(exit.Vector, Is.EqualTo((int)ExceptionVector.PageFault));
            Assert.That(exit.ErrorCode, Is.EqualTo(error));
            Assert.That(exit.FaultAddress, Is.EqualTo(0x400abcu));
            Assert.That(core.State.Cr2, Is.EqualTo(0x400abcu));
            Assert.That(core.Counters.PageFaults, Is.EqualTo(1));
        });
    }

    [Test]
    public void Fetch_From_A_Non_User_Page_In_Ring_3_Faults_As_A_Fetch()
    {
        var (computer, core) = Paged();
        Map(computer, 0x400000, 0x30000, PageTableEntry.Present);
        core.State.Pc = 0x400000;
        core.State.Flags = 3u << Flags.CplShift;
        var exit = core.Run(1);
        Assert.That(exit.ErrorCode, Is.EqualTo(PageFaultError.Present | PageFaultError.User | PageFaultError.Fetch));
    }

    [Test]
    public void The_Tlb_Keeps_A_Stale_Translation_Until_Invlpg()
    {
        var invlpg = (uint)Opcode.Invlpg << 24 | 1 << 16;
        var (computer, core) = Paged(Ld(2, 1), Ld(3, 1), invlpg, Ld(4, 1));
        Map(computer, 0x400000, 0x30000, PageTableEntry.Present | PageTableEntry.Writable);
        computer.Memory.WriteWord(0x30000, 111);
        computer.Memory.WriteWord(0x31000, 222);
        core.State.R[1] = 0x400000;
        core.Run(1);
        Map(computer, 0x400000, 0x31000, PageTableEntry.Present | PageTableEntry.Writable);
        core.Run(3);
        Assert.Multiple(() =>
        {
            Assert.That(core.State.R[2], Is.EqualTo(111u));
            Assert.That(core.State.R[3], Is.EqualTo(111u), "the TLB still holds the old frame");
            Assert.That(core.State.R[4], Is.EqualTo(222u), "after invlpg the new mapping is walked");
        });
    }

    [Test]
    public void Counts_Tlb_Hits_And_Misses()
    {
        var (computer, core) = Paged(Ld(2, 1), Ld(2, 1), Ld(2, 1), (uint)Opcode.Invtlb << 24, Ld(2, 1));
        Map(computer, 0x400000, 0x30000, PageTableEntry.Present);
        core.State.R[1] = 0x400000;
        core.Run(5);
        // Fetch: one miss for the code page (again after invtlb). Data: miss, hit, hit, then miss after invtlb.
        Assert.That((core.Counters.TlbMisses, core.Counters.TlbHits), Is.EqualTo((4UL, 2UL)));
    }

    [Test]
    public void The_Tlb_Contents_Show_What_Was_Cached()
    {
        var (computer, core) = Paged(Ld(2, 1));
        Map(computer, 0x400000, 0x30000, PageTableEntry.Present | PageTableEntry.User);
        core.State.R[1] = 0x400000;
        core.Run(1);
        var entries = core.TlbContents();
        var data = entries.Single(e => e.VirtualPage == 0x400000);
        Assert.That((data.Slot, data.Frame, data.UserRead, data.SupervisorWrite), Is.EqualTo((0, 0x30000u, true, false)));
        Assert.That(entries.Select(e => e.VirtualPage), Does.Contain(0x1000u), "the code page too");
        core.FlushTlb();
        Assert.That(core.TlbContents(), Is.Empty);
    }

    [Test]
    public void A_Word_Across_A_Page_Boundary_Uses_Both_Pages()
    {
        var (computer, core) = Paged(Ld(2, 1));
        Map(computer, 0x400000, 0x30000, PageTableEntry.Present);
        Map(computer, 0x401000, 0x50000, PageTableEntry.Present);
        computer.Memory.Write(0x30FFE, [0x11, 0x22]);
        computer.Memory.Write(0x50000, [0x33, 0x44]);
        core.State.R[1] = 0x400FFE;
        core.Run(1);
        Assert.That(core.State.R[2], Is.EqualTo(0x44332211u));
    }

    [Test]
    public void Host_Translation_Matches_The_Page_Table()
    {
        var (computer, core) = Paged();
        Map(computer, 0x400000, 0x30000, PageTableEntry.Present);
        Assert.That(core.TryTranslate(0x400123, out var at), Is.True);
        Assert.That(at, Is.EqualTo(0x30123u));
        Assert.That(core.TryTranslate(0x402000, out _), Is.False);
    }

    [Test]
    public void A_Memory_Window_Confines_A_Core()
    {
        var computer = new Computer(new MachineConfiguration { MemorySize = 1024 * 1024, Cores = 2 });
        var core = computer.Cores[1];
        core.SetMemoryWindow(0x80000, 0x10000);
        computer.Memory.WriteWord(0x80000 + 0x1000, (uint)Opcode.St << 24 | 2 << 20 | 1 << 16);
        core.Reset(0x1000);
        core.State.R[1] = 0x100;
        core.State.R[2] = 77;
        core.Run(1);
        Assert.That(computer.Memory.ReadWord(0x80100), Is.EqualTo(77u), "physical 0x100 of the core is RAM 0x80100");
        core.State.Pc = 0x1000;
        core.State.R[1] = 0x10000;
        var exit = core.Run(1);
        Assert.That(exit.Reason, Is.EqualTo(ExitReason.Mmio), "outside the window is not RAM for this core");
        Assert.That(exit.Address, Is.EqualTo(0x10000u));
    }
}
