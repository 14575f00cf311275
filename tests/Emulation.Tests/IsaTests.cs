using VirtualizationWorkbench.Emulation.Elf;
using VirtualizationWorkbench.Emulation.SystemMode;

namespace VirtualizationWorkbench.Emulation.Tests;

/// <summary>The project's ISA tests in the riscv-tests convention (labs/guests/rv32/isa: every RV32I and RV32M
/// instruction, and machine mode), run in system mode on every engine. Their expected values are checked
/// against qemu-riscv32 by <see cref="DifferentialTests"/>, which runs their user-mode builds.</summary>
public class IsaTests
{
    private static readonly string[] Tests = ["alu", "memory", "control", "muldiv", "machine"];

    [Test]
    public void Every_Isa_Test_Passes_On_Every_Engine([ValueSource(nameof(Tests))] string test, [Values] Rv32Engine engine)
    {
        var image = ElfImage.Load(GuestPrograms.Prebuilt($"isa-{test}.elf"));
        var system = new Rv32System(image, engine);
        var result = system.Run(10_000_000);
        Assert.That(result.Outcome, Is.EqualTo(Rv32SystemOutcome.Passed), result.Message);
        Assert.That(result.ExitCode, Is.Zero);
    }

    [Test]
    public void A_Wrong_Result_Is_Reported_With_The_Number_Of_Its_Test([Values] Rv32Engine engine)
    {
        // The alu test's case 3 checks add 3 + 7 = 10: change that add into a sub and case 3 must fail.
        var bytes = File.ReadAllBytes(GuestPrograms.Prebuilt("isa-alu.elf"));
        var image = ElfImage.Parse(bytes, "isa-alu.elf");
        var text = image.Segments[0];
        var system = new Rv32System(image, engine);
        const uint add = 0x00208733;                                  // add x14, x1, x2
        var seen = 0;
        var patched = false;
        for (uint at = text.Address; at < text.Address + (uint)text.Data.Length && !patched; at += 4)
        {
            // The second such add in the file is case 3's (case 2 is the first).
            if (system.Memory.Peek(at) != add || ++seen < 2) continue;
            system.Memory.Write(at, BitConverter.GetBytes(add | (0x20u << 25)));
            patched = true;
        }
        Assert.That(patched, "found case 3's add");
        var result = system.Run(10_000_000);
        Assert.That(result.Outcome, Is.EqualTo(Rv32SystemOutcome.Failed));
        Assert.That(result.ExitCode, Is.EqualTo(3), result.Message);
    }

    [Test]
    public void The_Console_Program_Prints_On_The_Workbench_Console_And_Takes_Timer_Interrupts([Values] Rv32Engine engine)
    {
        var system = new Rv32System(ElfImage.Load(GuestPrograms.Prebuilt("console.elf")), engine);
        var result = system.Run(10_000_000);
        Assert.That(result.Outcome, Is.EqualTo(Rv32SystemOutcome.Passed), result.Message);
        Assert.That(result.Console, Does.Contain("hello from machine mode").And.Contain("sum of squares below 20000 (mod 2^32): 3586946480"));
        Assert.That(result.Console, Does.Match("timer interrupts taken: [1-9][0-9]*"));
    }

    [Test]
    public void All_Engines_Agree_On_Counters_And_Interrupt_Timing()
    {
        var outcomes = Enum.GetValues<Rv32Engine>().Select(engine =>
        {
            var system = new Rv32System(ElfImage.Load(GuestPrograms.Prebuilt("console.elf")), engine);
            var result = system.Run(10_000_000);
            return (result.Console, system.Hart.State.Instructions, system.Hart.State.Cycles);
        }).ToList();
        Assert.That(outcomes.Distinct().Count(), Is.EqualTo(1), string.Join("\n", outcomes));
    }

    [Test]
    public void A_Program_Without_A_Verdict_Stops_At_The_Step_Limit()
    {
        var system = new Rv32System(ElfImage.Load(GuestPrograms.Prebuilt("console.elf")));
        var result = system.Run(1000);
        Assert.That(result.Outcome, Is.EqualTo(Rv32SystemOutcome.StepLimit));
        Assert.That(system.Hart.State.Instructions, Is.EqualTo(1000));
    }
}
