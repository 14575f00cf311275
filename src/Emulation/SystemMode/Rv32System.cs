using System.Text;
using VirtualizationWorkbench.Emulation.Cpu;
using VirtualizationWorkbench.Emulation.Elf;
using VirtualizationWorkbench.Machine;

namespace VirtualizationWorkbench.Emulation.SystemMode;

/// <summary>
/// System emulation (the Bochs / QEMU-system role): an RV32IM hart in machine mode plugged into a workbench
/// <see cref="Computer"/>: the computer's RAM is the hart's RAM at 0x8000_0000, and its device bus answers every
/// other address, so the workbench's serial console (0xF000_0000) is the hart's console, next to a machine timer
/// (0x0200_0000). The same hardware, a different instruction set. Runs bare-metal ELF images and the ISA test
/// convention: a store to <c>tohost</c> ends the run with the verdict.
/// <code>
///   0x0200_0000  machine timer (mtimecmp +0x4000, mtime +0xBFF8)
///   0x8000_0000  RAM (the workbench computer's memory, 16 MiB)
///   0xF000_0000  serial console (data, status, control; 4 bytes apart)
///   0xF000_1000  real-time clock
/// </code>
/// </summary>
public sealed class Rv32System
{
    /// <summary>Where RAM starts, as on QEMU's virt board.</summary>
    public const uint RamBase = 0x8000_0000;

    /// <summary>Loads <paramref name="image"/> into a new workbench computer.</summary>
    /// <exception cref="EmulationError">A segment lies outside RAM.</exception>
    public Rv32System(ElfImage image, Rv32Engine engine = Rv32Engine.Interpreter)
    {
        Image = image;
        Computer = new Computer(new MachineConfiguration());
        Memory = new Rv32Memory(RamBase, Computer.Memory.Size, Computer.Bus, Computer.Memory.Bytes);
        foreach (var segment in image.Segments)
        {
            if (!Memory.InRam(segment.Address, segment.MemorySize))
            {
                throw new EmulationError($"{image.Name}: segment at 0x{segment.Address:x8} ({segment.MemorySize} bytes) is outside RAM (0x{RamBase:x8}-0x{RamBase + Memory.RamSize:x8}); link bare-metal images at 0x80000000 (labs/guests/rv32/system/link.ld), or run a Linux program without --system");
            }
            Memory.Write(segment.Address, segment.Data);
        }
        Memory.ToHost = image.Symbols.GetValueOrDefault("tohost");
        Hart = new Rv32Hart(Memory, systemMode: true);
        Hart.Reset(image.Entry);
        Computer.Bus.MapMemory(MachineTimer.Base, MachineTimer.Size, new MachineTimer(Hart));
        Rv32Engines.Attach(Hart, engine);
    }

    /// <summary>The image.</summary>
    public ElfImage Image { get; }

    /// <summary>The workbench computer whose memory and devices the hart uses.</summary>
    public Computer Computer { get; }

    /// <summary>The hart's view of memory.</summary>
    public Rv32Memory Memory { get; }

    /// <summary>The hart.</summary>
    public Rv32Hart Hart { get; }

    /// <summary>Runs until tohost is written, a trap nothing handles, or <paramref name="maxSteps"/> instructions.</summary>
    public Rv32SystemResult Run(long maxSteps)
    {
        var exit = Hart.Run(maxSteps);
        var console = Encoding.UTF8.GetString(Computer.Console.Drain());
        return exit.Reason switch
        {
            Rv32ExitReason.ToHost when exit.Value == 1 => new(Rv32SystemOutcome.Passed, 0, "pass", console),
            Rv32ExitReason.ToHost when (exit.Value & 1) == 1 => new(Rv32SystemOutcome.Failed, (int)Math.Min(exit.Value >> 1, 255),
                $"fail: test {exit.Value >> 1} failed (tohost = 0x{exit.Value:x})", console),
            Rv32ExitReason.ToHost => new(Rv32SystemOutcome.Failed, 255, $"tohost = 0x{exit.Value:x}: not the test convention (1 pass, (n << 1) | 1 fail)", console),
            Rv32ExitReason.GuestException => new(Rv32SystemOutcome.GuestException, 128 + 4,
                $"guest exception with no handler: {UserMode.LinuxProcess.Describe(exit.Cause, exit.Value)} at pc 0x{exit.Pc:x8} (mtvec 0x{Hart.State.Mtvec:x8} is not in RAM)", console),
            _ => new(Rv32SystemOutcome.StepLimit, 124, $"stopped after {maxSteps:N0} instructions (--max-steps) at pc 0x{Hart.State.Pc:x8} without a verdict in tohost", console),
        };
    }
}

/// <summary>How a system-mode run ended.</summary>
public enum Rv32SystemOutcome
{
    /// <summary>tohost = 1.</summary>
    Passed,
    /// <summary>tohost = (n &lt;&lt; 1) | 1, or another value.</summary>
    Failed,
    /// <summary>A trap whose vector is not mapped.</summary>
    GuestException,
    /// <summary>No verdict within the step budget.</summary>
    StepLimit,
}

/// <summary>The verdict (exit code: 0 pass, n for test n, 124 no verdict, 132 exception), a message, and what
/// the guest wrote to the console.</summary>
public sealed record Rv32SystemResult(Rv32SystemOutcome Outcome, int ExitCode, string Message, string Console);
