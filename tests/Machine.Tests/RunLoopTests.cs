using VirtualizationWorkbench.Machine.Cpu;

namespace VirtualizationWorkbench.Machine.Tests;

/// <summary>The KVM-style run loop: what comes back from Run and how the host answers.</summary>
public class RunLoopTests
{
    [Test]
    public void Port_Input_Nobody_Claims_Waits_For_The_Host()
    {
        var computer = TestMachine.Boot("in r4, 0x99\naddi r4, r4, 1\nhlt");
        var exit = computer.Run(100);
        Assert.That((exit.Reason, exit.Address, exit.PcAdvanced), Is.EqualTo((ExitReason.IoIn, 0x99u, true)));
        computer.Cores[0].CompleteIo(41);
        Assert.That(computer.Run(100).Reason, Is.EqualTo(ExitReason.Halt));
        Assert.That(computer.Cores[0].State.R[4], Is.EqualTo(42u));
    }

    [Test]
    public void Port_Output_Nobody_Claims_Carries_The_Value()
    {
        var computer = TestMachine.Boot("li r2, 77\nout 0x99, r2\nhlt");
        var exit = computer.Run(100);
        Assert.That((exit.Reason, exit.Address, exit.Data, exit.IsWrite), Is.EqualTo((ExitReason.IoOut, 0x99u, 77u, true)));
    }

    [Test]
    public void Unmapped_Physical_Memory_Exits_As_Mmio()
    {
        var computer = TestMachine.Boot("li r1, 0x800000\nld r2, [r1]\nhlt");
        var exit = computer.Run(100);
        Assert.That((exit.Reason, exit.Address, exit.IsWrite), Is.EqualTo((ExitReason.Mmio, 0x800000u, false)));
        computer.Cores[0].CompleteIo(5);
        computer.Run(100);
        Assert.That(computer.Cores[0].State.R[2], Is.EqualTo(5u));
    }

    [Test]
    public void Intercepted_Exceptions_Reach_The_Host_As_Traps()
    {
        var computer = TestMachine.Boot("cli\nhlt");
        var core = computer.Cores[0];
        core.State.Flags = 1u << Flags.CplShift;    // a deprivileged kernel in ring 1
        core.InterceptedExceptions = 1u << (int)ExceptionVector.GeneralProtection;
        var exit = computer.Run(100);
        Assert.That((exit.Reason, exit.Vector, exit.Pc), Is.EqualTo((ExitReason.Trap, 13, 0x1000u)));
        Assert.That(core.Counters.Exits[(int)ExitReason.Trap], Is.EqualTo(1));
    }

    [Test]
    public void Intercepted_System_Calls_Leave_The_Pc_Past_The_Instruction()
    {
        var computer = TestMachine.Boot("int 0x80\nhlt");
        computer.Cores[0].InterceptSoftwareInterrupts = true;
        var exit = computer.Run(100);
        Assert.That((exit.Reason, exit.Vector, exit.ReturnPc, exit.PcAdvanced), Is.EqualTo((ExitReason.Trap, 0x80, 0x1004u, true)));
        Assert.That(computer.Cores[0].State.Pc, Is.EqualTo(0x1004u));
    }

    [Test]
    public void Budget_Counts_Instructions_Exactly()
    {
        var computer = TestMachine.Boot("spin: addi r1, r1, 1\njmp spin");
        var exit = computer.Run(1001);
        Assert.That(exit.Reason, Is.EqualTo(ExitReason.BudgetSpent));
        Assert.That(computer.Cores[0].Counters.Instructions, Is.EqualTo(1001));
        Assert.That(computer.Cores[0].State.R[1], Is.EqualTo(501u));
    }

    [Test]
    public void A_Stop_Request_Ends_The_Run()
    {
        var computer = TestMachine.Boot("spin: jmp spin");
        computer.Cores[0].RequestStop();
        Assert.That(computer.Run(1_000_000).Reason, Is.EqualTo(ExitReason.Stopped));
    }

    [Test]
    public void A_Stop_Requested_From_Another_Thread_Ends_A_Run_With_No_End_In_Sight()
    {
        // The timer is off, so nothing but the stop can end this run before its (endless) budget.
        var computer = TestMachine.Boot("spin: addi r1, r1, 1\njmp spin");
        var core = computer.Cores[0];
        var run = Task.Factory.StartNew(() => core.Run(long.MaxValue), TaskCreationOptions.LongRunning);
        Assert.That(SpinWait.SpinUntil(() => Volatile.Read(ref core.Counters.Instructions) > 0, TimeSpan.FromSeconds(60)), "the run started");
        Thread.Sleep(100);

        core.RequestStop();

        // A hang catcher, not a speed limit: before the fix the run never returned.
        Assert.That(run.Wait(TimeSpan.FromSeconds(30)), Is.True, "Run returned after the stop");
        var exit = run.Result;
        Assert.That(exit.Reason, Is.EqualTo(ExitReason.Stopped));
        Assert.That(exit.Pc, Is.EqualTo(core.State.Pc), "the exit names where the guest stands");
        var ran = core.Counters.Instructions;
        Assert.That(core.State.R[1], Is.EqualTo((uint)((ran + 1) / 2)), "the guest stopped between two instructions, its work intact");

        Assert.That(core.Run(1000).Reason, Is.EqualTo(ExitReason.BudgetSpent), "the stop was taken once; the guest resumes");
        Assert.That(core.Counters.Instructions, Is.EqualTo(ran + 1000));
    }

    private const string CountingProgram = """
            cpuid r1
            li r2, counter
            li r3, 1000
            li r7, lock
        loop:
        .ifdef LOCKED
        acquire:
            li r8, 1
            xchg r8, [r7]
            cmpi r8, 0
            jne acquire
        .endif
            ld r4, [r2]
            addi r4, r4, 1
            st [r2], r4
        .ifdef LOCKED
            li r8, 0
            st [r7], r8
        .endif
            subi r3, r3, 1
            jne loop
            hlt
        counter: .word 0
        lock: .word 0
        """;

    private static uint Count(params string[] defines)
    {
        var computer = new Computer(new MachineConfiguration { MemorySize = 1024 * 1024, Cores = 3, Quantum = 7 });
        computer.Load(Assembler.Assembler.AssembleText(CountingProgram, "count.s", new Assembler.AssemblerOptions { Defines = defines }));
        Assert.That(computer.Run(1_000_000).Reason, Is.EqualTo(ExitReason.Halt));
        return computer.Memory.ReadWord(computer.Program!.Symbols["counter"]);
    }

    [Test]
    public void Several_Cores_Race_On_Shared_Memory_The_Same_Way_Every_Time()
    {
        var first = Count();
        Assert.That(first, Is.LessThan(3000u), "unlocked read-modify-write loses updates when quanta interleave");
        Assert.That(Count(), Is.EqualTo(first), "but always the same ones: the interleaving is deterministic");
    }

    [Test]
    public void An_Xchg_Spinlock_Makes_The_Count_Exact()
    {
        Assert.That(Count("LOCKED"), Is.EqualTo(3000u));
    }
}
