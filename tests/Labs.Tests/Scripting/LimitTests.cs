using System.Diagnostics;
using VirtualizationWorkbench.Labs.Scripting;

namespace VirtualizationWorkbench.Labs.Tests.Scripting;

/// <summary>
/// Every resource a script can spend is bounded, in JavaScript, in built-ins and in host calls alike, and each
/// limit ends in a <c>lab.md:LINE</c> error that says what to do. The checks run with
/// <see cref="ScriptLab.Small"/> (one second, 64 MB) where the time limit is the point, else <see cref="ScriptLab.Roomy"/>
/// (a minute, so a loaded machine cannot turn another limit into the time limit); how long each took is in
/// the test output.
/// </summary>
public class LimitTests
{
    // What "within the limit" allows on top of the limit itself: the deadline is looked at every 1,024
    // statements and a machine honours a stop within 65,536 instructions. A hang catcher, not a speed test: a
    // loaded machine is slow, and what it catches took 99 s (a machine-run loop) or never ended before.
    private static readonly TimeSpan Slack = TimeSpan.FromSeconds(30);

    [Test]
    public void The_Defaults_Are_The_Documented_Ones()
    {
        var limits = ScriptLimits.Default;
        Assert.That((limits.MaxStatements, limits.Time, limits.MemoryBytes, limits.RecursionDepth),
            Is.EqualTo((2_000_000, TimeSpan.FromSeconds(20), 256L * 1024 * 1024, 256)));
        Assert.That((limits.RegexTime, limits.MachineMemoryBytes, limits.MaxMachines),
            Is.EqualTo((TimeSpan.FromSeconds(1), 1024L * 1024 * 1024, 64)));
    }

    [Test]
    public void Endless_Statements_Stop_At_The_Statement_Limit()
    {
        var script = "let n = 0;\nwhile (true) {\n  n++;\n}";
        var (error, _) = ScriptLab.Failure(script, ScriptLab.Roomy);
        Assert.That(error, Does.StartWith($"test/lab.md:{ScriptLab.Line(script, 3)}:").And.Contain("more than 500,000 statements; does it loop forever?"));
    }

    [Test]
    public void An_Endless_Machine_Run_Loop_Stops_At_The_Time_Limit()
    {
        // Each run would take minutes; the machine is stopped from outside when the block's second is up.
        var script = "const m = lab.machine().load('loop');\nwhile (true) m.run(1e10);";
        var (error, elapsed) = ScriptLab.Failure(script, ScriptLab.Small);
        Assert.That(error, Does.StartWith($"test/lab.md:{ScriptLab.Line(script, 2)}:").And.Contain("ran longer than 1 second (stopped in m.run())"));
        Assert.That(elapsed, Is.LessThan(ScriptLab.Small.Time + Slack));
    }

    [Test]
    public void A_Single_Long_Run_Is_Stopped_Too()
    {
        var (error, elapsed) = ScriptLab.Failure("lab.machine().load('loop').run(1e10);", ScriptLab.Small);
        Assert.That(error, Does.Contain("ran longer than 1 second"));
        Assert.That(elapsed, Is.LessThan(ScriptLab.Small.Time + Slack));
    }

    [Test]
    public void Run_To_Halt_Shares_Its_Budget_Between_Breakpoints()
    {
        // A guest that loops over brk: each breakpoint used to restart the budget, so this never returned.
        var result = ScriptLab.Check("""
            const m = lab.machine().load("brkloop");
            const exit = m.runToHalt(5000);
            expect(m.counter("instructions"), 5000, "the budget covers every run between breakpoints");
            expect(exit.reason, "BudgetSpent", "it ends when the budget is spent");
            solution("q", 42);
            """);
        Assert.That(result.Error, Is.Null);
        Assert.That(result.Passed, Is.True, string.Join("; ", result.Checks.Select(c => c.Message)));
    }

    [Test]
    public void Run_To_Halt_On_A_Looping_Guest_Stops_At_The_Time_Limit()
    {
        var script = "const m = lab.machine().load('brkloop');\nm.runToHalt(1e10);";
        var (error, elapsed) = ScriptLab.Failure(script, ScriptLab.Small);
        Assert.That(error, Does.StartWith($"test/lab.md:{ScriptLab.Line(script, 2)}:").And.Contain("ran longer than 1 second (stopped in m.runToHalt())"));
        Assert.That(elapsed, Is.LessThan(ScriptLab.Small.Time + Slack));
    }

    [TestCase("m.runToHalt(1e12)")]
    [TestCase("m.run(1e12)")]
    [TestCase("m.run(-1)")]
    [TestCase("m.run(NaN)")]
    public void A_Budget_Out_Of_Range_Is_Refused(string call)
    {
        var script = $"const m = lab.machine().load('loop');\n{call};";
        var (error, _) = ScriptLab.Failure(script, ScriptLab.Roomy);
        Assert.That(error, Does.StartWith($"test/lab.md:{ScriptLab.Line(script, 2)}:").And.Contain("budget must be 1 to 10^10 instructions"));
    }

