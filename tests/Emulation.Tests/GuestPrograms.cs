using System.Diagnostics;
using System.Text;
using VirtualizationWorkbench.Emulation.Elf;
using VirtualizationWorkbench.Emulation.UserMode;

namespace VirtualizationWorkbench.Emulation.Tests;

/// <summary>The lab's RV32 programs (labs/guests/rv32/prebuilt, built by build.sh from the sources beside it),
/// and the real qemu-riscv32 as the oracle.</summary>
internal static class GuestPrograms
{
    public static string Folder
    {
        get
        {
            var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Workbench.sln"))) dir = dir.Parent;
            return Path.Combine(dir?.FullName ?? throw new InvalidOperationException("cannot find the repository root"), "labs", "guests", "rv32");
        }
    }

    public static string Prebuilt(string name) => Path.Combine(Folder, "prebuilt", name);

    public const string Qemu = "qemu-riscv32-static";

    /// <summary>Ignores the test when a tool is missing, unless on CI (which installs it: .ci/run).</summary>
    public static void Require(string tool, string package)
    {
        if (OnPath(tool)) return;
        if (Environment.GetEnvironmentVariable("CI") is null) Assert.Ignore($"needs {tool} (apt-get install {package}); CI requires it");
        Assert.Fail($"{tool} is missing on CI; .ci/run installs {package}");
    }

    public static bool OnPath(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(d => d.Length > 0 && File.Exists(Path.Combine(d, tool)));

    /// <summary>What a user-mode run printed and returned.</summary>
    public sealed record Outcome(int ExitCode, string Output)
    {
        public override string ToString() =>
            $"exit {ExitCode}, {Output.Length} characters, SHA-256 {Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(Output)))[..16]}: " +
            $"{(Output.Length > 120 ? Output[..120] + "..." : Output).ReplaceLineEndings("⏎")}";
    }

    public static Outcome RunQemu(string elf, string[] arguments, string input = "")
    {
        var start = new ProcessStartInfo(Qemu) { RedirectStandardOutput = true, RedirectStandardInput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(elf);
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        process.StandardInput.Write(input);
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"qemu-riscv32 {elf} did not finish in 2 minutes");
        }
        // qemu-user ends itself with the guest's signal; the shell reports 128 + signal, as the emulator does.
        return new Outcome(process.ExitCode < 0 ? 128 - process.ExitCode : process.ExitCode, output.Result);
    }

    public static (Outcome Outcome, LinuxRunResult Result) RunEmulated(ElfImage image, string[] arguments, Rv32Engine engine, string input = "", long maxSteps = 2_000_000_000)
    {
        using var stdin = new MemoryStream(Encoding.UTF8.GetBytes(input));
        using var stdout = new MemoryStream();
        using var stderr = new MemoryStream();
        var process = new LinuxProcess(image, [image.Name, .. arguments], stdin, stdout, stderr, engine);
        var result = process.Run(maxSteps);
        return (new Outcome(result.ExitCode, Encoding.UTF8.GetString(stdout.ToArray())), result);
    }
}
