using VirtualizationWorkbench.Labs.Scripting;
using VirtualizationWorkbench.Machine;
using VirtualizationWorkbench.Machine.Assembler;
using VirtualizationWorkbench.Machine.Costs;
using VirtualizationWorkbench.Machine.Virtualization;

namespace VirtualizationWorkbench.Labs.Tests.Scripting;

/// <summary>The lab API through the new engine: modern JavaScript, the same names as before, optional arguments,
/// clear errors for wrong ones, and machine runs that the time limit can stop but otherwise leaves as they
/// were.</summary>
public class ScriptApiTests
{
    private static void Passes(string script)
    {
        // Time for lab.overheadRow's first run, which takes about a second.
        var result = ScriptLab.Check(script, ScriptLab.Small with { Time = TimeSpan.FromSeconds(30) }, besideGuests: true);
        Assert.That(result.Error, Is.Null);
        Assert.That(result.Checks.Where(c => !c.Passed).Select(c => c.Message), Is.Empty);
        Assert.That(result.Passed, Is.True);
    }

    [Test]
    public void Scripts_May_Use_Modern_JavaScript()
    {
        Passes("""
            const m = lab.machine().load("answer");
            const { reason, pc } = m.run(100);
            const twice = (x) => x * 2;
            class Box { #v; constructor(v) { this.#v = v; } get value() { return this.#v; } }
            const [first, ...rest] = [1, 2, 3];
            expect(`${reason} at ${typeof pc}`, "Halt at number", "destructuring and template strings");
            expect(twice(new Box(m.reg(1)).value), 84, "arrow functions and classes");
            expect(rest.length + first, 3, "rest elements");
            expect(m.events()?.at(-1) !== undefined, true, "optional chaining and Array.prototype.at");
            expect([3, 1, 2].toSorted().join(), "1,2,3", "ES2023 array methods");
            expect(Object.groupBy([1, 2, 3], x => x % 2 ? "odd" : "even").odd.length, 2, "Object.groupBy");
            expect(2n ** 64n > 0n, true, "BigInt");
            let total = 0;
            for (const [i, name] of ["a", "b"].entries()) total += i;
            expect(total, 1, "for-of and entries");
            solution("q", m.reg(1));
            """);
    }

    [Test]
    public void The_Api_Keeps_Its_Names_And_Optional_Arguments()
    {
        Passes("""
            const m = lab.machine();
            check(m.load("answer") === m, "load returns the machine, so calls chain");
            expect(m.runToHalt().reason, "Halt", "runToHalt with its default budget");
            expect(m.reg(1), 42, "reg");
            m.setReg(2, 7);
            expect(m.reg(2), 7, "setReg");
            expect(m.ring, 0, "ring is a property");
            check(m.flagsText.length > 0, "flagsText");
            check(m.counter("instructions") >= 2, "counter");
            expect(m.counter("traps.general-protection"), 0, "an unseen trap counter is 0");
            expect(lab.pageSize, 4096, "pageSize");
            expect(lab.seed, 1234, "seed");
            expect(lab.source("answer").trim(), "li r1, 42\nhlt", "source");
            expect(lab.hasWorkFile("ring3.s"), false, "hasWorkFile without a work folder");
            const two = lab.machine(32, 2).loadSource("hlt");
            expect(two.run(10).reason, "Halt", "machine(memory, cores) and loadSource");
            const vm = lab.monitor("trap-and-emulate", "2006").loadWith("guests/minikernel.s", "TRAP_FRIENDLY");
            expect(vm.name, "trap-and-emulate", "monitor(technique, costTable)");
            expect(vm.run(10000000).outcome, "Halted", "a monitored run");
            check(vm.console().includes("all tasks finished"), "the guest's console");
            check(vm.stat("reflected-events") > 0 && vm.counter("cycles") > 0, "stat and counter");
            const xen = lab.splitConsole();
            expect(xen.run(20000000).outcome, "Halted", "the split system");
            expect(xen.guestDeviceAccesses, 0, "its properties");
            const row = lab.overheadRow("2006", "syscall");
            check(row.paravirtualization > row.native, "overheadRow");
            expect(String(m.run(1)), String(m.run(1)), "an exit has a text");
            solution("q", 42);
            """);
    }