    [TestCase("trap-and-emulate")]
    [TestCase("binary-translation")]
    [TestCase("hardware-assisted")]
    public void An_Endless_Monitor_Run_Loop_Stops_At_The_Time_Limit(string technique)
    {
        var script = $"const vm = lab.monitor('{technique}').load('loop');\nwhile (true) vm.run(1e9);";
        var (error, elapsed) = ScriptLab.Failure(script, ScriptLab.Small);
        Assert.That(error, Does.StartWith($"test/lab.md:{ScriptLab.Line(script, 2)}:").And.Contain("ran longer than 1 second (stopped in vm.run())"));
        Assert.That(elapsed, Is.LessThan(ScriptLab.Small.Time + Slack));
    }

    [Test]
    public void A_Catastrophic_Regular_Expression_Is_Given_Up()
    {
        var script = "const s = 'a'.repeat(40) + '!';\nconst matched = /^(a+)+$/.test(s);";
        var (error, elapsed) = ScriptLab.Failure(script, ScriptLab.Roomy);
        Assert.That(error, Does.StartWith($"test/lab.md:{ScriptLab.Line(script, 2)}:").And.Contain("regular expression took longer than 0.2 seconds"));
        Assert.That(elapsed, Is.LessThan(ScriptLab.Small.Time + Slack));
    }

    [Test]
    public void Repeated_Catastrophic_Expressions_Stop_At_The_Time_Limit()
    {
        // Each match alone stays under the regex timeout; together they use up the block's time.
        var script = "while (true) {\n  /^(a+)+$/.test('a'.repeat(20) + '!');\n}";
        var (error, elapsed) = ScriptLab.Failure(script, ScriptLab.Small with { RegexTime = TimeSpan.FromSeconds(10) });
        Assert.That(error, Does.Contain("ran longer than 1 second; does it loop forever?"));
        Assert.That(elapsed, Is.LessThan(ScriptLab.Small.Time + Slack));
    }

    [Test]
    public void Big_Joins_Over_And_Over_Are_Stopped()
    {
        var script = "let s = '';\nfor (let i = 0; i < 1000; i++) s = new Array(1e7).join('x');";
        var (error, elapsed) = ScriptLab.Failure(script, ScriptLab.Small);
        Assert.That(error, Does.StartWith($"test/lab.md:{ScriptLab.Line(script, 2)}:").And.Contain("ran longer than 1 second").Or.Contain("allocated more than 64 MB"));
        Assert.That(elapsed, Is.LessThan(ScriptLab.Small.Time + Slack));
    }

    [Test]
    public void A_Memory_Hog_Stops_At_The_Memory_Limit()
    {
        var script = "const kept = [];\nwhile (true) {\n  kept.push('x'.repeat(1e6) + kept.length);\n}";
        var (error, elapsed) = ScriptLab.Failure(script, ScriptLab.Roomy);
        Assert.That(error, Does.StartWith($"test/lab.md:{ScriptLab.Line(script, 3)}:").And.Contain("allocated more than 64 MB; does it build ever larger strings or arrays?"));
        Assert.That(elapsed, Is.LessThan(ScriptLab.Small.Time + Slack));
    }

    [Test]
    public void A_String_Doubled_Without_End_Stops_At_The_Memory_Limit()
    {
        var (error, _) = ScriptLab.Failure("let s = 'x';\nwhile (true) s += s;", ScriptLab.Roomy);
        Assert.That(error, Does.Contain("allocated more than 64 MB").Or.Contain("Invalid string length"));
    }

    [Test]
    public void An_Array_Too_Long_Is_Refused()
    {
        // Jint gives no line for this one, so the error names the block's first line.
        var script = "const small = new Array(1000).fill(1);\nconst big = new Array(2000000).fill(1);";
        var (error, _) = ScriptLab.Failure(script, ScriptLab.Roomy with { MaxArrayLength = 1_000_000 });
        Assert.That(error, Does.StartWith($"test/lab.md:{ScriptLab.Line(script, 1)}:").And.Contain("array size 2000000 is larger than maximum allowed (1000000)"));
    }

