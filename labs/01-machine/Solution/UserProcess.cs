using VirtualizationWorkbench.Machine;
using VirtualizationWorkbench.Machine.Assembler;
using VirtualizationWorkbench.Machine.Cpu;

namespace VirtualizationWorkbench.Labs.SystemCalls;

/// <summary>
/// One user program on a machine of its own, in ring 3, with no kernel in the guest: the host is the kernel.
/// Every <c>int 0x80</c> and every exception leaves the core as an <see cref="ExitReason.Trap"/> for host code
/// to handle (this file is given; you write <see cref="SystemCallHost"/>).
/// </summary>
public sealed class UserProcess
{
    /// <summary>The first byte the program may name in a system call (as in the minikernel).</summary>
    public const uint UserBase = 0x200000;

    /// <summary>One past the last byte the program may name in a system call.</summary>
    public const uint UserEnd = 0x210000;

    /// <summary>Flags the program starts with: ring 3, interrupts off (no device interrupts in this lab).</summary>
    public const uint UserFlags = 3u << Flags.CplShift;

    /// <summary>Loads <paramref name="program"/> and prepares its core to start at the entry point in ring 3,
    /// with its stack at the top of user memory.</summary>
    public UserProcess(ProgramImage program, int pid = 1)
    {
        Computer = new Computer(new MachineConfiguration());
        Computer.Load(program);
        Core = Computer.Cores[0];
        Core.State.Flags = UserFlags;
        Core.State.R[15] = UserEnd;
        // The host serves system calls and sees every exception: nothing goes through a guest interrupt table.
        Core.InterceptSoftwareInterrupts = true;
        Core.InterceptedExceptions = 0xFFFF_FFFF;
        Pid = pid;
    }

    /// <summary>Assembles <paramref name="source"/> and loads it (see the constructor).</summary>
    public static UserProcess FromSource(string source, int pid = 1) => new(Assembler.AssembleText(source, "program.s"), pid);

    /// <summary>The machine the program runs on.</summary>
    public Computer Computer { get; }

    /// <summary>Its one core.</summary>
    public Core Core { get; }

    /// <summary>The process id that <c>getpid</c> returns.</summary>
    public int Pid { get; }
}
