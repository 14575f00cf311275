using System.Buffers.Binary;
using VirtualizationWorkbench.Emulation.Cpu;
using VirtualizationWorkbench.Emulation.Elf;
using VirtualizationWorkbench.Emulation.SystemMode;
using VirtualizationWorkbench.Emulation.UserMode;
using static VirtualizationWorkbench.Emulation.Tests.Rv32Encoder;

namespace VirtualizationWorkbench.Emulation.Tests;

/// <summary>Bad programs get a clear error or a guest exception and a clean stop, never a host crash.</summary>
public class BadInputTests
{
    [Test]
    public void A_File_That_Is_Not_An_Elf_Is_Refused_By_Name()
    {
        var error = Assert.Throws<EmulationError>(() => ElfImage.Parse("#!/bin/sh\necho hi\n"u8, "script.sh"))!;
        Assert.That(error.Message, Does.StartWith("script.sh: not an ELF file").And.Contain("-march=rv32im"));
    }

    [Test]
    public void An_Elf_For_Another_Machine_Says_Which()
    {
        var x86 = ElfWriter.Write([0], []);
        BinaryPrimitives.WriteUInt16LittleEndian(x86.AsSpan(18), 62);
        Assert.That(Assert.Throws<EmulationError>(() => ElfImage.Parse(x86, "a.out"))!.Message, Does.Contain("x86-64"));
        var rv64 = ElfWriter.Write([0], []);
        rv64[4] = 2;
        Assert.That(Assert.Throws<EmulationError>(() => ElfImage.Parse(rv64, "a64"))!.Message, Does.Contain("64-bit RISC-V (RV64)").And.Contain("-march=rv32im -mabi=ilp32"));
        var compressed = ElfWriter.Write([0], []);
        compressed[36] = 1;
        Assert.That(Assert.Throws<EmulationError>(() => ElfImage.Parse(compressed, "c"))!.Message, Does.Contain("compressed instructions"));
    }

    [Test]
    public void A_Host_Program_Is_Refused_As_X86_64()
    {
        var host = File.ReadAllBytes("/bin/sh");
        Assert.That(Assert.Throws<EmulationError>(() => ElfImage.Parse(host, "/bin/sh"))!.Message, Does.Contain("x86-64").Or.Contain("AArch64"));
    }

    [Test]
    public void A_Truncated_Segment_Is_Reported_With_Its_Offset_And_Size()
    {
        var whole = File.ReadAllBytes(GuestPrograms.Prebuilt("hello.elf"));
        var error = Assert.Throws<EmulationError>(() => ElfImage.Parse(whole.AsSpan(0, 2000), "hello.elf"))!;
        Assert.That(error.Message, Does.Contain("goes past the end of the file (2000 bytes)").And.Contain("truncated"));
    }

    private static LinuxRunResult RunWords(IEnumerable<uint> code, long maxSteps = 1000, Rv32Engine engine = Rv32Engine.Interpreter, Stream? errors = null)
    {
        var image = ElfImage.Parse(ElfWriter.Write(code.ToList(), new byte[16]), "test.elf");
        return new LinuxProcess(image, ["test.elf"], Stream.Null, Stream.Null, errors ?? Stream.Null, engine).Run(maxSteps);
    }

    [Test]
    public void An_Illegal_Instruction_Is_A_Guest_Exception_With_Its_Word_And_Pc([Values] Rv32Engine engine)
    {
        var result = RunWords([Addi(5, 0, 1), 0xFFFF_FFFF], engine: engine);
        Assert.That(result.Outcome, Is.EqualTo(LinuxOutcome.GuestException));
        Assert.That(result.ExitCode, Is.EqualTo(128 + 4));
        Assert.That(result.Message, Is.EqualTo($"guest exception: illegal instruction 0xffffffff at pc 0x{ElfWriter.CodeAddress + 4:x8}; a Linux process would get SIGILL"));
    }

    [Test]
    public void A_Jump_Into_Unmapped_Memory_Is_A_Segmentation_Fault([Values] Rv32Engine engine)
    {
        var result = RunWords([.. Li(5, 0x0000_0100), I(0, 5, 0, 0, 0x67)], engine: engine);
        Assert.That(result.ExitCode, Is.EqualTo(128 + 11));
        Assert.That(result.Message, Does.Contain("jump to unmapped address 0x00000100").And.Contain("SIGSEGV"));
    }

    [Test]
    public void An_Unknown_System_Call_Returns_Enosys_And_Is_Reported_Once()
    {
        using var errors = new MemoryStream();
        // a7 = 999; ecall; exit(a0 & 0xff): -ENOSYS is -38, so the exit code is 218.
        var result = RunWords([Addi(17, 0, 999), Ecall, Addi(17, 0, 93), Ecall], errors: errors);
        Assert.That(result.Outcome, Is.EqualTo(LinuxOutcome.Exited));
        Assert.That(result.ExitCode, Is.EqualTo(256 - 38));
        Assert.That(System.Text.Encoding.UTF8.GetString(errors.ToArray()), Does.Contain("unknown Linux system call 999").And.Contain("-ENOSYS"));
    }

    [Test]
    public void A_Program_That_Never_Exits_Stops_At_The_Step_Limit([Values] Rv32Engine engine)
    {
        var result = RunWords([J(0, 0)], maxSteps: 5_000, engine: engine);
        Assert.That(result.Outcome, Is.EqualTo(LinuxOutcome.StepLimit));
        Assert.That(result.Instructions, Is.EqualTo(5_000));
    }

    [Test]
    public void A_Bare_Metal_Image_Linked_Elsewhere_Is_Refused_In_System_Mode()
    {
        var image = ElfImage.Load(GuestPrograms.Prebuilt("hello.elf"));
        Assert.That(Assert.Throws<EmulationError>(() => _ = new Rv32System(image))!.Message, Does.Contain("outside RAM").And.Contain("0x80000000"));
    }

    [Test]
    [CancelAfter(120_000)]
    public void A_Million_Random_Instruction_Words_Do_Not_Crash_The_Host()
    {
        // Random words everywhere in a 4 MiB code region, random registers; each word runs from its own pc for a
        // few steps, in user mode and in system mode, on the interpreter and the translator. Whatever they do
        // ends as an exit of the run loop, never as a host exception.
        var random = new Random(15);
        var memory = new Rv32Memory(0x1_0000, 4 * 1024 * 1024);
        random.NextBytes(memory.Ram);
        var words = memory.RamSize / 4;
        var seen = new HashSet<Rv32ExitReason>();
        // Translating costs a host compilation per block, so the translator takes fewer of the words.
        foreach (var (system, translated, count) in new[] { (false, false, 490_000), (true, false, 490_000), (false, true, 10_000), (true, true, 10_000) })
        {
            var hart = new Rv32Hart(memory, system);
            if (translated) hart.Translator = new Translation.Rv32BlockTranslator(memory);
            for (var i = 0; i < count; i++)
            {
                hart.Reset(memory.RamBase + (uint)random.Next((int)words) * 4);
                for (var r = 1; r < 32; r++) hart[r] = random.Next(4) == 0 ? memory.RamBase + (uint)random.Next((int)memory.RamSize) : (uint)random.Next();
                hart.State.Mtvec = random.Next(2) == 0 ? memory.RamBase : 0;
                seen.Add(hart.Run(8).Reason);
            }
        }
        Assert.That(seen, Does.Contain(Rv32ExitReason.GuestException).And.Contain(Rv32ExitReason.BudgetSpent));
    }
}