    [TestCase("m.run('100')", "m.run(budget): budget must be a number, not the string '100'")]
    [TestCase("m.run()", "m.run(budget): budget must be a number, not undefined (is it missing?)")]
    [TestCase("m.reg(1.5e10)", "m.reg(n): n must be a whole number")]
    [TestCase("m.reg(16)", "reg(16): registers are 0 to 15")]
    [TestCase("m.load(42)", "m.load(name): name must be a string, not 42")]
    [TestCase("m.symbol('nowhere')", "symbol('nowhere'): the loaded program has no such label")]
    [TestCase("lab.source('nope')", "source('nope'): the lab has no asm block named 'nope'")]
    [TestCase("lab.monitor('magic')", "monitor('magic'): the techniques are trap-and-emulate")]
    [TestCase("lab.machine(1024)", "machine(memory): memory is 1 to 256 MiB, not 1024")]
    [TestCase("lab.partitions(128, 2)", "partitions(memory, cores): memory is 1 to 64 MiB, not 128")]
    [TestCase("lab.partitions(2, 2).activate('a', 64, 1, 'answer')", "profile 'a': desired 64 memory blocks (4096 KiB), but the machine has 31 for partitions")]
    [TestCase("lab.migrate('idle', 'pre-copy', 0)", "migration link: the bandwidth must be more than 0")]
    [TestCase("lab.poolShares(1, [['a', 0.05, 1, false, 128, 1]])", "shared partition 'a': an entitlement is at least 0.10")]
    [TestCase("lab.dispatchShares(2, [['a', 0.5, 1, true, 128]])", "lab.dispatchShares(units, partitions, windows): partition 0 must be [name, entitlement, virtualProcessors, capped, weight, idle]")]
    [TestCase("lab.dispatchShares(1, [['a', 0.6, 1, true, 128, false], ['b', 0.5, 1, true, 128, false]])", "1.10 units, more than the pool's 1.00")]
    [TestCase("lab.dispatchShares(1, [['a', 0.5, 1, true, 128, false]], 11)", "windows are 1 to 10")]
    [TestCase("lab.memoryShares(2, [['a', 128]])", "lab.memoryShares(poolBlocks, partitions, instructions): partition 0 must be [name, weight, loanPolicy]")]
    [TestCase("lab.memoryShares(2, [['a', 128, 'all']])", "loan policy 'all': the policies are none, free, cache")]
    [TestCase("lab.memoryExpansion('jpeg', 40)", "lab.memoryExpansion(data, workingPages, instructions): data 'jpeg' is not one of zeros, text, random")]
    [TestCase("lab.memoryExpansion('1', 40)", "data '1' is not one of zeros, text, random")]
    [TestCase("lab.memoryExpansion('text', 200)", "200 working pages do not fit in the 112 pages above the guest's first block")]
    [TestCase("lab.partitions(1, 2).activateShared('a', 8, 'answer')", "profile 'a': shared memory mode needs the machine's shared memory pool; create it first")]
    [TestCase("lab.partitions(1, 2).paging('nobody')", "no partition named 'nobody'")]
    [TestCase("solution('other', 1)", "solution('other', …): this step has no question 'other'")]
    [TestCase("m.loadSource('halt')", "script.s does not assemble:\nscript.s:1:1: error: unknown instruction 'halt'")]
    [TestCase("m.feed('x'.repeat(2e6))", "feed(text): at most 1024 KiB at a time")]
    [TestCase("m.loadSource(';'.repeat(2e6))", "loadSource(text): a program is at most 1024 KiB of text")]
    public void A_Wrong_Call_Names_Itself_And_Its_Line(string call, string expected)
    {
        var script = $"const m = lab.machine().load('answer');\n{call};\ncheck(true, 'unreachable');";
        var (error, _) = ScriptLab.Failure(script);
        Assert.That(error, Does.StartWith($"test/lab.md:{ScriptLab.Line(script, 2)}: script error: ").And.Contain(expected));
    }

