using VirtualizationWorkbench.Machine.Debugging;

namespace VirtualizationWorkbench.Machine.Tests;

public class DebuggerTests
{
    private const string Program = """
            li r1, 0
            li r2, counter
        loop:
            addi r1, r1, 1
            st [r2], r1
            cmpi r1, 100
            jne loop
        end:
            hlt
        counter: .word 0
        """;

    [Test]
    public void Step_Executes_One_Instruction()
    {
        var computer = TestMachine.Boot(Program);
        var debugger = new Debugger(computer);
        debugger.Step();
        Assert.That(debugger.Core.State.Pc, Is.EqualTo(0x1008u));
        Assert.That(debugger.Time, Is.EqualTo(1));
    }

    [Test]
    public void Continue_Stops_At_A_Breakpoint_And_Moves_Past_It_Next_Time()
    {
        var computer = TestMachine.Boot(Program);
        var debugger = new Debugger(computer);
        var loop = computer.Program!.Symbols["loop"];
        debugger.Breakpoints.Add(loop);
        Assert.That(debugger.Continue().Reason, Is.EqualTo(ExitReason.Breakpoint));
        Assert.That(debugger.Core.State.Pc, Is.EqualTo(loop));
        Assert.That(debugger.Continue().Reason, Is.EqualTo(ExitReason.Breakpoint));
        Assert.That(debugger.Core.State.R[1], Is.EqualTo(1u), "one trip round the loop");
    }

    [Test]
    public void A_Watchpoint_Names_The_Instruction_That_Changed_The_Word()
    {
        var computer = TestMachine.Boot(Program);
        var debugger = new Debugger(computer);
        var counter = computer.Program!.Symbols["counter"];
        debugger.Watch(counter);
        var exit = debugger.Continue();
        Assert.That(exit.Reason, Is.EqualTo(ExitReason.Watchpoint));
        var hit = debugger.LastWatchHit!.Value;
        Assert.That((hit.Address, hit.OldValue, hit.NewValue), Is.EqualTo((counter, 0u, 1u)));
        Assert.That(hit.ChangedBy, Is.EqualTo(computer.Program.Symbols["loop"] + 4), "the st");
    }

    [Test]
    public void Step_Back_Returns_To_The_Exact_Earlier_State()
    {
        var computer = TestMachine.Boot(Program);
        var debugger = new Debugger(computer, checkpointInterval: 50);
        debugger.Continue(137);
        var pcAt137 = debugger.Core.State.Pc;
        var r1At137 = debugger.Core.State.R[1];
        debugger.Continue(40);
        Assert.That(debugger.StepBack(40), Is.True);
        Assert.That(debugger.Time, Is.EqualTo(137));
        Assert.That((debugger.Core.State.Pc, debugger.Core.State.R[1]), Is.EqualTo((pcAt137, r1At137)));
        Assert.That(debugger.Read(computer.Program!.Symbols["counter"]), Is.EqualTo(r1At137 - (debugger.Core.State.Pc == computer.Program.Symbols["loop"] + 4 ? 1u : 0u)));
    }

    [Test]
    public void Run_To_Cursor_And_The_Event_Trace()
    {
        var computer = TestMachine.Boot(Program);
        var debugger = new Debugger(computer);
        var end = computer.Program!.Symbols["end"];
        Assert.That(debugger.RunTo(end).Reason, Is.EqualTo(ExitReason.Breakpoint));
        Assert.That(debugger.Core.State.R[1], Is.EqualTo(100u));
        Assert.That(debugger.Breakpoints, Is.Empty, "run-to-cursor leaves no breakpoint behind");
        debugger.Step();
        Assert.That(debugger.Events.Last().Kind, Is.EqualTo(TraceEventKind.Exit));
    }

    [Test]
    public void Reverse_Continue_Goes_Back_To_The_Previous_Breakpoint_Hit_Exactly()
    {
        var computer = TestMachine.Boot(Program);
        // Checkpoints every 50 instructions: the hits searched for lie in earlier windows than "now".
        var debugger = new Debugger(computer, checkpointInterval: 50);
        var loop = computer.Program!.Symbols["loop"];
        var end = computer.Program.Symbols["end"];
        debugger.Breakpoints.Add(loop);
        for (var i = 0; i < 30; i++) Assert.That(debugger.Continue().Reason, Is.EqualTo(ExitReason.Breakpoint));
        // Round 30 of the loop: r1 = 29. Run on past the loop's end, with the breakpoint still set.
        debugger.Breakpoints.Remove(loop);
        debugger.Breakpoints.Add(end);
        Assert.That(debugger.Continue().Reason, Is.EqualTo(ExitReason.Breakpoint));
        Assert.That(debugger.Core.State.R[1], Is.EqualTo(100u));
        debugger.Breakpoints.Add(loop);

        // The last time the pc was at loop: the 100th round, r1 = 99, four instructions before the end's jne fell through.
        Assert.That(debugger.ReverseContinue(), Is.True);
        Assert.That(debugger.Core.State.Pc, Is.EqualTo(loop));
        Assert.That(debugger.Core.State.R[1], Is.EqualTo(99u));
        var back = debugger.Time;

        // The same moment reached forward on a fresh machine is the same state, counters included.
        var fresh = new Debugger(TestMachine.Boot(Program));
        fresh.Continue((long)back);
        Assert.That(fresh.Time, Is.EqualTo(back));
        Assert.That((fresh.Core.State.Pc, fresh.Core.State.R[1], fresh.Core.Counters.Cycles), Is.EqualTo((debugger.Core.State.Pc, debugger.Core.State.R[1], debugger.Core.Counters.Cycles)));

        // Again: the round before, then again and again, each one round (4 instructions) earlier.
        Assert.That(debugger.ReverseContinue(), Is.True);
        Assert.That((debugger.Core.State.R[1], debugger.Time), Is.EqualTo((98u, back - 4)));

        // With no breakpoint before now, nothing moves.
        debugger.Breakpoints.Clear();
        Assert.That(debugger.ReverseContinue(), Is.False);
        Assert.That(debugger.Time, Is.EqualTo(back - 4));
    }

    [Test]
    public void Step_Back_Rewinds_The_Event_Trace()
    {
        // A program that traps every round: its trace has an event per round.
        const string trapping = """
                li r1, 0
                li r3, table
                li r2, handler
                st [r3 + 1024], r2      ; gate 0x80 = 0x80 * 8
                li r2, 3                ; present, kernel
                st [r3 + 1028], r2
                lidt r3
            loop:
                addi r1, r1, 1
                int 0x80
                cmpi r1, 40
                jne loop
                hlt
            handler:
                iret
            table: .space 2048
            """;
        var computer = TestMachine.Boot(trapping);
        var debugger = new Debugger(computer, checkpointInterval: 16);
        debugger.Continue(100);
        var eventsAt100 = debugger.Events.ToList();
        Assert.That(eventsAt100, Is.Not.Empty, "the program traps");
        debugger.Continue(60);
        Assert.That(debugger.Events, Has.Count.GreaterThan(eventsAt100.Count));
        Assert.That(debugger.StepBack(60), Is.True);
        Assert.That(debugger.Events, Is.EqualTo(eventsAt100), "the trace is what it was at instruction 100, no more, no repeats");
    }
}
