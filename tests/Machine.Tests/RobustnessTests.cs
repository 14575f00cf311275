using VirtualizationWorkbench.Machine.Costs;

namespace VirtualizationWorkbench.Machine.Tests;

/// <summary>Whatever a guest does, the host survives: random instruction words, wild jumps, runaway stacks.</summary>
public class RobustnessTests
{
    [Test]
    public void A_Million_Random_Instruction_Words_Never_Crash_The_Host()
    {
        var total = 0L;
        for (var seed = 0; seed < 64; seed++)
        {
            var random = new Random(seed);
            var computer = new Computer(new MachineConfiguration { MemorySize = 256 * 1024 });
            var words = new byte[64 * 1024];
            random.NextBytes(words);
            computer.Memory.Write(0x1000, words);
            var core = computer.Cores[0];
            var executed = 0L;
            Restart(core, random);
            while (executed < 16_000)
            {
                var before = core.Counters.Instructions;
                var exit = core.Run(1000);
                executed += (long)(core.Counters.Instructions - before);
                switch (exit.Reason)
                {
                    case ExitReason.Trap:
                        // Every exception comes to the host, which skips the instruction, so a seed walks
                        // through thousands of random words instead of stopping at the first fault.
                        executed++;
                        if (!exit.PcAdvanced) core.State.Pc = exit.Pc + 4;
                        break;
                    case ExitReason.IoIn:
                    case ExitReason.Mmio:
                        core.CompleteIo(0);
                        break;
                    case ExitReason.Halt:
                    case ExitReason.Shutdown:
                        Restart(core, random);
                        break;
                }
                if (core.State.Pc is < 0x1000 or >= 0x11000) Restart(core, random);
            }
            total += executed;
        }
        Assert.That(total, Is.GreaterThanOrEqualTo(1_000_000));
    }

    private static void Restart(Core core, Random random)
    {
        core.Reset(0x1000 + (uint)random.Next(0, 16_000) * 4);
        core.InterceptedExceptions = TestMachine.AllExceptions;
        core.InterceptSoftwareInterrupts = true;
    }

    [Test]
    public void A_Jump_Into_Unmapped_Memory_Shuts_The_Machine_Down_With_A_Reason()
    {
        var computer = TestMachine.Boot("li r1, 0x900000\njmpr r1");
        var exit = computer.Run(1000);
        Assert.That(exit.Reason, Is.EqualTo(ExitReason.Shutdown));
        Assert.That(exit.Message, Does.Contain("general-protection at pc 0x00900000"));
    }

    [Test]
    public void A_Runaway_Recursion_Ends_Cleanly()
    {
        var computer = TestMachine.Boot("start: li sp, 0x20000\nrecurse: call recurse");
        var exit = computer.Run(1_000_000);
        // The stack grows down through the program itself; whatever happens, the run ends with an exit, not
        // an exception in the host.
        Assert.That(exit.Reason, Is.AnyOf(ExitReason.Shutdown, ExitReason.BudgetSpent, ExitReason.Mmio, ExitReason.Halt));
    }

    [Test]
    public void A_Guest_That_Never_Halts_Returns_When_Its_Budget_Is_Spent()
    {
        var computer = TestMachine.Boot("spin: jmp spin");
        Assert.That(computer.Run(50_000).Reason, Is.EqualTo(ExitReason.BudgetSpent));
    }

    [Test]
    public void Cost_Tables_Load_From_Json_And_Name_Their_Errors()
    {
        var table = CostTable.Parse("""{ "name": "2006", "vmExit": 1500 }""");
        Assert.That((table.Name, table.VmExit, table.Simple), Is.EqualTo(("2006", 1500u, 1u)));
        Assert.That(CostTable.Parse(table.ToJson()), Is.EqualTo(table));
        Assert.That(() => CostTable.Parse("{ \"vmExitt\": 3 }", "costs.json"), Throws.TypeOf<FormatException>().With.Message.StartsWith("costs.json:1:"));
        Assert.That(() => CostTable.Parse("{ \"simple\": -1 }", "costs.json"), Throws.TypeOf<FormatException>());
    }

    [Test]
    public void The_Isa_Reference_Documents_Every_Instruction()
    {
        var reference = File.ReadAllText(Path.Combine(TestMachine.RepositoryRoot, "curriculum", "reference", "isa.md"));
        foreach (var info in Cpu.InstructionSet.All)
        {
            Assert.That(reference, Does.Contain($"`{info.Mnemonic}"), $"isa.md must document {info.Mnemonic}");
            Assert.That(reference, Does.Contain($"0x{(byte)info.Opcode:X2}"), $"isa.md must give the opcode of {info.Mnemonic}");
        }
    }

    [Test]
    public void Steady_State_Execution_Allocates_Nothing_On_The_Host()
    {
        // Warm up (JIT, first TLB fills), then measure a second, identical run of the kernel: traps, paging,
        // interrupts, devices and exits included.
        var warm = TestMachine.BootMinikernel();
        warm.Run(10_000_000);
        var computer = TestMachine.BootMinikernel();
        computer.Run(1000);
        var before = GC.GetAllocatedBytesForCurrentThread();
        var exit = computer.Cores[0].Run(10_000_000);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.That(exit.Reason, Is.EqualTo(ExitReason.Halt));
        Assert.That(allocated, Is.Zero, $"{allocated} bytes allocated over {computer.Cores[0].Counters.Instructions} instructions");
    }
}
