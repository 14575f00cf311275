using System.Text.Json;

namespace VirtualizationWorkbench.Workbench.Tests;

/// <summary>asm, disasm, run and bench, run as a user types them.</summary>
[Category(TestCategories.EndToEnd)]
public class MachineCommandTests
{
    private string folder = "";

    [SetUp]
    public void CreateFolder()
    {
        folder = Path.Combine(Path.GetTempPath(), "wb-cli-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
    }

    [TearDown]
    public void DeleteFolder() => Directory.Delete(folder, recursive: true);

    private string Write(string name, string text)
    {
        var path = Path.Combine(folder, name);
        File.WriteAllText(path, text);
        return path;
    }

    private static string Minikernel => Path.Combine(WorkbenchProcess.RepositoryRoot, "labs", "guests", "minikernel.s");

    [Test]
    public void Run_Boots_The_Minikernel_And_Prints_Its_Console_And_Counters()
    {
        var result = WorkbenchProcess.Run(folder, "run", Minikernel, "--stats");
        Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
        Assert.That(result.Output, Does.StartWith("minikernel: booting in ring 0\n"));
        Assert.That(result.Output, Does.Contain("task 2: step 3\n").And.Contain("minikernel: all tasks finished\n"));
        Assert.That(result.Output, Does.Match(@"traps\.int-0x80\s+\d+"));
        Assert.That(result.Output, Does.Match(@"instructions\s+[\d,]+"));
    }

    [Test]
    public void Run_With_Trace_Shows_Traps_And_Interrupts_On_Standard_Error()
    {
        var result = WorkbenchProcess.Run(folder, "run", Minikernel, "--trace");
        Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
        Assert.That(result.Errors, Does.Contain("Exception").And.Contain("int-0x80"));
        Assert.That(result.Errors, Does.Contain("Interrupt").And.Contain("irq0"));
    }

    [Test]
    public void Asm_Writes_A_Program_That_Disasm_And_Run_Read_Back()
    {
        var source = Write("hello.s", "start:\n    li r1, 'A'\n    out 0x3F8, r1\n    hlt\n");
        var asm = WorkbenchProcess.Run(folder, "asm", source, "--listing");
        Assert.That(asm.ExitCode, Is.EqualTo(0), asm.ToString());
        Assert.That(asm.Output, Does.Contain("00001000  21100000 00000041      li r1, 'A'"));
        var binary = Path.Combine(folder, "hello.bin");
        Assert.That(File.Exists(binary));
        var disasm = WorkbenchProcess.Run(folder, "disasm", binary);
        Assert.That(disasm.Output, Does.Contain("start:").And.Contain("out 0x3f8, r1").And.Contain("hlt"));
        var run = WorkbenchProcess.Run(folder, "run", binary);
        Assert.That((run.ExitCode, run.Output), Is.EqualTo((0, "A")));
    }

    [Test]
    public void Asm_Reports_Every_Error_And_Writes_Nothing()
    {
        var source = Write("bad.s", "start:\n    mvo r1, r2\n    add r1, r2\n    jmp nowhere\n");
        var result = WorkbenchProcess.Run(folder, "asm", source);
        Assert.That(result.ExitCode, Is.EqualTo(1));
        Assert.That(result.Errors, Does.Contain("bad.s:2:5: error: unknown instruction 'mvo' (did you mean 'mov'?)"));
        Assert.That(result.Errors, Does.Contain("bad.s:3:5: error:").And.Contain("bad.s:4:9: error: undefined symbol 'nowhere'"));
        Assert.That(result.Errors, Does.Contain("3 errors; nothing was written"));
        Assert.That(result.Errors, Does.Not.Contain("   at "), "no stack trace");
        Assert.That(Directory.GetFiles(folder), Has.Length.EqualTo(1), "no .bin, no temporary file");
    }

    [Test]
    public void Bad_Files_And_Options_Get_Clear_Errors()
    {
        var random = Path.Combine(folder, "random.bin");
        File.WriteAllBytes(random, [.. Enumerable.Range(0, 100).Select(i => (byte)(i * 37))]);
        var cases = new (string[] Arguments, string Expected)[]
        {
            (["run", random], "not a VW32 program"),
            (["run", Path.Combine(folder, "missing.s")], "no such file"),
            (["run", Minikernel, "--memory", "3K"], "--memory must be a multiple of 4K"),
            (["run", Minikernel, "--memory", "lots"], "'lots' is not a size"),
            (["run", Minikernel, "--cores", "99"], "--cores must be between 1 and 16"),
            (["bench", "--workload", "nope"], "no workload named 'nope'"),
            (["bench", "--runs", "0"], "--runs must be between 1 and 101"),
            (["run", Minikernel, "--engine", "jit"], "no engine 'jit'; choose interpreter or translator"),
        };
        foreach (var (arguments, expected) in cases)
        {
            var result = WorkbenchProcess.Run(folder, arguments);
            Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString());
            Assert.That(result.Errors, Does.Contain(expected));
            Assert.That(result.Errors, Does.Not.Contain("   at "), "no stack trace");
        }
    }

