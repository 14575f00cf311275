namespace VirtualizationWorkbench.Workbench.Tests;

/// <summary><c>workbench bytecode run</c> as a user runs it: one file, the same output on the three platforms, and
/// a run-time error as the same one line with the same exit code.</summary>
[Category(TestCategories.EndToEnd)]
public class BytecodeCommandTests
{
    private static string Collatz => Path.Combine(WorkbenchProcess.RepositoryRoot, "labs", "04-application-virtualization", "starter", "collatz.wl");

    [Test]
    public void The_Rv32_Platform_Prints_What_The_Host_Prints()
    {
        var host = WorkbenchProcess.Run(Path.GetTempPath(), "bytecode", "run", Collatz, "--platform", "host");
        var rv32 = WorkbenchProcess.Run(Path.GetTempPath(), "bytecode", "run", Collatz, "--platform", "rv32", "--stats");
        Assert.That((host.ExitCode, host.Output), Is.EqualTo((0, "14167\n")), host.ToString());
        Assert.That((rv32.ExitCode, rv32.Output), Is.EqualTo((host.ExitCode, host.Output)), rv32.ToString());
        Assert.That(rv32.Errors, Does.Match(@"steps\s+294,619").And.Match(@"rv32 instructions\s+[1-9][\d,]+"));
    }

    [Test]
    public void A_Run_Time_Error_On_Rv32_Is_The_Hosts_Line_And_Exit_Code()
    {
        var source = Path.Combine(Directory.CreateTempSubdirectory("workbench-bytecode-").FullName, "div.wl");
        try
        {
            File.WriteAllText(source, "fn main() {\n    var z = 0;\n    print(1);\n    return 7 / z;\n}\n");
            var host = WorkbenchProcess.Run(Path.GetTempPath(), "bytecode", "run", source, "--platform", "host");
            var rv32 = WorkbenchProcess.Run(Path.GetTempPath(), "bytecode", "run", source, "--platform", "rv32");
            Assert.That(host.ExitCode, Is.EqualTo(1), host.ToString());
            Assert.That(host.Errors, Does.Contain("error: division by zero in function 'main'").And.Contain("div.wl:4:"));
            Assert.That((rv32.ExitCode, rv32.Output, rv32.Errors), Is.EqualTo((host.ExitCode, host.Output, host.Errors)), rv32.ToString());
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(source)!, recursive: true);
        }
    }
}
