using System.Diagnostics;
using VirtualizationWorkbench.Workbench.Terminal.ViewModels;
using VirtualizationWorkbench.Machine.Assembler;

namespace VirtualizationWorkbench.Workbench.Tests.Terminal;

public sealed class InspectorViewModelTests
{
    private const string Loop = """
        start:
            li r1, 0
        again:
            addi r1, r1, 1
            li r2, 0x100
            st [r2], r1
            jmp again
        """;

    private static InspectorViewModel Inspect(string source) =>
        new(new InspectedProgram("test.s", Assembler.AssembleText(source)));

    private static void WaitUntilStopped(InspectorViewModel model)
    {
        var clock = Stopwatch.StartNew();
        while (model.Running && clock.Elapsed < TimeSpan.FromSeconds(30)) Thread.Sleep(5);
        Assert.That(model.Running, Is.False, "the run stopped");
    }

    [Test]
    public void Should_Move_The_Pc_On_Step_And_Back_On_Step_Back()
    {
        using var model = Inspect("start:\n li r1, 40\n addi r1, r1, 2\n hlt");
        var entry = model.View().Pc;
        model.Step();
        var after = model.View();
        Assert.That(after.Pc, Is.EqualTo(entry + 8), "li with a 32-bit value is 8 bytes");
        Assert.That(after.Registers[1], Is.EqualTo(40));
        Assert.That(after.Disassembly.Single(l => l.IsPc).Address, Is.EqualTo(after.Pc));
        model.Step();
        Assert.That(model.View().Registers[1], Is.EqualTo(42));
        model.StepBack();
        Assert.That(model.View().Pc, Is.EqualTo(entry + 8));
        Assert.That(model.View().Registers[1], Is.EqualTo(40));
    }

    [Test]
    public void Should_Show_The_Tlb_Entries_Once_Paging_Is_On()
    {
        using var model = Inspect("""
                li r1, 0x10000
                li r2, 0x11003
                st [r1], r2
                li r1, 0x11000
                li r2, 0x1003
                st [r1 + 4], r2
                li r1, 0x10000
                mov cr3, r1
                li r1, 1
                mov cr0, r1
                nop
                hlt
            """);
        for (var i = 0; i < 11; i++) model.Step();
        var lines = model.View().PageTables;
        Assert.That(lines, Has.Some.Contains("TLB: 1 of 64 entries valid"));
        Assert.That(lines, Has.Some.Contains("slot  1 va 00001000 → 00001000 kernel"));
    }

    [Test]
    public void Should_Show_Current_Ring_When_Cpl_Changes()
    {
        using var fixture = new TerminalFixture();
        var lab = fixture.Catalog.Find("01");
        using var model = new InspectorViewModel(InspectedProgram.FromLab(lab, lab.FindAssembly("rings")!));
        Assert.That(model.View().Ring, Is.Zero);
        var user = model.Program.Image.Symbols["user"];
        for (var i = 0; i < 100 && model.View().Pc != user; i++) model.Step();
        Assert.That(model.View().Pc, Is.EqualTo(user));
        Assert.That(model.View().Ring, Is.EqualTo(3));
    }

    [Test]
    public void Should_Stop_At_A_Breakpoint_When_Running()
    {
        using var model = Inspect(Loop);
        model.MoveCursor(1);
        model.MoveCursor(1);
        model.MoveCursor(1);
        var store = model.CursorAddress;
        model.ToggleBreakpoint();
        model.Run();
        WaitUntilStopped(model);
        Assert.That(model.View().Pc, Is.EqualTo(store));
        Assert.That(model.View().State, Does.StartWith("breakpoint"));
        model.Run();
        WaitUntilStopped(model);
        Assert.That(model.View().Registers[1], Is.EqualTo(2), "the second run goes round the loop once more");
        Assert.That(model.View().Disassembly.Single(l => l.Address == store).IsBreakpoint, Is.True);
    }

    [Test]
    public void Should_Run_And_Pause_On_Request_With_Views_Published_While_Running()
    {
        using var model = Inspect(Loop);
        model.Run();
        Assert.That(model.Running, Is.True);
        var clock = Stopwatch.StartNew();
        ulong seen = 0;
        while (clock.Elapsed < TimeSpan.FromSeconds(20) && seen < 200_000) seen = model.View().Time;
        Assert.That(model.View().Running, Is.True);
        Assert.That(seen, Is.GreaterThanOrEqualTo(200_000), "the published view follows the running core");
        model.Step();
        Assert.That(model.Message, Does.Contain("pause it first"));
        model.Pause();
        Assert.That(model.Running, Is.False);
        var paused = model.View().Time;
        Thread.Sleep(50);
        Assert.That(model.View().Time, Is.EqualTo(paused));
    }

