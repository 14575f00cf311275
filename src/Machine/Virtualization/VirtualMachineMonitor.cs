using VirtualizationWorkbench.Machine.Assembler;
using VirtualizationWorkbench.Machine.Costs;
using VirtualizationWorkbench.Machine.Cpu;
using VirtualizationWorkbench.Machine.Virtualization.Emulation;

namespace VirtualizationWorkbench.Machine.Virtualization;

/// <summary>
/// What every monitor of the course shares: a machine, the guest's memory inside it, the guest's virtual CPU,
/// statistics, and a run loop in the style of KVM's — run the guest, handle the exit, repeat. Each technique
/// (trap-and-emulate, binary translation, paravirtualization, hardware assistance) is a subclass that decides
/// how the guest runs and what each exit means.
/// </summary>
public abstract class VirtualMachineMonitor
{
    /// <summary>Where guest memory starts in machine RAM unless told otherwise: 16 MiB.</summary>
    public const uint DefaultGuestBase = 0x0100_0000;

    /// <summary>Guest memory unless told otherwise: 4 MiB (the minikernel maps exactly that).</summary>
    public const uint DefaultGuestSize = 0x0040_0000;

    /// <summary>Monitor-owned memory (shadow and nested page tables) starts here: 8 MiB.</summary>
    public const uint MonitorMemoryBase = 0x0080_0000;

    /// <summary>Builds a machine of its own (32 MiB, one core) with the guest at the default place.</summary>
    protected VirtualMachineMonitor(CostTable costs)
        : this(new Computer(new MachineConfiguration { MemorySize = 32 * 1024 * 1024, Costs = costs }), 0, DefaultGuestBase, DefaultGuestSize)
    {
    }

    /// <summary>Runs a guest on core <paramref name="core"/> of a shared machine, in machine RAM
    /// [<paramref name="guestBase"/>, guestBase + <paramref name="guestSize"/>): how a hypervisor hosts several
    /// domains at once.</summary>
    protected VirtualMachineMonitor(Computer computer, int core, uint guestBase, uint guestSize)
    {
        Computer = computer;
        coreIndex = core;
        Vcpu = new VirtualCpu();
        Guest = new GuestAddressSpace(Computer.Memory, guestBase, guestSize, Vcpu);
        Devices = new VirtualDevices(this);
    }

    private readonly int coreIndex;

    /// <summary>The technique's name, as the labs and the overhead table print it.</summary>
    public abstract string Name { get; }

    /// <summary>The machine the guest runs on.</summary>
    public Computer Computer { get; }

    /// <summary>The core that runs the guest.</summary>
    public Core Core => Computer.Cores[coreIndex];

    /// <summary>The guest's memory.</summary>
    public GuestAddressSpace Guest { get; }

    /// <summary>The guest's virtual privileged state (for software monitors).</summary>
    public VirtualCpu Vcpu { get; }

    /// <summary>What the monitor did.</summary>
    public MonitorStatistics Statistics { get; } = new();

    /// <summary>The guest's devices as the monitor emulates them.</summary>
    public VirtualDevices Devices { get; }

    /// <summary>The cost table in force.</summary>
    public CostTable Costs => Core.Costs;

    /// <summary>The program loaded into the guest, if any.</summary>
    public ProgramImage? Program { get; private set; }

    /// <summary>What the guest printed.</summary>
    public string ConsoleOutput => Computer.Console.PendingText;

    /// <summary>Copies the guest program into guest memory (addresses are guest-physical) and resets the guest
    /// to its entry point, as its firmware would.</summary>
    public void Load(ProgramImage program)
    {
        foreach (var segment in program.Segments)
        {
            if ((ulong)segment.Address + (ulong)segment.Bytes.Length > Guest.Size)
            {
                throw new ArgumentException($"the guest program's segment at 0x{segment.Address:x} does not fit in the guest's {Guest.Size / 1024} KiB");
            }
            Computer.Memory.Write(Guest.HostBase + segment.Address, segment.Bytes);
        }
        Program = program;
        Core.Reset(program.Entry);
        Core.State.R[15] = Guest.Size;
        Prepare(program.Entry);
    }

    /// <summary>Sets up the core for this technique before the first run.</summary>
    protected abstract void Prepare(uint entry);

    /// <summary>Runs the guest until it halts or fails, <paramref name="budget"/> instructions pass, or the host
    /// stops its core (<see cref="Core.RequestStop"/>, from another thread say: <see cref="MonitorOutcome.Stopped"/>,
    /// and another Run goes on where the guest stood).</summary>
    public MonitorRun Run(long budget)
    {
        var end = Core.Counters.Instructions + (ulong)budget;
        while (Core.Counters.Instructions < end)
        {
            if (Vcpu.Halted)
            {
                if (!IdleUntilInterrupt()) return new MonitorRun(MonitorOutcome.Halted, "the guest halted");
            }
            if (DeliverVirtualInterrupt() is { } failure) return failure;
            var exit = RunGuest((long)(end - Core.Counters.Instructions));
            // The host's own request, not the guest's doing: every technique hands it back the same way, before
            // its exit handling could take it for a guest event. The guest's state stays where the core left it
            // (in non-root mode for hardware assistance), so the next Run resumes it.
            if (exit.Reason == ExitReason.Stopped) return new MonitorRun(MonitorOutcome.Stopped, "stopped at the host's request");
            if (HandleExit(exit) is { } result) return result;
        }
        return new MonitorRun(MonitorOutcome.BudgetSpent, "");
    }

