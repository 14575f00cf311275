using VirtualizationWorkbench.Machine.Cpu;
using VirtualizationWorkbench.Machine.Memory;
using VirtualizationWorkbench.Machine.Virtualization;

namespace VirtualizationWorkbench.Machine.Tests;

/// <summary>The hardware virtualization extension: VM entry, exits by reason, nested paging.</summary>
public class VirtualizationTests
{
    private static (Computer Computer, Core Core, VirtualMachineControl Control) Guest(string source, Action<VirtualMachineControl>? configure = null)
    {
        var computer = TestMachine.Boot(source);
        var core = computer.Cores[0];
        var control = new VirtualMachineControl { Guest = core.State };
        configure?.Invoke(control);
        core.EnterGuest(control);
        return (computer, core, control);
    }

    [Test]
    public void Hlt_Exits_With_The_Pc_At_The_Instruction()
    {
        var (_, core, control) = Guest("nop\nhere: hlt");
        var exit = core.Run(100);
        Assert.Multiple(() =>
        {
            Assert.That(exit.Reason, Is.EqualTo(ExitReason.VmExit));
            Assert.That(exit.VmExitReason, Is.EqualTo(VmExitReason.Hlt));
            Assert.That(control.Guest.Pc, Is.EqualTo(core.Machine.Program!.Symbols["here"]));
            Assert.That(control.ExitInstructionLength, Is.EqualTo(4u));
            Assert.That(core.InGuestMode, Is.False);
            Assert.That(core.Counters.VmExits[(int)VmExitReason.Hlt], Is.EqualTo(1));
        });
    }

    [Test]
    public void The_Guest_Runs_Privileged_Code_In_Ring_0_Without_Trapping()
    {
        var (_, core, control) = Guest("cli\nsti\npushf\npopf\ngetcpl r5\nli r1, 0x9000\nlidt r1\nsidt r6\nhlt");
        var exit = core.Run(100);
        Assert.That(exit.VmExitReason, Is.EqualTo(VmExitReason.Hlt));
        Assert.That((control.Guest.R[5], control.Guest.R[6]), Is.EqualTo((0u, 0x9000u)), "the guest sees its own ring and table");
        Assert.That(control.Guest.Flags & Flags.IF, Is.Not.Zero, "popf restored IF in non-root ring 0");
    }

    [Test]
    public void Port_Io_Exits_With_Port_Direction_And_Register()
    {
        var (_, core, control) = Guest("li r3, 5\nout 0x1F0, r3\nhlt");
        var exit = core.Run(100);
        Assert.That(exit.VmExitReason, Is.EqualTo(VmExitReason.IoInstruction));
        Assert.That(exit.Qualification, Is.EqualTo(0x1F0u | 0x10000u | 3u << 20));
        // Resume after emulating: skip the instruction.
        control.Guest.Pc += control.ExitInstructionLength;
        core.EnterGuest(control);
        Assert.That(core.Run(100).VmExitReason, Is.EqualTo(VmExitReason.Hlt));
    }

    [Test]
    public void The_Io_Bitmap_Lets_Unlisted_Ports_Reach_The_Devices()
    {
        var (computer, core, _) = Guest("li r1, 'v'\nout 0x3F8, r1\nout 0x1F0, r1\nhlt", c =>
        {
            c.UnconditionalIoExiting = false;
            c.ExitingPorts.Add(0x1F0);
        });
        var exit = core.Run(100);
        Assert.That(exit.VmExitReason, Is.EqualTo(VmExitReason.IoInstruction));
        Assert.That(exit.Qualification & 0xFFFF, Is.EqualTo(0x1F0u));
        Assert.That(computer.Console.PendingText, Is.EqualTo("v"));
    }

    [Test]
    public void Control_Register_Writes_Exit_When_Asked()
    {
        var (_, core, _) = Guest("li r2, 0x5000\nmov cr3, r2\nhlt");
        var exit = core.Run(100);
        Assert.That(exit.VmExitReason, Is.EqualTo(VmExitReason.ControlRegisterAccess));
        Assert.That(exit.Qualification, Is.EqualTo(3u | 0x100u | 2u << 20));
    }

    [Test]
    public void Vmcall_Exits_With_The_Number()
    {
        var (_, core, _) = Guest("li r0, 7\nvmcall\nhlt");
        var exit = core.Run(100);
        Assert.That((exit.VmExitReason, exit.Qualification), Is.EqualTo((VmExitReason.Vmcall, 7u)));
    }

    [Test]
    public void Vmcall_In_Root_Mode_Is_A_Hypercall_To_The_Host()
    {
        var computer = TestMachine.Boot("li r0, 3\nli r1, 40\nvmcall\naddi r0, r0, 1\nhlt");
        var exit = computer.Run(100);
        Assert.That((exit.Reason, exit.HypercallNumber, exit.PcAdvanced), Is.EqualTo((ExitReason.Hypercall, 3u, true)));
        var core = computer.Cores[0];
        core.State.R[0] = core.State.R[1] + 1;  // the hypervisor's answer
        Assert.That(computer.Run(100).Reason, Is.EqualTo(ExitReason.Halt));
        Assert.That(core.State.R[0], Is.EqualTo(42u));
    }

