using VirtualizationWorkbench.Emulation.Elf;
using VirtualizationWorkbench.Emulation.UserMode;

namespace VirtualizationWorkbench.Emulation.Tests;

/// <summary>
/// The real qemu-riscv32 (Debian's qemu-user-static) is the oracle: the same binary must print the same bytes and
/// exit with the same code under every engine. Programs: the lab's C programs (compiled with Debian's
/// riscv64-unknown-elf-gcc and picolibc), the ISA tests' user-mode builds, and generated programs.
/// </summary>
public class DifferentialTests
{
    public sealed record Case(string Program, string[] Arguments, string Input)
    {
        public override string ToString() => $"{Program} {string.Join(' ', Arguments)}".Trim();
    }

    private static readonly Case[] Programs =
    [
        new("hello.elf", ["one", "two words", "ünïcode"], ""),
        new("primes.elf", ["30000"], ""),
        new("sort.elf", ["3000"], ""),
        new("upper.elf", [], "The quick brown fox\njumps over\n\tthe lazy dog.\n"),
        new("loop.elf", ["20000"], ""),
        new("arith.elf", [], ""),
        new("collatz.elf", ["97"], ""),
        new("primes.elf", ["1"], ""),
        new("isa-alu-user.elf", [], ""),
        new("isa-memory-user.elf", [], ""),
        new("isa-control-user.elf", [], ""),
        new("isa-muldiv-user.elf", [], ""),
    ];

    private static readonly Rv32Engine[] CompiledEngines = [Rv32Engine.Interpreter, Rv32Engine.Translator];

    [OneTimeSetUp]
    public void NeedsQemu() => GuestPrograms.Require(GuestPrograms.Qemu, "qemu-user-static");

    [Test]
    public void The_Labs_Programs_Behave_As_Under_Qemu([ValueSource(nameof(Programs))] Case program, [ValueSource(nameof(CompiledEngines))] Rv32Engine engine)
    {
        var path = GuestPrograms.Prebuilt(program.Program);
        var expected = GuestPrograms.RunQemu(path, program.Arguments, program.Input);
        var (actual, _) = GuestPrograms.RunEmulated(ElfImage.Load(path), program.Arguments, engine, program.Input);
        Assert.That(actual, Is.EqualTo(expected));
    }

    [Test]
    public void The_JavaScript_Engine_Behaves_As_Under_Qemu([Values("hello.elf", "arith.elf", "isa-muldiv-user.elf", "upper.elf")] string name)
    {
        var program = Programs.First(p => p.Program == name);
        var path = GuestPrograms.Prebuilt(name);
        var expected = GuestPrograms.RunQemu(path, program.Arguments, program.Input);
        var (actual, _) = GuestPrograms.RunEmulated(ElfImage.Load(path), program.Arguments, Rv32Engine.JavaScript, program.Input);
        Assert.That(actual, Is.EqualTo(expected));
    }

    [Test]
    public void Generated_Programs_Behave_As_Under_Qemu([Range(1, 12)] int seed)
    {
        var path = WriteGenerated(seed, RandomProgram.Generate(seed, length: 400, selfModifying: seed % 4 == 0));
        var expected = GuestPrograms.RunQemu(path, []);
        var image = ElfImage.Load(path);
        foreach (var engine in seed % 8 == 1 ? Enum.GetValues<Rv32Engine>() : CompiledEngines)
        {
            var (actual, result) = GuestPrograms.RunEmulated(image, [], engine);
            Assert.That(actual, Is.EqualTo(expected), $"seed {seed}, {engine}");
            Assert.That(result.Outcome, Is.EqualTo(LinuxOutcome.Exited), result.Message);
        }
    }

    [Test]
    public void Self_Modifying_Code_Is_Retranslated_And_Matches_Qemu([Values(4, 8, 12)] int seed)
    {
        var path = WriteGenerated(seed, RandomProgram.Generate(seed, length: 400, selfModifying: true));
        var expected = GuestPrograms.RunQemu(path, []);
        using var output = new MemoryStream();
        var process = new LinuxProcess(ElfImage.Load(path), [path], Stream.Null, output, Stream.Null, Rv32Engine.Translator);
        var result = process.Run(10_000_000);
        Assert.That(new GuestPrograms.Outcome(result.ExitCode, System.Text.Encoding.UTF8.GetString(output.ToArray())), Is.EqualTo(expected));
        Assert.That(process.Hart.Translator!.BlocksInvalidated, Is.GreaterThan(0), "the rewritten block was thrown away");
    }

    private static string WriteGenerated(int seed, byte[] elf)
    {
        var folder = Path.Combine(Path.GetTempPath(), "workbench-rv32-generated");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, $"generated-{seed}.elf");
        File.WriteAllBytes(path, elf);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }
}
