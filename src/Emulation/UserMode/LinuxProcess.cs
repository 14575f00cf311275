using System.Buffers.Binary;
using System.Text;
using VirtualizationWorkbench.Emulation.Cpu;
using VirtualizationWorkbench.Emulation.Elf;

namespace VirtualizationWorkbench.Emulation.UserMode;

/// <summary>
/// User-mode emulation (the <c>qemu-riscv32</c> role): a static RV32IM Linux program whose instructions are
/// emulated and whose system calls become host calls. Lays out memory as Linux does for a static program:
/// its segments, the heap (brk) after them, and the stack at the top with argc, argv, envp and the auxiliary
/// vector.
/// </summary>
/// <example>
/// <code>
/// var process = new LinuxProcess(ElfImage.Load("hello.elf"), ["hello.elf", "a"], stdin, stdout, stderr);
/// var result = process.Run(maxSteps: 1_000_000_000);   // result.ExitCode, result.Outcome
/// </code>
/// </example>
public sealed class LinuxProcess
{
    /// <summary>Default memory of a process: 64 MiB from its lowest segment (stack and heap included).</summary>
    public const uint DefaultMemory = 64 * 1024 * 1024;

    /// <summary>Stack reserved below the top of memory, which the heap may not grow into.</summary>
    public const uint StackReserve = 1024 * 1024;

    private readonly Stream input;
    private readonly Stream output;
    private readonly Stream error;
    private readonly uint initialBreak;
    private readonly Dictionary<uint, long> systemCalls = [];
    private readonly Dictionary<uint, long> unknownCalls = [];
    private readonly byte[] transfer = new byte[64 * 1024];
    private uint currentBreak;
    private int? exitCode;

    /// <summary>Loads <paramref name="program"/> with <paramref name="arguments"/> (argv, the program's name
    /// first), its standard streams, and the engine to run it.</summary>
    /// <exception cref="EmulationError">The program does not fit the process's memory.</exception>
    public LinuxProcess(ElfImage program, IReadOnlyList<string> arguments, Stream input, Stream output, Stream error,
        Rv32Engine engine = Rv32Engine.Interpreter, uint memorySize = DefaultMemory)
    {
        this.input = input;
        this.output = output;
        this.error = error;
        Program = program;
        var (low, high) = program.Extent;
        var ramBase = low & ~0xFFFu;
        var needed = (((ulong)high - ramBase + 0xFFF) & ~0xFFFUL) + StackReserve + 0x1_0000;
        if (needed > memorySize || (ulong)ramBase + memorySize > 1UL << 32)
        {
            throw new EmulationError($"{program.Name}: its segments (0x{low:x8}-0x{high:x8}) and a stack do not fit in {memorySize / (1024 * 1024)} MiB of memory");
        }
        Memory = new Rv32Memory(ramBase, memorySize);
        foreach (var segment in program.Segments)
        {
            Memory.Write(segment.Address, segment.Data);
        }
        initialBreak = currentBreak = (uint)((high + 0xFFFUL) & ~0xFFFUL);
        Hart = new Rv32Hart(Memory, systemMode: false);
        Hart.Reset(program.Entry);
        Hart[2] = BuildStack(arguments);
        Rv32Engines.Attach(Hart, engine);
    }

    /// <summary>The program.</summary>
    public ElfImage Program { get; }

    /// <summary>The process's memory.</summary>
    public Rv32Memory Memory { get; }

    /// <summary>The hart running it (its state and counters).</summary>
    public Rv32Hart Hart { get; }

    /// <summary>System calls made, by number.</summary>
    public IReadOnlyDictionary<uint, long> SystemCalls => systemCalls;

