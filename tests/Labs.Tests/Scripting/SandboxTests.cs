namespace VirtualizationWorkbench.Labs.Tests.Scripting;

/// <summary>
/// A lab from someone else's course must not reach .NET or the host through its scripts: every way in that
/// Jint 2 left open (the CLR globals, reflection through the objects scripts are given, code compiled from
/// text) ends in a clear <c>lab.md:LINE</c> error, and nothing is written or started on the host.
/// </summary>
public class SandboxTests
{
    private string marker = "";

    [SetUp]
    public void PickMarker() => marker = Path.Combine(Path.GetTempPath(), $"workbench-escape-{Guid.NewGuid():N}");

    [TearDown]
    public void NothingWasWritten()
    {
        Assert.That(File.Exists(marker), Is.False, "a script wrote on the host");
        File.Delete(marker);
    }

    // Each attempt is the script's second line, so the error must name that line.
    [TestCase("System.IO.File.WriteAllText(MARKER, 'x');", "'System'")]
    [TestCase("System.Diagnostics.Process.Start('touch', MARKER);", "'System'")]
    [TestCase("importNamespace('System.IO').File.WriteAllText(MARKER, 'x');", "'importNamespace'")]
    [TestCase("clrHelper.unwrap(lab).GetType();", "'clrHelper'")]
    [TestCase("require('fs').writeFileSync(MARKER, 'x');", "'require'")]
    [TestCase("lab.GetType().Assembly.GetType('System.IO.File').GetMethod('WriteAllText');", "'GetType'")]
    [TestCase("lab.machine().GetType().Assembly.Load('System.Diagnostics.Process');", "'GetType'")]
    [TestCase("check.GetType().Assembly;", "'GetType'")]
    [TestCase("lab.monitor('binary-translation').GetType();", "'GetType'")]
    [TestCase("lab.machine().load('answer').run(10).GetType();", "'GetType'")]
    [TestCase("lab.constructor.constructor('return this')().System.IO.File.WriteAllText(MARKER, 'x');", "compile code from text")]
    [TestCase("Object.getPrototypeOf(lab).constructor.constructor('return process')();", "compile code from text")]
    [TestCase("check.constructor('return System')();", "compile code from text")]
    [TestCase("eval('System.IO.File.WriteAllText(MARKER, \"x\")');", "compile code from text")]
    [TestCase("new ShadowRealm().evaluate('1 + 1');", "compile code from text")]
    [TestCase("import('fs');", "may not import modules")]
    [TestCase("Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);", "Atomics.wait")]
    [TestCase("lab.workFile('../../../etc/passwd');", "without '..'")]
    [TestCase("lab.hasWorkFile('/etc/passwd');", "without '..'")]
    [TestCase("lab.machine().load('guests/../../../etc/passwd');", "one file of labs/guests")]
    [TestCase("lab.monitor('trap-and-emulate').load('/etc/passwd');", "without '..'")]
    [TestCase("lab.machine().loadSource('.include \"/etc/passwd\"');", "cannot find included file")]
    public void An_Escape_Is_A_Clear_Error_At_Its_Line(string attempt, string expected)
    {
        var script = $"const MARKER = '{marker}';\n{attempt}\ncheck(true, 'unreachable');";
        var (error, _) = ScriptLab.Failure(script);
        Assert.That(error, Does.StartWith($"test/lab.md:{ScriptLab.Line(script, 2)}: script error:").And.Contain(expected));
    }

    [Test]
    public void The_Api_Objects_Are_Plain_JavaScript_With_Only_The_Documented_Members()
    {
        var result = ScriptLab.Check("""
            const m = lab.machine().load("answer");
            const vm = lab.monitor("hardware-assisted");
            const exit = m.run(10);
            for (const o of [lab, m, vm, exit, lab.splitConsole(), lab.overheadRow("2006", "in"), lab.storage()]) {
              check(Object.getPrototypeOf(o) === Object.prototype, "the prototype is Object.prototype");
              check(!Object.isExtensible(o), "nothing can be added");
              for (const name of ["GetType", "constructor.Assembly", "ToString", "Equals", "__clr__"]) {
                check(typeof o[name] === "undefined", `no ${name}`);
              }
            }
            expect(Object.keys(lab).join(" "), "machine monitor splitConsole storage containers overheadRow network partitions migrate poolShares dispatchShares memoryShares memoryExpansion rv32 bytecode source workFile hasWorkFile param seed pageSize", "lab's members");
            expect(Object.keys(m).join(" "), "load loadSource run runToHalt reg setReg pc ring flags flagsText interruptsEnabled cr read write symbol counter traps console feed events disassemble intercept", "a machine's members");
            expect(Object.keys(vm).join(" "), "name load loadWith run console counter stat virtualInterruptsEnabled", "a monitor's members");
            expect(Object.keys(exit).join(" "), "reason pc vector errorCode address message toString", "an exit's members");
            expect(String(m.run), "function run() { [native code] }", "a host function is a plain function");
            const globals = Object.getOwnPropertyNames(globalThis);
            for (const name of ["System", "importNamespace", "clrHelper", "require", "process", "console", "setTimeout", "fetch"]) {
              check(!globals.includes(name), `no global ${name}`);
            }
            m.pc = 7;
            check(m.pc !== 7, "the API cannot be overwritten");
            solution("q", m.reg(1));
            """, besideGuests: true);
        Assert.That(result.Error, Is.Null);
        Assert.That(result.Checks.Where(c => !c.Passed), Is.Empty);
        Assert.That(result.Passed, Is.True);
    }

    [Test]
    public void A_Script_Cannot_Catch_A_Refusal_Of_The_Lab_Api()
    {
        // Host refusals are not JavaScript errors: a script cannot swallow "step not done yet" and pass.
        var script = "try { lab.workFile('missing.s'); } catch (e) { }\ncheck(true, 'passed anyway');";
        var (error, _) = ScriptLab.Failure(script);
        Assert.That(error, Does.StartWith($"test/lab.md:{ScriptLab.Line(script, 1)}:").And.Contain("step not done yet"));
    }

    [Test]
    public void A_Work_File_That_Is_A_Link_Is_Not_Followed()
    {
        var work = Directory.CreateTempSubdirectory().FullName;
        var outside = Path.GetTempFileName();
        try
        {
            File.CreateSymbolicLink(Path.Combine(work, "ring3.s"), outside);
            var (error, _) = ScriptLab.Failure("lab.workFile('ring3.s');", work: work);
            Assert.That(error, Does.Contain("do not follow symbolic links"));
        }
        finally
        {
            Directory.Delete(work, true);
            File.Delete(outside);
        }
    }
}
