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
}