    /// <summary>
    /// Runs until the program exits, a guest exception ends it, or <paramref name="maxSteps"/> instructions
    /// have run. Never throws for what the guest does.
    /// </summary>
    public LinuxRunResult Run(long maxSteps)
    {
        while (true)
        {
            var left = maxSteps - (long)Hart.State.Instructions;
            if (left <= 0) return Finish(LinuxOutcome.StepLimit, 0, $"stopped after {maxSteps:N0} instructions (--max-steps) at pc 0x{Hart.State.Pc:x8}");
            var exit = Hart.Run(left);
            switch (exit.Reason)
            {
                case Rv32ExitReason.SystemCall:
                    var number = Hart[17];
                    systemCalls[number] = systemCalls.GetValueOrDefault(number) + 1;
                    var result = LinuxSystemCalls.Dispatch(this, number, Hart[10], Hart[11], Hart[12]);
                    if (exitCode is { } code) return Finish(LinuxOutcome.Exited, code, "");
                    Hart[10] = (uint)result;
                    break;
                case Rv32ExitReason.GuestException:
                    var (signal, name) = SignalFor(exit.Cause);
                    return Finish(LinuxOutcome.GuestException, 128 + signal,
                        $"guest exception: {Describe(exit.Cause, exit.Value)} at pc 0x{exit.Pc:x8}; a Linux process would get {name}");
                case Rv32ExitReason.BudgetSpent:
                    break;
                default:
                    return Finish(LinuxOutcome.GuestException, 128 + 5, $"unexpected exit {exit.Reason} at pc 0x{exit.Pc:x8}");
            }
        }
    }

    private LinuxRunResult Finish(LinuxOutcome outcome, int code, string message)
    {
        output.Flush();
        return new LinuxRunResult(outcome, code & 0xFF, message, Hart.State.Instructions, Hart.State.Cycles,
            Hart.Translator?.BlocksTranslated ?? 0, systemCalls.Values.Sum(), LinuxSystemCalls.Describe(unknownCalls));
    }

    /// <summary>Describes a trap for a user: what happened and to which address or word.</summary>
    public static string Describe(Rv32TrapCause cause, uint value) => cause switch
    {
        Rv32TrapCause.IllegalInstruction => $"illegal instruction 0x{value:x8}",
        Rv32TrapCause.InstructionAccessFault => $"jump to unmapped address 0x{value:x8}",
        Rv32TrapCause.InstructionAddressMisaligned => $"jump to misaligned address 0x{value:x8}",
        Rv32TrapCause.LoadAccessFault => $"load from unmapped address 0x{value:x8}",
        Rv32TrapCause.StoreAccessFault => $"store to unmapped address 0x{value:x8}",
        Rv32TrapCause.Breakpoint => "breakpoint (ebreak)",
        _ => $"trap {cause} (value 0x{value:x8})",
    };

    private static (int Signal, string Name) SignalFor(Rv32TrapCause cause) => cause switch
    {
        Rv32TrapCause.IllegalInstruction => (4, "SIGILL"),
        Rv32TrapCause.Breakpoint => (5, "SIGTRAP"),
        Rv32TrapCause.InstructionAddressMisaligned => (7, "SIGBUS"),
        _ => (11, "SIGSEGV"),
    };

    // argc, argv[], NULL, envp[] (empty), NULL, auxv pairs, AT_NULL; strings and AT_RANDOM's bytes above them.
    private uint BuildStack(IReadOnlyList<string> arguments)
    {
        var top = Memory.RamBase + Memory.RamSize;
        var sp = top - 16;
        var pointers = new List<uint>();
        foreach (var argument in arguments)
        {
            var bytes = Encoding.UTF8.GetBytes(argument + "\0");
            if (bytes.Length > 128 * 1024 || top - sp + bytes.Length > StackReserve / 2)
            {
                throw new EmulationError("the program's arguments are too long for its stack (at most 512 KiB)");
            }
            sp -= (uint)bytes.Length;
            Memory.Write(sp, bytes);
            pointers.Add(sp);
        }
        // AT_RANDOM: 16 bytes a C library seeds its stack protector from; fixed here, so runs are deterministic.
        sp = (sp - 16) & ~15u;
        var random = sp;
        Memory.Write(random, "RV32 workbench!!"u8);
        (uint Key, uint Value)[] auxiliary =
        [
            (3, Program.ProgramHeaderAddress), (4, 32), (5, Program.ProgramHeaderCount), (6, 4096), (9, Program.Entry),
            (11, 0), (12, 0), (13, 0), (14, 0), (25, random), (0, 0),
        ];
        var words = new List<uint> { (uint)pointers.Count };
        words.AddRange(pointers);
        words.Add(0);
        words.Add(0);
        foreach (var (key, value) in auxiliary)
        {
            words.Add(key);
            words.Add(value);
        }
        sp = (sp - (uint)words.Count * 4) & ~15u;
        var block = new byte[words.Count * 4];
        for (var i = 0; i < words.Count; i++) BinaryPrimitives.WriteUInt32LittleEndian(block.AsSpan(i * 4), words[i]);
        Memory.Write(sp, block);
        return sp;
    }

