using System.Diagnostics;
using VirtualizationWorkbench.Bytecode.Rv32Platform;
using VirtualizationWorkbench.Bytecode.Running;
using VirtualizationWorkbench.Tests;

namespace VirtualizationWorkbench.Bytecode.Tests;

/// <summary>The rv32 platform's VM is an ordinary RV32 Linux program: run by the real qemu-riscv32 (Debian's
/// qemu-user-static, the oracle, as in tests/Emulation.Tests) with the same .vbc on its standard input, it prints the
/// same bytes, reports the same end and exits with the same code as on the workbench's emulator. That the prebuilt
/// ELF is what labs/guests/rv32/build.sh makes from bytecode-vm.c is GuestBuildTests' rule in Emulation.Tests.</summary>
public class Rv32OracleTests
{
    private const string Qemu = "qemu-riscv32-static";

    public sealed record Case(string Name, string Source, long MaxSteps)
    {
        public override string ToString() => Name;
    }

    private static readonly Case[] Cases =
    [
        new("tour", Programs.Tour, VmLimits.DefaultMaxSteps),
        new("division by zero", "fn f(n) { return 7 % n; }\nfn main() { var i = 3; while (1) { print(f(i)); i = i - 1; } return 0; }", VmLimits.DefaultMaxSteps),
        new("bounds", "fn main() { var a = array(4); a[4] = 1; return 0; }", VmLimits.DefaultMaxSteps),
        new("stack overflow", "fn f(n) { return f(n + 1) + 1; }\nfn main() { return f(0); }", VmLimits.DefaultMaxSteps),
        new("step limit", "fn main() { var i = 0; while (1) { i = i + 1; } return 0; }", 1000),
    ];

    [OneTimeSetUp]
    public void NeedsQemu()
    {
        if ((Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(d => d.Length > 0 && File.Exists(Path.Combine(d, Qemu)))) return;
        if (Environment.GetEnvironmentVariable("CI") is null) Assert.Ignore($"needs {Qemu} (apt-get install qemu-user-static); CI requires it");
        Assert.Fail($"{Qemu} is missing on CI; .ci/run installs qemu-user-static");
    }

    [Test]
    [Category(TestCategories.EndToEnd)]
    public void The_Rv32_Vm_Runs_As_Under_Qemu([ValueSource(nameof(Cases))] Case program)
    {
        var bytes = Programs.Compile(program.Source).ToBytes();
        var emulated = new Rv32Vm(bytes).Run(program.MaxSteps);
        var (exitCode, output, report) = RunQemu(bytes, program.MaxSteps);
        Assert.That(output, Is.EqualTo(emulated.Text));
        Assert.That(exitCode, Is.EqualTo(emulated.Error is null ? 0 : emulated.Error.Kind == RuntimeErrorKind.StepLimit ? 3 : 1));
        var end = emulated.Error is { } e
            ? $"rv32-vm: error {(int)e.Kind} in function {e.Function} at offset {e.Offset}, value {e.Value}, length {e.Length}, {emulated.Steps} steps\n"
            : $"rv32-vm: result {emulated.Result}, {emulated.Steps} steps\n";
        Assert.That(report, Is.EqualTo(end));
    }

    private static (int ExitCode, string Output, string Report) RunQemu(byte[] module, long maxSteps)
    {
        var elf = Path.Combine(Path.GetTempPath(), $"workbench-bytecode-vm-{Guid.NewGuid():N}.elf");
        using (var resource = typeof(Rv32Vm).Assembly.GetManifestResourceStream("bytecode-vm.elf")!)
        using (var file = File.Create(elf))
        {
            resource.CopyTo(file);
        }
        // qemu-user runs only an executable file (it exits with 1, saying nothing, otherwise).
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(elf, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        try
        {
            var start = new ProcessStartInfo(Qemu) { RedirectStandardOutput = true, RedirectStandardInput = true, RedirectStandardError = true, UseShellExecute = false };
            start.ArgumentList.Add(elf);
            start.ArgumentList.Add(maxSteps.ToString(System.Globalization.CultureInfo.InvariantCulture));
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var errors = process.StandardError.ReadToEndAsync();
            process.StandardInput.BaseStream.Write(module);
            process.StandardInput.Close();
            if (!process.WaitForExit(TimeSpan.FromMinutes(1)))
            {
                process.Kill(entireProcessTree: true);
                Assert.Fail("qemu-riscv32 did not finish in a minute");
            }
            return (process.ExitCode, output.Result, errors.Result);
        }
        finally
        {
            File.Delete(elf);
        }
    }
}