    [Test]
    public void Should_Go_Back_To_The_Previous_Breakpoint()
    {
        using var model = Inspect("start:\n li r1, 0\nagain:\n addi r1, r1, 1\n cmpi r1, 5\n jne again\nend:\n hlt");
        model.ReverseContinue();
        Assert.That(model.Message, Does.Contain("no breakpoints"));
        model.MoveCursor(1);
        var again = model.CursorAddress;
        model.MoveCursor(int.MaxValue);
        model.RunToCursor();
        WaitUntilStopped(model);
        Assert.That(model.View().Registers[1], Is.EqualTo(5));
        // The breakpoint is set after the run went past it five times: going back finds those passes.
        model.CursorTo(again);
        model.ToggleBreakpoint();
        model.ReverseContinue();
        Assert.That((model.View().Pc, model.View().Registers[1]), Is.EqualTo((again, 4u)), "the fifth round, the last one at the breakpoint");
        model.ReverseContinue();
        Assert.That(model.View().Registers[1], Is.EqualTo(3));
        for (var i = 0; i < 3; i++) model.ReverseContinue();
        Assert.That(model.View().Registers[1], Is.EqualTo(0), "the first round");
        model.ReverseContinue();
        Assert.That(model.Message, Does.Contain("no breakpoint was reached before now"));
    }

    [Test]
    public void Should_Run_To_The_Cursor()
    {
        using var model = Inspect("start:\n li r1, 1\n li r1, 2\n li r1, 3\nend:\n hlt");
        model.MoveCursor(int.MaxValue);
        var end = model.CursorAddress;
        model.RunToCursor();
        WaitUntilStopped(model);
        Assert.That(model.View().Pc, Is.EqualTo(end));
        Assert.That(model.View().Registers[1], Is.EqualTo(3));
    }

    [Test]
    public void Should_Point_Memory_At_Addresses_Registers_And_Labels()
    {
        using var model = Inspect("start:\n li r3, 0x2010\n hlt\n.align 16\ndata: .word 0x41424344");
        model.ShowMemoryAt("data");
        Assert.That(model.View().Memory[0], Does.Contain("44 43 42 41"));
        Assert.That(model.View().Memory[0], Does.Contain("|DCBA"));
        model.Step();
        model.ShowMemoryAt("r3");
        Assert.That(model.MemoryAddress, Is.EqualTo(0x2010u));
        model.ShowMemoryAt("0x30");
        Assert.That(model.MemoryAddress, Is.EqualTo(0x30u));
        model.ShowMemoryAt("nowhere");
        Assert.That(model.Message, Does.StartWith("'nowhere' is not an address"));
        Assert.That(model.MemoryAddress, Is.EqualTo(0x30u));
    }

    [Test]
    public void Should_Report_A_Program_That_Does_Not_Assemble_With_Its_Position()
    {
        var file = Path.Combine(Path.GetTempPath(), $"bad-{Guid.NewGuid():N}.s");
        File.WriteAllText(file, "start:\n  frobnicate r1\n");
        try
        {
            var error = Assert.Throws<UserError>(() => InspectedProgram.FromFile(file))!;
            Assert.That(error.Message, Does.Contain(":2:"));
            Assert.That(error.Message, Does.Contain("does not assemble"));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Test]
    public void Should_Report_A_File_That_Is_Not_A_Program_Naming_It_Once()
    {
        var file = Path.Combine(Path.GetTempPath(), $"notes-{Guid.NewGuid():N}.bin");
        File.WriteAllText(file, "just some notes");
        try
        {
            var error = Assert.Throws<UserError>(() => InspectedProgram.FromFile(file))!;
            Assert.That(error.Message, Does.StartWith($"{file}: not a VW32 program"));
            Assert.That(error.Message.Split(file), Has.Length.EqualTo(2), "the file is named once");
            Assert.That(error.Message, Does.Contain("the inspector opens assembly sources (.s)"));
        }
        finally
        {
            File.Delete(file);
        }
    }
}

public sealed class MonitoredRunTests
{
    private static readonly string MiniKernel = Path.Combine(WorkbenchProcess.RepositoryRoot, "labs", "guests", "minikernel.s");

    [Test]
    [CancelAfter(30_000)]
    public void Should_Run_A_Guest_Under_A_Monitor_With_Its_Statistics()
    {
        var request = InspectorRequest.Parse($"{MiniKernel} -m binary-translation");
        Assert.That(request.Monitor, Is.EqualTo("binary-translation"));
        using var run = new MonitoredRun(request.Program, request.Monitor!);
        run.Step();
        Assert.That(run.View().Counters.Single(c => c.Name == "instructions").Value, Is.EqualTo(1UL));
        run.Run();
        while (run.Running) Thread.Sleep(10);
        var view = run.View();
        Assert.That(run.Message, Is.EqualTo("the guest halted under binary-translation"));
        Assert.That(view.Counters.Single(c => c.Name == "callouts").Value, Is.GreaterThan(0UL));
        Assert.That(view.Console, Has.Some.Contains("all tasks finished"));
        Assert.That(view.Ring, Is.Not.Zero, "the guest kernel runs deprivileged under binary translation");
    }

    [Test]
    public void Should_Refuse_An_Unknown_Monitor_Or_Option()
    {
        Assert.That(() => InspectorRequest.Parse($"{MiniKernel} -m no-such"), Throws.TypeOf<UserError>().With.Message.Contains("choose from trap-and-emulate"));
        Assert.That(() => InspectorRequest.Parse($"{MiniKernel} --fast"), Throws.TypeOf<UserError>().With.Message.Contains("'--fast'"));
        Assert.That(() => InspectorRequest.Parse("missing.s"), Throws.TypeOf<UserError>().With.Message.Contains("no such file"));
    }
}