    [Test]
    public void The_Translator_Gives_The_Interpreters_Output_And_Counters()
    {
        var interpreted = WorkbenchProcess.Run(folder, "run", Minikernel, "--stats", "--engine", "interpreter");
        var translated = WorkbenchProcess.Run(folder, "run", Minikernel, "--stats", "--engine", "translator");
        Assert.That(translated.ExitCode, Is.EqualTo(0), translated.ToString());
        var translatorLines = translated.Output.Split('\n').Where(l => !l.StartsWith("translator.", StringComparison.Ordinal)).ToArray();
        Assert.That(string.Join('\n', translatorLines), Is.EqualTo(interpreted.Output));
        Assert.That(translated.Output, Does.Contain("translator.blocks"));
    }

    [Test]
    public void A_Guest_That_Never_Halts_Stops_At_The_Step_Limit()
    {
        var source = Write("spin.s", "spin: jmp spin\n");
        var result = WorkbenchProcess.Run(folder, "run", source, "--max-steps", "10000");
        Assert.That(result.ExitCode, Is.EqualTo(3));
        Assert.That(result.Errors, Does.Contain("did not halt within 10,000 instructions"));
    }

    [Test]
    public void A_Wild_Jump_Ends_With_The_Guest_Error_Not_A_Crash()
    {
        var source = Write("wild.s", "li r1, 0x7000000\njmpr r1\n");
        var result = WorkbenchProcess.Run(folder, "run", source);
        Assert.That(result.ExitCode, Is.EqualTo(1));
        Assert.That(result.Errors, Does.Contain("triple fault").And.Contain("general-protection at pc 0x07000000"));
    }

    [Test]
    public void Conditional_Assembly_From_The_Command_Line()
    {
        var result = WorkbenchProcess.Run(folder, "run", Minikernel, "-D", "FAULTY_TASK");
        Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
        Assert.That(result.Output, Does.Contain("task 2 killed by exception 13"));
    }

    [Test]
    public void Bench_Prints_Every_Workload_As_Json()
    {
        // At this scale every workload runs past the translator's warm-up (250,000 instructions; the shortest,
        // pagefault, runs 300,000), so that each translator figure includes translated code.
        var result = WorkbenchProcess.Run(folder, "bench", "--json", "--scale", "0.03");
        Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
        using var json = JsonDocument.Parse(result.Output);
        if (OperatingSystem.IsLinux()) Assert.That(json.RootElement.GetProperty("clock").GetString(), Is.EqualTo("thread CPU time"));
        var workloads = json.RootElement.GetProperty("workloads").EnumerateArray().ToList();
        Assert.That(workloads.Where(w => w.GetProperty("engine").GetString() == "translator").Select(w => w.GetProperty("speedupOverInterpreter").GetDouble()), Has.All.GreaterThan(0));
        var names = new[] { "integer", "memcopy", "calls", "syscall", "pagefault" };
        Assert.That(workloads.Select(w => w.GetProperty("name").GetString()), Is.EqualTo(names.SelectMany(n => new[] { n, n })));
        Assert.That(workloads.Select(w => w.GetProperty("engine").GetString()), Is.EqualTo(names.SelectMany(_ => new[] { "interpreter", "translator" })));
        Assert.That(workloads.Where(w => w.GetProperty("engine").GetString() == "translator").Select(w => w.GetProperty("blocksTranslated").GetInt64()), Has.All.GreaterThan(0));
        foreach (var w in workloads)
        {
            Assert.That(w.GetProperty("guestMips").GetDouble(), Is.GreaterThan(0));
            Assert.That(w.GetProperty("nativeRatio").GetDouble(), Is.GreaterThan(0));
            Assert.That(w.GetProperty("allocatedBytesPerInstruction").GetDouble(), Is.GreaterThanOrEqualTo(0));
        }
    }

    [Test]
    public void Vm_Run_Shows_A_Guest_Under_Each_Monitor()
    {
        var te = WorkbenchProcess.Run(folder, "vm", "run", Minikernel, "-m", "trap-and-emulate", "--max-steps", "2000000");
        Assert.That(te.ExitCode, Is.EqualTo(3), te.ToString());
        Assert.That(te.Output, Does.StartWith("minikernel: booting in ring 1\n"));
        var bt = WorkbenchProcess.Run(folder, "vm", "run", Minikernel, "-m", "binary-translation", "--stats");
        Assert.That(bt.ExitCode, Is.EqualTo(0), bt.ToString());
        Assert.That(bt.Output, Does.Contain("all tasks finished").And.Match(@"callouts\s+[\d,]+").And.Contain("monitor: binary-translation"));
        var pv = WorkbenchProcess.Run(folder, "vm", "run", Minikernel, "-m", "split-console", "-D", "PARAVIRT", "-D", "SPLIT_CONSOLE", "--stats", "--labs", Path.Combine(WorkbenchProcess.RepositoryRoot, "labs"));
        Assert.That(pv.ExitCode, Is.EqualTo(0), pv.ToString());
        Assert.That(pv.Output, Does.Contain("all tasks finished").And.Contain("split drivers:").And.Contain("Dom0:"));
        var bad = WorkbenchProcess.Run(folder, "vm", "run", Minikernel, "-m", "nope");
        Assert.That((bad.ExitCode, bad.Errors.Contains("no technique 'nope'")), Is.EqualTo((2, true)), bad.ToString());
        var unmodified = WorkbenchProcess.Run(folder, "vm", "run", Minikernel, "-m", "paravirtualization");
        Assert.That(unmodified.ExitCode, Is.EqualTo(1));
        Assert.That(unmodified.Errors, Does.Contain("emulates no privileged instructions"));
    }
}
