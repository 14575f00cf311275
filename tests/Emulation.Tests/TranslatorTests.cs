using VirtualizationWorkbench.Emulation.Cpu;
using VirtualizationWorkbench.Emulation.Elf;
using VirtualizationWorkbench.Emulation.UserMode;

namespace VirtualizationWorkbench.Emulation.Tests;

/// <summary>The translator's loops that run in place (a block jumping to its own start) stop exactly where the
/// interpreter stops: the same pc, registers and counters after every slice, whatever the slice's length.</summary>
public class TranslatorTests
{
    [TestCase("loop.elf", "1000")]
    [TestCase("primes.elf", "300")]
    public void Loops_In_Place_Stop_At_The_Same_Instruction_As_The_Interpreter(string program, string argument)
    {
        var image = ElfImage.Load(GuestPrograms.Prebuilt(program));
        var interpreted = new LinuxProcess(image, [program, argument], Stream.Null, Stream.Null, Stream.Null, Rv32Engine.Interpreter);
        var translated = new LinuxProcess(image, [program, argument], Stream.Null, Stream.Null, Stream.Null, Rv32Engine.Translator);
        var random = new Random(3);
        var steps = 0L;
        LinuxRunResult result;
        do
        {
            // Slices from 1 instruction to a few loop iterations, so that slices end in every place of a loop.
            steps += random.Next(1, 40);
            result = interpreted.Run(steps);
            Assert.That(translated.Run(steps) with { BlocksTranslated = 0 }, Is.EqualTo(result), $"after {steps} instructions");
            Assert.That(State(translated.Hart), Is.EqualTo(State(interpreted.Hart)), $"after {steps} instructions");
        }
        while (result.Outcome == LinuxOutcome.StepLimit);
        Assert.That(result.Outcome, Is.EqualTo(LinuxOutcome.Exited));
    }

    [Test]
    public void A_Loop_Of_One_Block_Runs_In_Place_Without_The_Dispatcher()
    {
        // loop.elf's loop is one block that branches to itself: 3,000 iterations enter it once, not 3,000 times.
        var process = new LinuxProcess(ElfImage.Load(GuestPrograms.Prebuilt("loop.elf")), ["loop.elf", "3000"], Stream.Null, Stream.Null, Stream.Null, Rv32Engine.Translator);
        Assert.That(process.Run(10_000_000).Outcome, Is.EqualTo(LinuxOutcome.Exited));
        Assert.That(process.Hart.Translator!.BlocksExecuted, Is.LessThan(1000), "blocks entered from the dispatcher");
    }

    private static string State(Rv32Hart hart)
    {
        var registers = string.Join(" ", Enumerable.Range(0, 32).Select(r => hart[r].ToString("x8")));
        return $"pc {hart.State.Pc:x8} instructions {hart.State.Instructions} cycles {hart.State.Cycles} x {registers}";
    }
}