    [Test]
    public void Exceptions_In_The_Bitmap_Exit_Instead_Of_Reaching_The_Guest()
    {
        var (_, core, control) = Guest("li r1, 0\ndiv r2, r1, r1\nhlt", c => c.ExceptionBitmap = 1u << (int)ExceptionVector.DivideError);
        var exit = core.Run(100);
        Assert.That((exit.VmExitReason, exit.Qualification), Is.EqualTo((VmExitReason.Exception, 0u)));
        Assert.That(control.Guest.Pc, Is.EqualTo(0x1008u), "the faulting instruction");
    }

    [Test]
    public void Injected_Events_Go_Through_The_Guest_Table()
    {
        var (computer, core, control) = Guest("""
                li sp, 0x40000
                li r1, idt
                lidt r1
                li r2, handler
                st [r1 + 0x50 * 8], r2
                li r2, 3
                st [r1 + 0x50 * 8 + 4], r2
                li r0, 1
                vmcall
                hlt
            handler:
                li r9, 99
                hlt
                .align 8
            idt: .space 2048
            """);
        Assert.That(core.Run(1000).VmExitReason, Is.EqualTo(VmExitReason.Vmcall));
        control.Guest.Pc += control.ExitInstructionLength;
        control.InjectVector = 0x50;
        core.EnterGuest(control);
        Assert.That(core.Run(1000).VmExitReason, Is.EqualTo(VmExitReason.Hlt));
        Assert.That(control.Guest.R[9], Is.EqualTo(99u));
        _ = computer;
    }

    [Test]
    public void External_Interrupts_Exit_With_Their_Vector()
    {
        var (computer, core, _) = Guest("sti\nspin: jmp spin");
        computer.RaiseInterrupt(2);
        var exit = core.Run(100);
        Assert.That((exit.VmExitReason, exit.Qualification), Is.EqualTo((VmExitReason.ExternalInterrupt, 34u)));
    }

    [Test]
    public void Nested_Paging_Translates_Guest_Physical_And_Exits_On_Holes()
    {
        // The guest believes its code is at 0x1000 and reads 0x2000; the hypervisor backs guest-physical
        // 0x1000 with RAM 0x41000 and leaves 0x2000 unmapped.
        var computer = new Computer(new MachineConfiguration { MemorySize = 1024 * 1024 });
        var memory = computer.Memory;
        const uint root = 0x60000, table = 0x61000;
        memory.WriteWord(root, PageTableEntry.Make(table, PageTableEntry.Present | PageTableEntry.Writable));
        memory.WriteWord(table + 4, PageTableEntry.Make(0x41000, PageTableEntry.Present | PageTableEntry.Writable));
        var program = Assembler.Assembler.AssembleText("li r1, 0x2000\nld r2, [r1]\nhlt");
        memory.Write(0x41000, program.Segments[0].Bytes);
        var core = computer.Cores[0];
        var control = new VirtualMachineControl { NestedPaging = true, NestedPageTableRoot = root };
        control.Guest.Pc = 0x1000;
        core.EnterGuest(control);
        var exit = core.Run(100);
        Assert.Multiple(() =>
        {
            Assert.That(exit.VmExitReason, Is.EqualTo(VmExitReason.NestedPageFault));
            Assert.That(control.ExitAddress, Is.EqualTo(0x2000u));
            Assert.That(exit.Qualification, Is.EqualTo(1u), "a read");
            Assert.That(control.Guest.R[1], Is.EqualTo(0x2000u), "the li ran from RAM 0x41000");
        });
        // Map the hole and resume: the load completes.
        memory.WriteWord(table + 8, PageTableEntry.Make(0x42000, PageTableEntry.Present));
        memory.WriteWord(0x42000, 1234);
        core.EnterGuest(control);
        Assert.That(core.Run(100).VmExitReason, Is.EqualTo(VmExitReason.Hlt));
        Assert.That(control.Guest.R[2], Is.EqualTo(1234u));
    }

