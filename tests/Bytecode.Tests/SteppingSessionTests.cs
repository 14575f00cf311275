using VirtualizationWorkbench.Bytecode.Host;
using VirtualizationWorkbench.Bytecode.Running;
using VirtualizationWorkbench.Bytecode.Verification;

namespace VirtualizationWorkbench.Bytecode.Tests;

/// <summary>The host VM under a debugger: one instruction, a call or a slice at a time, with its frames, operand
/// stacks and source lines shown between instructions, and the same outcome as a plain run.</summary>
public sealed class SteppingSessionTests
{
    private const string Add = """
        fn add(a, b) {
            var s = a + b;
            return s;
        }

        fn main() {
            var x = 40;
            print(add(x, 2));
            return 0;
        }
        """;

    [Test]
    public void Should_Show_The_Operand_Stack_And_Line_Of_Each_Instruction()
    {
        var session = new SteppingSession(Programs.Compile(Add, "add.wl"));

        Assert.That((session.Module.Functions[session.Function].Name, session.Offset, session.Line?.Line), Is.EqualTo(("main", 0, 7)));
        Assert.That(session.Instruction, Does.EndWith("push 40"));
        Assert.That(session.Stack, Is.Empty);
        session.Step();
        Assert.That(session.Stack.Select(v => v.ToString()), Is.EqualTo(new[] { "40" }));
        session.Step();
        Assert.That(session.Stack, Is.Empty, "istore took it");
        Assert.That(session.Frames.Single().Locals.Select(v => v.ToString()), Is.EqualTo(new[] { "40" }));
        Assert.That(session.Line?.Line, Is.EqualTo(8), "the next statement");
        session.Step();
        session.Step();
        Assert.That(session.Stack.Select(v => v.Raw), Is.EqualTo(new[] { 40, 2 }));
        Assert.That(session.Instruction, Does.EndWith("call 0 (add)"));
        Assert.That(session.Steps, Is.EqualTo(4));
    }

    [Test]
    public void Should_Show_The_Callers_Frame_At_Its_Call_With_The_Arguments_Moved_To_The_Callees_Locals()
    {
        var session = new SteppingSession(Programs.Compile(Add, "add.wl"));
        for (var i = 0; i < 5; i++) session.Step();

        var frames = session.Frames;
        Assert.That(frames.Select(f => f.Name), Is.EqualTo(new[] { "add", "main" }), "innermost first");
        Assert.That((frames[0].Offset, frames[0].Line?.Line), Is.EqualTo((0, 2)));
        Assert.That(frames[0].Locals.Select(v => v.Raw), Is.EqualTo(new[] { 40, 2, 0 }), "a, b, then s (zero)");
        Assert.That(frames[0].Stack, Is.Empty);
        Assert.That((frames[1].Offset, frames[1].Line?.Line), Is.EqualTo((0x0e, 8)), "main stands at its call");
        Assert.That(frames[1].Stack, Is.Empty, "the arguments left main's stack");
        session.Step();
        session.Step();
        session.Step();
        Assert.That(session.Stack.Select(v => v.Raw), Is.EqualTo(new[] { 42 }), "iload, iload, add");
        session.Step();
        Assert.That(session.Stack, Is.Empty, "istore 2");
        Assert.That(session.Frames[0].Locals.Select(v => v.Raw), Is.EqualTo(new[] { 40, 2, 42 }));
        Assert.That(session.Line?.Line, Is.EqualTo(3));
    }

