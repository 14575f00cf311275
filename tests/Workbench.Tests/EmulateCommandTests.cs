namespace VirtualizationWorkbench.Workbench.Tests;

/// <summary><c>workbench emulate</c> as a user runs it: a RISC-V program's output and exit code pass through,
/// system mode's verdict is the exit code, and a bad file is one clear line.</summary>
[Category(TestCategories.EndToEnd)]
public class EmulateCommandTests
{
    private static string Prebuilt(string name) => Path.Combine(WorkbenchProcess.RepositoryRoot, "labs", "guests", "rv32", "prebuilt", name);

    [Test]
    public void A_Linux_Program_Runs_With_Its_Arguments_Output_And_Exit_Code()
    {
        var result = WorkbenchProcess.Run(Path.GetTempPath(), "emulate", Prebuilt("hello.elf"), "--engine", "translator", "--stats", "--", "first", "second");
        Assert.That(result.ExitCode, Is.EqualTo(7), result.ToString());
        Assert.That(result.Output, Does.Contain("hello from RV32IM, 2 argument(s)").And.Contain("argv[2] = second").And.Contain("= 5050"));
        Assert.That(result.Errors, Does.Match(@"engine translator: [\d,]+ instructions, [\d,]+ cycles, [1-9][\d,]* blocks translated"));
    }

    [Test]
    public void System_Mode_Gives_The_Verdict_And_Bad_Files_Get_One_Line()
    {
        var pass = WorkbenchProcess.Run(Path.GetTempPath(), "emulate", "--system", Prebuilt("isa-muldiv.elf"));
        Assert.That((pass.ExitCode, pass.Errors.Trim()), Is.EqualTo((0, "emulate: pass")), pass.ToString());
        var bad = WorkbenchProcess.Run(Path.GetTempPath(), "emulate", Path.Combine(WorkbenchProcess.RepositoryRoot, "README.md"));
        Assert.That(bad.ExitCode, Is.EqualTo(2));
        Assert.That(bad.Errors.Trim(), Does.StartWith("error: ").And.Contain("README.md: not an ELF file").And.Not.Contain("   at "));
    }
}
