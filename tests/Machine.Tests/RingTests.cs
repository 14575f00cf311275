using VirtualizationWorkbench.Machine.Cpu;

namespace VirtualizationWorkbench.Machine.Tests;

/// <summary>Every privileged instruction faults outside ring 0; the sensitive-but-unprivileged ones do not.</summary>
public class RingTests
{
    private static IEnumerable<TestCaseData> PrivilegedInRings() =>
        from info in InstructionSet.All
        where info.Privileged
        from ring in new[] { 1, 2, 3 }
        select new TestCaseData(info.Opcode, ring).SetName($"{info.Opcode} faults in ring {ring}");

    private static Core CoreAt(int ring, uint word, uint extraWord = 0)
    {
        var computer = new Computer(new MachineConfiguration { MemorySize = 1024 * 1024 });
        computer.Memory.WriteWord(0x1000, word);
        computer.Memory.WriteWord(0x1004, extraWord);
        var core = computer.Cores[0];
        core.Reset(0x1000);
        core.State.R[15] = 0x8000;
        core.State.Flags = (uint)ring << Flags.CplShift;
        core.InterceptedExceptions = TestMachine.AllExceptions;
        return core;
    }

    [TestCaseSource(nameof(PrivilegedInRings))]
    public void Privileged_Instruction_Raises_General_Protection(Opcode opcode, int ring)
    {
        var core = CoreAt(ring, (uint)opcode << 24);
        var exit = core.Run(1);
        Assert.Multiple(() =>
        {
            Assert.That(exit.Reason, Is.EqualTo(ExitReason.Trap));
            Assert.That(exit.Vector, Is.EqualTo((int)ExceptionVector.GeneralProtection));
            Assert.That(exit.Pc, Is.EqualTo(0x1000u));
            Assert.That(exit.PcAdvanced, Is.False);
            Assert.That(core.State.Pc, Is.EqualTo(0x1000u), "a fault leaves pc at the instruction");
        });
    }

    private static IEnumerable<TestCaseData> PrivilegedOnly() =>
        InstructionSet.All.Where(i => i.Privileged).Select(i => new TestCaseData(i.Opcode).SetName($"{i.Opcode} runs in ring 0"));

    [TestCaseSource(nameof(PrivilegedOnly))]
    public void Privileged_Instruction_Runs_In_Ring_0(Opcode opcode)
    {
        var core = CoreAt(0, (uint)opcode << 24);
        var exit = core.Run(1);
        Assert.That(exit.Reason is not ExitReason.Trap and not ExitReason.Shutdown, $"ring 0 may execute {opcode}, got {exit}");
    }

    private static IEnumerable<TestCaseData> SensitiveUnprivileged() =>
        InstructionSet.All.Where(i => i.Sensitive && !i.Privileged).Select(i => new TestCaseData(i.Opcode).SetName($"{i.Opcode} does not fault in ring 3"));

    [TestCaseSource(nameof(SensitiveUnprivileged))]
    public void Sensitive_Unprivileged_Instruction_Does_Not_Fault_In_Ring_3(Opcode opcode)
    {
        var core = CoreAt(3, (uint)opcode << 24 | 1 << 20);
        core.Machine.Memory.WriteWord(0x7FFC, 0);
        var exit = core.Run(1);
        Assert.That(exit.Reason, Is.EqualTo(ExitReason.BudgetSpent), $"{opcode} must execute silently in ring 3: {exit}");
    }

    [Test]
    public void Popf_In_Ring_3_Silently_Keeps_The_Interrupt_Flag()
    {
        var core = CoreAt(3, (uint)Opcode.Popf << 24);
        core.State.R[15] = 0x7FFC;
        core.Machine.Memory.WriteWord(0x7FFC, Flags.IF | Flags.Z);
        core.Run(1);
        Assert.That(core.State.Flags & Flags.IF, Is.Zero, "IF unchanged: the pop asked for it, ring 3 may not have it");
        Assert.That(core.State.Flags & Flags.Z, Is.Not.Zero, "arithmetic flags are restored");
        Assert.That(core.State.Cpl, Is.EqualTo(3));
    }

    [Test]
    public void Popf_In_Ring_0_Sets_The_Interrupt_Flag_But_Never_The_Ring()
    {
        var core = CoreAt(0, (uint)Opcode.Popf << 24);
        core.State.R[15] = 0x7FFC;
        core.Machine.Memory.WriteWord(0x7FFC, Flags.IF | Flags.CplMask);
        core.Run(1);
        Assert.That(core.State.Flags & Flags.IF, Is.Not.Zero);
        Assert.That(core.State.Cpl, Is.EqualTo(0));
    }

    [Test]
    public void Pushf_Getcpl_Sidt_Smsw_Reveal_Real_State_In_Ring_3()
    {
        var computer = new Computer(new MachineConfiguration { MemorySize = 1024 * 1024 });
        var code = new[]
        {
            (uint)Opcode.Pushf << 24,
            (uint)Opcode.Getcpl << 24 | 1 << 20,
            (uint)Opcode.Sidt << 24 | 2 << 20,
            (uint)Opcode.Smsw << 24 | 3 << 20,
        };
        for (var i = 0; i < code.Length; i++) computer.Memory.WriteWord(0x1000 + (uint)i * 4, code[i]);
        var core = computer.Cores[0];
        core.Reset(0x1000);
        core.State.R[15] = 0x8000;
        core.State.Idtr = 0x4242000;
        core.State.Flags = 3u << Flags.CplShift | Flags.IF;
        core.Run(4);
        Assert.Multiple(() =>
        {
            Assert.That(computer.Memory.ReadWord(0x7FFC) & Flags.IF, Is.Not.Zero, "pushf shows IF");
            Assert.That(computer.Memory.ReadWord(0x7FFC) >> Flags.CplShift & 3, Is.EqualTo(3u), "pushf shows the ring");
            Assert.That(core.State.R[1], Is.EqualTo(3u), "getcpl");
            Assert.That(core.State.R[2], Is.EqualTo(0x4242000u), "sidt");
            Assert.That(core.State.R[3], Is.EqualTo(0u), "smsw");
        });
    }

    [Test]
    public void Every_Instruction_Is_Classified_Consistently()
    {
        foreach (var info in InstructionSet.All)
        {
            Assert.That(!info.Privileged || info.Sensitive, $"{info.Mnemonic}: privileged instructions are sensitive");
        }
        Assert.That(InstructionSet.All.Count(i => i.Sensitive && !i.Privileged), Is.EqualTo(5), "pushf, popf, getcpl, sidt, smsw");
    }
}
