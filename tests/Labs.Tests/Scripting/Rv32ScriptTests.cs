using VirtualizationWorkbench.Labs.Scripting;

namespace VirtualizationWorkbench.Labs.Tests.Scripting;

/// <summary>lab.rv32(): compiled RISC-V programs (the shared prebuilt guests, or an ELF file of the work folder)
/// run by the emulator's three engines in user and system mode, bounded by the block's limits, with a clear error
/// for every wrong argument.</summary>
public class Rv32ScriptTests
{
    private const string Prebuilt = "guests/rv32/prebuilt/";

    private static StepResult Check(string script, ScriptLimits? limits = null, string? work = null) =>
        ScriptLab.Check(script, limits ?? ScriptLab.Roomy, work: work, besideGuests: true);

    private static void Passes(string script, string? work = null)
    {
        var result = Check(script, work: work);
        Assert.That(result.Error, Is.Null);
        Assert.That(result.Checks.Where(c => !c.Passed).Select(c => c.Message), Is.Empty);
        Assert.That(result.Passed, Is.True);
    }

    [Test]
    public void A_Program_Runs_Alike_On_Every_Engine_With_Its_Arguments_And_Input()
    {
        Passes($$"""
            const upper = lab.rv32("{{Prebuilt}}upper.elf");
            const runs = ["interpreter", "translator", "javascript"].map(e => upper.run(e, "", "two words\n"));
            for (const run of runs) {
              expect(run.outcome, "Exited", "it exits");
              expect(run.exitCode, 0, "with 0");
              expect(run.output, "TWO WORDS\n1 lines, 2 words, 10 bytes\n", "stdin reached read() and stdout came back");
              expect(run.instructions, runs[0].instructions, "the same instructions on every engine");
              expect(run.cycles, runs[0].cycles, "and cycles");
            }
            check(runs[1].blocksTranslated > 0 && runs[0].blocksTranslated === 0 && runs[2].blocksTranslated === 0, "only the translator translates");
            check(runs[0].systemCalls >= 3, "read, write and exit are system calls");
            const collatz = lab.rv32("{{Prebuilt}}collatz.elf").run("translator", "27");
            expect(collatz.output, "111 steps, highest 9232\n", "arguments reach argv");
            expect(collatz.exitCode, 111, "and the exit code comes back");
            check(lab.rv32("{{Prebuilt}}hello.elf").disassemble(lab.rv32("{{Prebuilt}}hello.elf").entry).length > 0, "the entry's instruction disassembles");
            solution("q", 42);
            """);
    }

    [Test]
    public void A_Bare_Metal_Image_Runs_On_The_Workbench_Bus_And_Reports_Its_Verdict()
    {
        Passes($$"""
            const image = lab.rv32("{{Prebuilt}}console.elf").system("translator");
            expect(image.outcome, "Passed", "tohost = 1");
            check(image.console.startsWith("RV32IM on the workbench's bus"), "the serial console");
            check(image.instructions > 10000, "it computed");
            const stopped = lab.rv32("{{Prebuilt}}console.elf").system("interpreter", 1000);
            expect(stopped.outcome, "StepLimit", "no verdict within 1000 instructions");
            expect(stopped.instructions, 1000, "exactly the budget");
            solution("q", 42);
            """);
    }

    [Test]
    public void A_Step_Limit_Ends_A_Run_At_Exactly_Its_Budget()
    {
        Passes($$"""
            const loop = lab.rv32("{{Prebuilt}}loop.elf").run("interpreter", "100000000", "", 50000);
            expect(loop.outcome, "StepLimit", "the budget ends it");
            expect(loop.instructions, 50000, "at exactly the budget");
            check(loop.message.includes("50,000"), loop.message);
            solution("q", 42);
            """);
    }

    [Test]
    public void A_Program_That_Runs_Too_Long_Is_Stopped_By_The_Time_Limit()
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var result = Check($$"""lab.rv32("{{Prebuilt}}loop.elf").run("javascript", "100000000", "", 1e9);""", ScriptLab.Small);
        Assert.That(result.Error, Does.Contain("ran longer than 1 second (stopped in p.run())"));
        Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(30)), "a hang catcher, not a speed test");
    }

    [Test]
    public void A_Work_File_Elf_Runs_And_A_Missing_One_Says_The_Step_Is_Not_Done()
    {
        var work = Directory.CreateTempSubdirectory("rv32-work").FullName;
        try
        {
            Assert.That(Check("""lab.rv32("mine.elf");""", work: work).Error, Does.Contain("step not done yet").And.Contain("mine.elf"));
            File.Copy(Path.Combine(ScriptLab.LabsFolder, "guests", "rv32", "prebuilt", "hello.elf"), Path.Combine(work, "mine.elf"));
            Passes("""
                check(lab.rv32("mine.elf").run("interpreter").output.startsWith("hello from RV32IM"), "the work file runs");
                solution("q", 42);
                """, work);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    [TestCase("""lab.rv32("guests/minikernel.s")""", "rv32('guests/minikernel.s'): ")]
    [TestCase("""lab.rv32("guests/../lab.md")""", "below labs/guests, without '..'")]
    [TestCase("""lab.rv32("guests/rv32/prebuilt/none.elf")""", "does not exist")]
    [TestCase("""lab.rv32("guests/rv32/prebuilt/hello.elf").run("bochs")""", "the engines are \"interpreter\", \"translator\" and \"javascript\", not 'bochs'")]
    [TestCase("""lab.rv32("guests/rv32/prebuilt/hello.elf").run("interpreter", "", "", 0)""", "1 to 10^9 instructions, not 0")]
    [TestCase("""lab.rv32("guests/rv32/prebuilt/hello.elf").run("interpreter", 5)""", "args must be a string, not 5")]
    [TestCase("""lab.rv32("guests/rv32/prebuilt/hello.elf").system("interpreter")""", "outside RAM")]
    public void Wrong_Arguments_And_Files_Are_Clear_Errors(string call, string message)
    {
        var result = Check(call + ";");
        Assert.That(result.Passed, Is.False);
        Assert.That(result.Error, Does.Contain(message));
    }
}