    /// <summary>Runs guest code on the core.</summary>
    protected virtual RunExit RunGuest(long budget) => Core.Run(budget);

    /// <summary>Handles one exit; returns a result to end the run, or null to go on.</summary>
    protected abstract MonitorRun? HandleExit(RunExit exit);

    /// <summary>Delivers a pending virtual interrupt if the guest accepts interrupts. Software monitors reflect it
    /// through the guest's table; hardware assistance overrides this.</summary>
    protected virtual MonitorRun? DeliverVirtualInterrupt()
    {
        if (!Vcpu.InterruptsEnabled || Vcpu.PendingInterrupts == 0) return null;
        var line = System.Numerics.BitOperations.TrailingZeroCount(Vcpu.PendingInterrupts);
        Vcpu.PendingInterrupts &= ~(1u << line);
        Vcpu.Halted = false;
        return Reflect((int)ExceptionVector.IrqBase + line, 0, Core.State.Pc, software: false);
    }

    /// <summary>Lets time pass until the next timer interrupt while the guest waits in hlt. Returns false if
    /// nothing can ever wake it.</summary>
    protected bool IdleUntilInterrupt()
    {
        if (Vcpu.PendingInterrupts != 0 && Vcpu.InterruptsEnabled) return true;
        if (!Vcpu.InterruptsEnabled || !Core.Timer.Armed) return false;
        var c = Core.Counters;
        if (c.Cycles < Core.Timer.NextFire)
        {
            c.HaltedCycles += Core.Timer.NextFire - c.Cycles;
            c.Cycles = Core.Timer.NextFire;
        }
        Core.Timer.Fired(c.Cycles);
        Vcpu.PendingInterrupts |= 1u << LocalTimer.Irq;
        return true;
    }

    /// <summary>
    /// Delivers <paramref name="vector"/> into the guest as the hardware would deliver it to a native kernel: read
    /// the guest's gate, switch to the guest's kernel stack if the guest was in user mode, push the four-word frame
    /// with the flags the guest believes in, and continue at the handler in the guest kernel's real ring.
    /// </summary>
    protected MonitorRun? Reflect(int vector, uint error, uint returnPc, bool software)
    {
        Statistics.ReflectedEvents++;
        Core.Charge(Costs.Reflection);
        ref var s = ref Core.State;
        if (!Guest.TryRead(Vcpu.Idtr + (uint)vector * Core.GateSize, out var handler)
            || !Guest.TryRead(Vcpu.Idtr + (uint)vector * Core.GateSize + 4, out var attributes)
            || (attributes & Core.GatePresent) == 0)
        {
            if (software) return Reflect((int)ExceptionVector.GeneralProtection, (uint)vector * Core.GateSize + 2, returnPc, false);
            return Fail($"triple fault: the guest has no handler for {Counters.VectorName(vector)} (its table is at 0x{Vcpu.Idtr:x8})");
        }
        if (software && Vcpu.Ring > (int)((attributes >> Core.GateDplShift) & 3))
        {
            return Reflect((int)ExceptionVector.GeneralProtection, (uint)vector * Core.GateSize + 2, returnPc, false);
        }
        var oldSp = s.R[15];
        var sp = Vcpu.Ring != 0 ? Vcpu.Ksp : oldSp;
        var flags = Vcpu.GuestFlags(s.Flags);
        if (!Guest.TryWrite(sp - 4, oldSp) || !Guest.TryWrite(sp - 8, flags) || !Guest.TryWrite(sp - 12, returnPc) || !Guest.TryWrite(sp - 16, error))
        {
            return Fail($"triple fault: the guest's stack at 0x{sp:x8} cannot take the frame for {Counters.VectorName(vector)}");
        }
        s.R[15] = sp - 16;
        Vcpu.Ring = 0;
        if ((attributes & Core.GateInterrupt) != 0) Vcpu.InterruptsEnabled = false;
        EnterGuestKernel();
        s.Pc = handler;
        return null;
    }

    /// <summary>Puts the real processor into the ring the guest kernel runs in (software monitors).</summary>
    protected virtual void EnterGuestKernel() { }

    /// <summary>Ends the run with a guest failure.</summary>
    protected static MonitorRun Fail(string message) => new(MonitorOutcome.GuestFailed, message);
}