    [Test]
    public void Machines_Hoarded_Without_End_Stop_At_The_Machine_Allowance()
    {
        var script = "const kept = [];\nwhile (true) kept.push(lab.machine(64));";
        var (error, _) = ScriptLab.Failure(script, ScriptLab.Roomy);
        Assert.That(error, Does.StartWith($"test/lab.md:{ScriptLab.Line(script, 2)}:")
            .And.Contain("a step's machines may have 256 MB of memory in all, and this one would bring them to 320 MB"));
        // Building a monitor takes a while (32 MB to clear, and its tables): more time than the other cases.
        var monitors = ScriptLab.Failure("const kept = [];\nwhile (true) kept.push(lab.monitor('binary-translation'));", ScriptLab.Small with { Time = TimeSpan.FromSeconds(30) }).Error;
        Assert.That(monitors, Does.Contain("a step's machines may have 256 MB"));
        var small = ScriptLab.Failure("while (true) lab.machine(1);", ScriptLab.Roomy).Error;
        Assert.That(small, Does.Contain("at most 16 machines, monitors and systems"));
    }

    [Test]
    public void Includes_Are_Bounded_In_All_Not_Only_Each()
    {
        // Each file is under the 1 MiB a script may read, but a program including one of them three times is not.
        var work = Directory.CreateTempSubdirectory().FullName;
        try
        {
            File.WriteAllText(Path.Combine(work, "big.s"), string.Concat(Enumerable.Repeat("; padding\n", 40_000)));
            File.WriteAllText(Path.Combine(work, "main.s"), ".include \"big.s\"\n.include \"big.s\"\n.include \"big.s\"\nhlt\n");
            var (error, _) = ScriptLab.Failure("lab.machine().load('main.s');", ScriptLab.Roomy, work: work);
            Assert.That(error, Does.Contain("a program may include at most 1024 KiB of files in all"));
        }
        finally
        {
            Directory.Delete(work, true);
        }
    }

    [Test]
    public void Endless_Recursion_Stops_At_The_Depth_Limit()
    {
        var (error, elapsed) = ScriptLab.Failure("function deeper(n) {\n  return deeper(n + 1) + 1;\n}\ndeeper(0);", ScriptLab.Roomy);
        Assert.That(error, Does.StartWith("test/lab.md:").And.Contain("called each other more than 256 deep (deeper").And.Contain("does a function call itself without end?"));
        Assert.That(elapsed, Is.LessThan(Slack));
    }

    [TestCase("(", "1", ")")]
    [TestCase("[", "", "]")]
    [TestCase("{a:", "1", "}")]
    [TestCase("-", "1", "")]
    [TestCase("() => ", "1", "")]
    public void Deep_Nesting_Is_A_Clear_Error_Not_A_Stack_Overflow(string open, string middle, string close)
    {
        // 100,000 levels, checked on a thread with a small stack: if the parser or the interpreter recursed
        // without looking at the stack, this would end the test process rather than fail.
        var script = "const deep = " + string.Concat(Enumerable.Repeat(open, 100_000)) + middle + string.Concat(Enumerable.Repeat(close, 100_000)) + ";";
        string? error = null;
        var thread = new Thread(() => error = ScriptLab.Check(script, ScriptLab.Roomy).Error, 256 * 1024);
        thread.Start();
        thread.Join();
        Assert.That(error, Does.StartWith($"test/lab.md:{ScriptLab.Line("x", 1)}:").And.Contain("nests too deeply"));
    }

    [Test]
    public void Deep_Nesting_Built_At_Run_Time_Is_A_Clear_Error()
    {
        // Nesting the parser never saw: built in a loop, then walked by String() and JSON.stringify.
        var (error, _) = ScriptLab.Failure("let a = [];\nfor (let i = 0; i < 100000; i++) a = [a];\nconst s = String(a);", ScriptLab.Roomy);
        Assert.That(error, Does.Contain("Maximum call stack size exceeded").Or.Contain("nests too deeply"));
    }

    [Test]
    public void A_Check_Can_Be_Cancelled_From_Outside()
    {
        // A generous time limit: what stops the script is the caller, as a UI's Esc would.
        var limits = ScriptLab.Small with { Time = TimeSpan.FromMinutes(5), MaxStatements = int.MaxValue };
        foreach (var script in new[] { "const m = lab.machine().load('loop');\nwhile (true) m.run(1e10);", "while (true) {}" })
        {
            using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
            var clock = Stopwatch.StartNew();
            Assert.That(() => ScriptLab.Check(script, limits, cancel.Token),
                Throws.InstanceOf<OperationCanceledException>().With.Property(nameof(OperationCanceledException.CancellationToken)).EqualTo(cancel.Token));
            TestContext.Out.WriteLine($"cancelled after {clock.ElapsedMilliseconds} ms");
            Assert.That(clock.Elapsed, Is.LessThan(Slack));
        }
    }

    [Test]
    public void A_Promise_Job_That_Never_Ends_Is_Stopped_Too()
    {
        var (error, _) = ScriptLab.Failure("Promise.resolve().then(() => { while (true) {} });\ncheck(true, 'queued');", ScriptLab.Roomy);
        Assert.That(error, Does.Contain("more than 500,000 statements"));
    }
}