    [TestCase(ExecutionEngine.Interpreter, true)]
    [TestCase(ExecutionEngine.Translator, true)]
    [TestCase(ExecutionEngine.Interpreter, false)]
    public void Nested_Accessed_And_Dirty_Bits_Show_The_Host_What_The_Guest_Used_And_Changed(ExecutionEngine engine, bool bits)
    {
        // Guest-physical pages 1 (code), 2, 3, 4 backed by RAM 0x41000-0x44000. The guest reads page 2, reads page 3
        // and then writes it (the TLB entry its read filled must not let the write skip the dirty bit), and never
        // touches page 4.
        var computer = new Computer(new MachineConfiguration { MemorySize = 1024 * 1024, Engine = engine });
        var memory = computer.Memory;
        const uint root = 0x60000, table = 0x61000;
        memory.WriteWord(root, PageTableEntry.Make(table, PageTableEntry.Present | PageTableEntry.Writable));
        for (var page = 1u; page <= 4; page++) memory.WriteWord(table + page * 4, PageTableEntry.Make(0x40000 + page * 0x1000, PageTableEntry.Present | PageTableEntry.Writable));
        var program = Assembler.Assembler.AssembleText("li r1, 0x2000\nld r2, [r1]\nli r1, 0x3000\nld r2, [r1]\nst [r1], r2\nhlt\nagain: ld r2, [r1]\nhlt");
        memory.Write(0x41000, program.Segments[0].Bytes);
        uint Bits(uint page) => memory.ReadWord(table + page * 4) & (PageTableEntry.Accessed | PageTableEntry.Dirty);
        var core = computer.Cores[0];
        var control = new VirtualMachineControl { NestedPaging = true, NestedPageTableRoot = root, NestedAccessedDirty = bits };
        control.Guest.Pc = 0x1000;
        core.EnterGuest(control);
        Assert.That(core.Run(100).VmExitReason, Is.EqualTo(VmExitReason.Hlt));
        const uint a = PageTableEntry.Accessed, d = PageTableEntry.Dirty;
        Assert.That((Bits(1), Bits(2), Bits(3), Bits(4)), bits ? Is.EqualTo((a, a, a | d, 0u)) : Is.EqualTo((0u, 0u, 0u, 0u)));
        if (!bits) return;
        // The host clears page 3's bits (as a clock hand does, and a page-out that keeps the copy); the guest reads
        // it again after the next entry (which flushes the TLB): accessed again, still clean.
        memory.WriteWord(table + 12, memory.ReadWord(table + 12) & ~(a | d));
        control.Guest.Pc += control.ExitInstructionLength;
        core.EnterGuest(control);
        Assert.That(core.Run(100).VmExitReason, Is.EqualTo(VmExitReason.Hlt));
        Assert.That(Bits(3), Is.EqualTo(a));
    }

    [TestCase(ExecutionEngine.Interpreter)]
    [TestCase(ExecutionEngine.Translator)]
    public void A_Guest_With_Paging_On_Cannot_Write_A_Clean_Nested_Page_Through_A_Translation_Its_Read_Cached(ExecutionEngine engine)
    {
        // The guest's own page table maps its data page writable and already dirty, so its read fills the TLB with
        // a translation good for writing. The nested page is clean: the write must walk again and set its dirty bit.
        var computer = new Computer(new MachineConfiguration { MemorySize = 1024 * 1024, Engine = engine });
        var memory = computer.Memory;
        const uint root = 0x60000, table = 0x61000, ram = 0x40000;
        const uint p = PageTableEntry.Present, w = PageTableEntry.Writable, a = PageTableEntry.Accessed, d = PageTableEntry.Dirty;
        memory.WriteWord(root, PageTableEntry.Make(table, p | w));
        for (var page = 1u; page <= 6; page++) memory.WriteWord(table + page * 4, PageTableEntry.Make(ram + page * 0x1000, p | w));
        // Guest-physical 0x5000: the guest's directory; 0x6000: its table, mapping pages 1, 3, 5 and 6 to themselves.
        memory.WriteWord(ram + 0x5000, PageTableEntry.Make(0x6000, p | w | a));
        foreach (var page in new uint[] { 1, 3, 5, 6 }) memory.WriteWord(ram + 0x6000 + page * 4, PageTableEntry.Make(page * 0x1000, p | w | a | d));
        var program = Assembler.Assembler.AssembleText("li r1, 0x5000\nmov cr3, r1\nli r1, 1\nmov cr0, r1\nli r2, 0x3000\nld r3, [r2]\nst [r2], r3\nhlt");
        memory.Write(ram + 0x1000, program.Segments[0].Bytes);
        var core = computer.Cores[0];
        var control = new VirtualMachineControl { NestedPaging = true, NestedPageTableRoot = root, NestedAccessedDirty = true, ControlRegisterWriteExiting = 0 };
        control.Guest.Pc = 0x1000;
        core.EnterGuest(control);
        Assert.That(core.Run(100).VmExitReason, Is.EqualTo(VmExitReason.Hlt));
        uint Bits(uint page) => memory.ReadWord(table + page * 4) & (a | d);
        Assert.Multiple(() =>
        {
            Assert.That(Bits(3), Is.EqualTo(a | d), "the data page: read, then written");
            Assert.That(Bits(6), Is.EqualTo(a | d), "the guest's page table: the walker's reads count as writes");
            Assert.That((Bits(2), Bits(4)), Is.EqualTo((0u, 0u)), "untouched");
        });
    }

    [Test]
    public void Entry_And_Exit_Are_Charged_From_The_Cost_Table()
    {
        var (_, core, _) = Guest("hlt");
        core.Run(10);
        Assert.That(core.Counters.Cycles, Is.EqualTo(core.Costs.VmEntry + core.Costs.Control + core.Costs.VmExit));
    }
}
