using VirtualizationWorkbench.Machine.Devices;
using VirtualizationWorkbench.Machine.Memory;

namespace VirtualizationWorkbench.Machine;

/// <summary>
/// The simulated computer every lab runs on: cores sharing one RAM, and the devices on its bus (serial
/// console, block disk, network card, real-time clock; each core has its own timer).
/// </summary>
/// <example>
/// <code>
/// var computer = new Computer(new MachineConfiguration());
/// computer.Load(Assembler.AssembleText("li r1, 42\nhlt"));
/// var exit = computer.Run(1_000_000);   // ExitReason.Halt
/// </code>
/// </example>
public sealed class Computer
{
    private readonly int[] irqRoute = new int[16];
    private int nextCore;

    /// <summary>Builds a machine from <paramref name="configuration"/>.</summary>
    public Computer(MachineConfiguration configuration)
    {
        if (configuration.Cores is < 1 or > 16)
        {
            throw new ArgumentOutOfRangeException(nameof(configuration), configuration.Cores, "a machine has 1 to 16 cores");
        }
        if (configuration.Quantum < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(configuration), configuration.Quantum, "the quantum must be at least one instruction");
        }
        Configuration = configuration;
        Memory = new PhysicalMemory(configuration.MemorySize);
        Cores = Enumerable.Range(0, configuration.Cores).Select(i => new Core(this, i, configuration.Costs) { Engine = configuration.Engine }).ToArray();

        Console = new SerialConsole(RaiseInterrupt);
        Bus.MapPorts(MemoryMap.ConsolePort, 3, Console);
        Bus.MapMemory(MemoryMap.ConsoleMmio, 12, Console);
        Clock = new RealTimeClock(() => Cores[0].Counters.Cycles);
        Bus.MapPorts(MemoryMap.ClockPort, 2, Clock);
        Bus.MapMemory(MemoryMap.ClockMmio, 8, Clock);
        Disk = configuration.DiskBlocks is { } blocks
            ? new BlockDisk(blocks, Memory, RaiseInterrupt)
            : new BlockDisk(configuration.DiskStore ?? new MemoryStream(new byte[configuration.DiskSectors * BlockDisk.SectorSize]), Memory, RaiseInterrupt);
        Bus.MapPorts(MemoryMap.DiskPort, 8, Disk);
        Network = new NetworkCard(Memory, RaiseInterrupt);
        Bus.MapPorts(MemoryMap.NetworkPort, 16, Network);
    }

    /// <summary>What the machine was built from.</summary>
    public MachineConfiguration Configuration { get; }

    /// <summary>The RAM all cores share.</summary>
    public PhysicalMemory Memory { get; }

    /// <summary>The cores, by index.</summary>
    public IReadOnlyList<Core> Cores { get; }

    /// <summary>Ports and device memory.</summary>
    public DeviceBus Bus { get; } = new();

    /// <summary>The serial console.</summary>
    public SerialConsole Console { get; }

    /// <summary>The real-time clock (its time follows core 0's cycles).</summary>
    public RealTimeClock Clock { get; }

    /// <summary>The block disk.</summary>
    public BlockDisk Disk { get; }

    /// <summary>The network card.</summary>
    public NetworkCard Network { get; }

    /// <summary>The program loaded last, if any (its symbols serve disassembly and the debugger).</summary>
    public Assembler.ProgramImage? Program { get; private set; }

    /// <summary>Sends device interrupt line <paramref name="line"/> to the core it is routed to (core 0 unless
    /// <see cref="RouteInterrupt"/> says otherwise).</summary>
    public void RaiseInterrupt(int line) => Cores[irqRoute[line]].RaiseInterrupt(line);

    /// <summary>Routes device interrupt <paramref name="line"/> to core <paramref name="core"/>.</summary>
    public void RouteInterrupt(int line, int core)
    {
        if ((uint)line >= 16) throw new ArgumentOutOfRangeException(nameof(line), line, "interrupt lines are 0-15");
        if ((uint)core >= Cores.Count) throw new ArgumentOutOfRangeException(nameof(core), core, "no such core");
        irqRoute[line] = core;
    }

    /// <summary>
    /// Copies the program's segments into RAM and resets every core to its entry point (ring 0, interrupts
    /// off, paging off). Core n's stack starts 64 KiB × n below the top of RAM.
    /// </summary>
    /// <exception cref="ArgumentException">A segment does not fit in RAM.</exception>
    public void Load(Assembler.ProgramImage program)
    {
        foreach (var segment in program.Segments)
        {
            if (!Memory.Contains(segment.Address, (uint)segment.Bytes.Length))
            {
                throw new ArgumentException($"segment at 0x{segment.Address:x8} ({segment.Bytes.Length} bytes) does not fit in {Memory.Size / 1024} KiB of RAM");
            }
            Memory.Write(segment.Address, segment.Bytes);
        }
        foreach (var core in Cores)
        {
            core.Reset(program.Entry);
        }
        Program = program;
    }

    /// <summary>
    /// Runs the cores round-robin, <see cref="MachineConfiguration.Quantum"/> instructions at a time, until
    /// one of them exits for a reason other than its quantum, or <paramref name="budget"/> instructions
    /// (over all cores) are spent. Cores that are halted with nothing to wake them are skipped; when all are,
    /// the machine returns <see cref="ExitReason.Halt"/>.
    /// </summary>
    public RunExit Run(long budget)
    {
        if (Cores.Count == 1) return Cores[0].Run(budget);
        var remaining = budget;
        var idle = 0;
        while (true)
        {
            var core = Cores[nextCore];
            nextCore = (nextCore + 1) % Cores.Count;
            if (remaining <= 0) return new RunExit { Reason = ExitReason.BudgetSpent, Core = core.Index, Pc = core.State.Pc };
            var before = core.Counters.Instructions;
            var exit = core.Run(Math.Min(remaining, Configuration.Quantum));
            remaining -= (long)(core.Counters.Instructions - before);
            if (exit.Reason == ExitReason.Halt)
            {
                if (++idle >= Cores.Count) return exit;
                continue;
            }
            idle = 0;
            if (exit.Reason != ExitReason.BudgetSpent) return exit;
        }
    }
}