    [Test]
    public void A_Javascript_Error_Names_Its_Line_And_Points_At_The_Api()
    {
        var script = "const m = lab.machine();\n\nm.runn(5);";
        var (error, _) = ScriptLab.Failure(script);
        Assert.That(error, Does.StartWith($"test/lab.md:{ScriptLab.Line(script, 3)}:").And.Contain("runn").And.Contain("curriculum/authoring.md"));
        var syntax = ScriptLab.Failure("const ok = 1;\nconst broken = (;").Error;
        Assert.That(syntax, Does.StartWith($"test/lab.md:{ScriptLab.Line("x", 2)}: script error: Unexpected token ';'").And.Not.Contain("lab.md:2:"));
    }

    [Test]
    public void Values_Reach_The_Checker_As_Plain_Values()
    {
        var result = ScriptLab.Check("""
            expect([1, [2, "b"]], [1, [2, "b"]], "arrays compare by their elements");
            expect(5, "5", "a number and its text are the same answer");
            expect(undefined, null, "undefined and null are nothing");
            expect({ a: 1 }, 2, "an object");
            expect(new Proxy([1], {}), 1, "a proxy of an array");
            solution("q", [4, 2]);
            """);
        Assert.That(result.Checks.Select(c => c.Message), Is.EqualTo(new[]
        {
            "arrays compare by their elements", "a number and its text are the same answer", "undefined and null are nothing",
            "an object: expected 2, got [object Object]", "a proxy of an array", "question 'q': '42' is not right — What is the answer?",
        }));
    }

    [TestCase("trap-and-emulate", "TRAP_FRIENDLY", 10_000_000)]
    [TestCase("trap-and-emulate", "", 3_000_000)]
    [TestCase("binary-translation", "", 10_000_000)]
    [TestCase("paravirtualization", "PARAVIRT", 10_000_000)]
    [TestCase("paravirtualization-ring3", "PARAVIRT", 10_000_000)]
    [TestCase("hardware-assisted", "", 10_000_000)]
    [TestCase("hardware-shadow", "", 10_000_000)]
    public void A_Monitor_Run_Through_The_Api_Is_What_A_Plain_Run_Gives(string technique, string defines, long budget)
    {
        // The time limit stands ready to stop a script's monitor run; a run it does not stop must be exactly a
        // plain run, every counter and statistic included.
        var kernel = Path.Combine(ScriptLab.LabsFolder, "guests", "minikernel.s");
        var program = Assembler.AssembleText(File.ReadAllText(kernel), kernel, new AssemblerOptions { Defines = defines.Split(',', StringSplitOptions.RemoveEmptyEntries) });
        var whole = MonitorCatalog.Create(technique, CostTable.Default)!;
        whole.Load(program);
        var expected = whole.Run(budget);

        var lab = ScriptLab.Parse("check(true, 'unused');", besideGuests: true);
        var account = new ScriptBudget(ScriptLab.Small with { Time = TimeSpan.FromMinutes(1) });
        var api = new LabApi(lab, new StudentWork(1, new Dictionary<string, string>(), null), account);
        account.Begin(CancellationToken.None);
        try
        {
            var sliced = api.Monitor(technique).Load("guests/minikernel.s", defines);
            var run = sliced.Run(budget);
            Assert.That((run.Outcome, run.Message), Is.EqualTo((expected.Outcome.ToString(), expected.Message)));
            Assert.That(sliced.Console(), Is.EqualTo(whole.ConsoleOutput));
            Assert.Multiple(() =>
            {
                foreach (var (name, value) in whole.Core.Counters.Describe()) Assert.That(sliced.Counter(name), Is.EqualTo(value), name);
                foreach (var (name, value) in whole.Statistics.Describe()) Assert.That(sliced.Stat(name), Is.EqualTo(value), name);
            });
        }
        finally
        {
            account.End();
        }
    }

    [Test]
    public void A_Machine_Run_Nobody_Stops_Is_A_Plain_Run()
    {
        // The time limit stops runs through the machine's own stop flag, not by cutting them into slices: an
        // unstopped run makes exactly one budget exit.
        Passes("""
            const m = lab.machine().load("loop");
            expect(m.run(1000000).reason, "BudgetSpent", "the budget ends the run");
            expect(m.counter("exits.BudgetSpent"), 1, "one budget exit, as a plain run makes");
            expect(m.counter("instructions"), 1000000, "every instruction of the budget ran");
            solution("q", 42);
            """);
    }
}
