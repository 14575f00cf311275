using System.Runtime.CompilerServices;

namespace VirtualizationWorkbench.Emulation.Cpu;

/// <summary>The 32 integer registers x0-x31 in place (x0 reads as zero: the step loop clears it after every
/// instruction, as mini-rv32ima does).</summary>
[InlineArray(32)]
public struct Rv32Registers
{
    private uint element0;
}

/// <summary>
/// The architectural state of one RV32IM hart: registers, program counter, the machine-mode control and status
/// registers system mode needs, and the counters. A plain struct, no logic, so the interpreter, the translated
/// blocks and snapshots all see the same fields.
/// </summary>
public struct Rv32State
{
    /// <summary>x0-x31.</summary>
    public Rv32Registers X;

    /// <summary>The address of the next instruction.</summary>
    public uint Pc;

    /// <summary>Current privilege: 3 machine, 0 user (system mode); user mode emulation stays at 0 throughout.</summary>
    public uint Privilege;

    /// <summary>mstatus: bit 3 MIE (interrupts on in M mode), bit 7 MPIE (MIE before the trap), bits 11-12 MPP
    /// (privilege before the trap).</summary>
    public uint Mstatus;

    /// <summary>mie: bit 7 MTIE (timer interrupt enabled).</summary>
    public uint Mie;

    /// <summary>mtvec: trap vector base; bits 0-1 the mode (0 direct, 1 vectored for interrupts).</summary>
    public uint Mtvec;

    /// <summary>mscratch: a word for the trap handler.</summary>
    public uint Mscratch;

    /// <summary>mepc: the pc of the instruction that trapped (or was interrupted).</summary>
    public uint Mepc;

    /// <summary>mcause: bit 31 interrupt, the rest the <see cref="Rv32TrapCause"/>.</summary>
    public uint Mcause;

    /// <summary>mtval: the bad address or the illegal instruction word.</summary>
    public uint Mtval;

    /// <summary>Guest instructions retired (minstret; also the machine timer's mtime).</summary>
    public ulong Instructions;

    /// <summary>Virtual cycles charged by <see cref="Rv32Costs"/> (mcycle).</summary>
    public ulong Cycles;
}