    [Test]
    public void Should_Step_Over_A_Call_And_Out_Of_One()
    {
        var session = new SteppingSession(Programs.Compile(Programs.Tour, "tour.wl"));
        while (!session.Instruction.Contains("(gcd)", StringComparison.Ordinal)) session.StepOver();
        Assert.That(session.Output, Is.EqualTo("hello, bytecode\n"), "step over ran puts whole");

        session.StepOver();
        Assert.That(session.Frames.Select(f => f.Name), Is.EqualTo(new[] { "main" }));
        Assert.That(session.Stack.Select(v => v.Raw), Is.EqualTo(new[] { 21 }), "gcd(1071, 462)");
        session.StepOver();
        while (!session.Instruction.Contains("(fib)", StringComparison.Ordinal)) session.Step();
        session.Step();
        session.Step();
        Assert.That(session.Frames[0].Name, Is.EqualTo("fib"));
        session.StepOut();
        Assert.That(session.Frames.Select(f => f.Name), Is.EqualTo(new[] { "main" }), "out of fib, recursion and all");
        Assert.That(session.Stack.Select(v => v.Raw), Is.EqualTo(new[] { 144 }));
    }

    [Test]
    public void Should_Show_An_Array_Reference_As_The_Array_The_Verifier_Proved_It_Is()
    {
        var session = new SteppingSession(Programs.Compile("fn main() {\n    var a = array(3);\n    a[1] = 7;\n    return a[1];\n}\n"));
        while (session.Line?.Line != 4) session.Step();

        var a = session.Frames[0].Locals[0];
        Assert.That((a.Type, a.ToString()), Is.EqualTo((SlotType.Array, "#1 int[3]")));
        Assert.That(session.Array(a.Raw), Is.EqualTo(new[] { 0, 7, 0 }));
        session.Step();
        Assert.That(session.Stack.Single().Type, Is.EqualTo(SlotType.Array));
    }

    [Test]
    public void Should_Give_What_A_Plain_Run_Gives_However_It_Is_Stepped()
    {
        var module = Programs.Compile(Programs.Tour, "tour.wl");
        var plain = new HostVm(module).Run();
        var sliced = new SteppingSession(module);
        while (!sliced.Finished) sliced.Run(977);
        var stepped = new SteppingSession(module);
        while (!stepped.Finished)
        {
            if (stepped.Steps % 3 == 0) stepped.StepOver();
            else stepped.Step();
        }

        foreach (var session in new[] { sliced, stepped })
        {
            var run = session.Outcome();
            Assert.That((run.Text, run.Result, run.Steps, run.Error), Is.EqualTo((plain.Text, plain.Result, plain.Steps, plain.Error)));
            Assert.That(session.Frames, Is.Empty, "the entry function returned");
        }
        Assert.That(plain.Result, Is.EqualTo(42));
    }

    [Test]
    public void Should_Stop_On_A_Run_Time_Error_At_The_Failing_Instruction_And_Restart()
    {
        var module = Programs.Compile("fn main() {\n    var z = 0;\n    print(1);\n    print(7 / z);\n    return 0;\n}\n");
        var session = new SteppingSession(module);
        session.RunToEnd();

        Assert.That(session.Error?.Kind, Is.EqualTo(RuntimeErrorKind.DivisionByZero));
        Assert.That((session.Offset, session.Line?.Line), Is.EqualTo((session.Error!.Offset, 4)));
        Assert.That(session.Instruction, Does.EndWith("div"));
        Assert.That(session.Stack.Select(v => v.Raw), Is.EqualTo(new[] { 7 }), "the divisor was popped, as the VM does");
        Assert.That(session.Outcome().Error, Is.EqualTo(new HostVm(module).Run().Error));
        session.Restart();
        Assert.That((session.Finished, session.Steps, session.Output, session.Offset), Is.EqualTo((false, 0L, "", 0)));
    }

    [Test]
    public void Should_Stop_At_The_Step_Limit_As_A_Plain_Run_Does()
    {
        var module = Programs.Compile("fn main() {\n    var i = 0;\n    while (1) { i = i + 1; }\n    return 0;\n}\n");
        var session = new SteppingSession(module, maxSteps: 1000);
        while (!session.Finished) session.Run(333);
        Assert.That(session.Outcome(), Is.EqualTo(new HostVm(module).Run(1000)).Using<Running.VmRun>((x, y) => x.Error == y.Error && x.Steps == y.Steps));
        Assert.That(session.Error!.Kind, Is.EqualTo(RuntimeErrorKind.StepLimit));
    }
}