    internal int ReadInput(uint fd, uint buffer, uint length)
    {
        if (fd != 0) return -LinuxSystemCalls.Ebadf;
        var count = (int)Math.Min(length, (uint)transfer.Length);
        if (!Mapped(buffer, (uint)count)) return -LinuxSystemCalls.Efault;
        var read = input.Read(Memory.Ram, (int)(buffer - Memory.RamBase), count);
        Hart.Translator?.Invalidate(buffer, (uint)read);
        return read;
    }

    internal int WriteOutput(uint fd, uint buffer, uint length)
    {
        var stream = fd switch { 1 => output, 2 => error, _ => null };
        if (stream is null) return -LinuxSystemCalls.Ebadf;
        if (!Mapped(buffer, length)) return -LinuxSystemCalls.Efault;
        stream.Write(Memory.Ram, (int)(buffer - Memory.RamBase), (int)length);
        return (int)length;
    }

    internal int WriteVector(uint fd, uint vector, uint count)
    {
        var total = 0;
        for (uint i = 0; i < count; i++)
        {
            if (!Mapped(vector + i * 8, 8)) return -LinuxSystemCalls.Efault;
            var at = (int)(vector + i * 8 - Memory.RamBase);
            var written = WriteOutput(fd, BinaryPrimitives.ReadUInt32LittleEndian(Memory.Ram.AsSpan(at)), BinaryPrimitives.ReadUInt32LittleEndian(Memory.Ram.AsSpan(at + 4)));
            if (written < 0) return written;
            total += written;
        }
        return total;
    }

    /// <summary>Whether [address, address + length) lies in what Linux would have mapped: the segments (whole
    /// pages), the heap up to the break, the stack. A system call given anything else fails with EFAULT, as on
    /// Linux. (Loads and stores by instructions are checked against RAM only: see docs.)</summary>
    private bool Mapped(uint address, uint length)
    {
        if (!Memory.InRam(address, length)) return false;
        var end = (ulong)address + length;
        var top = (ulong)Memory.RamBase + Memory.RamSize;
        if (address >= top - StackReserve && end <= top) return true;
        if (address >= initialBreak && end <= currentBreak) return true;
        foreach (var segment in Program.Segments)
        {
            var first = segment.Address & ~0xFFFu;
            var last = ((ulong)segment.Address + segment.MemorySize + 0xFFF) & ~0xFFFUL;
            if (address >= first && end <= last) return true;
        }
        return length == 0;
    }

    internal int ExitWith(int code)
    {
        exitCode = code;
        return 0;
    }

    /// <summary>brk: 0 (or below the first break) asks where the break is; a new break inside the memory left
    /// below the stack moves it (new memory is zero); anything else leaves it and returns where it is.</summary>
    internal uint SetBreak(uint address)
    {
        var limit = Memory.RamBase + Memory.RamSize - StackReserve;
        if (address < initialBreak || address > limit) return currentBreak;
        if (address > currentBreak)
        {
            Memory.Ram.AsSpan((int)(currentBreak - Memory.RamBase), (int)(address - currentBreak)).Clear();
            Hart.Translator?.Invalidate(currentBreak, address - currentBreak);
        }
        currentBreak = address;
        return currentBreak;
    }

    internal int Unknown(uint number)
    {
        unknownCalls[number] = unknownCalls.GetValueOrDefault(number) + 1;
        if (unknownCalls[number] == 1)
        {
            var note = Encoding.UTF8.GetBytes($"emulate: unknown Linux system call {number} at pc 0x{Hart.State.Pc - 4:x8}; returned -ENOSYS\n");
            error.Write(note);
        }
        return -LinuxSystemCalls.Enosys;
    }
}
