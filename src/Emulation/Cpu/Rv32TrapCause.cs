namespace VirtualizationWorkbench.Emulation.Cpu;

/// <summary>RISC-V exception and interrupt causes (the low bits of mcause; interrupts also set bit 31).</summary>
public enum Rv32TrapCause : uint
{
    /// <summary>A jump to an address that is not a multiple of 4.</summary>
    InstructionAddressMisaligned = 0,
    /// <summary>Fetching from an address where nothing is mapped.</summary>
    InstructionAccessFault = 1,
    /// <summary>A word that is no RV32IM instruction, or a CSR access the privilege forbids.</summary>
    IllegalInstruction = 2,
    /// <summary>ebreak.</summary>
    Breakpoint = 3,
    /// <summary>A load from an address where nothing is mapped.</summary>
    LoadAccessFault = 5,
    /// <summary>A store to an address where nothing is mapped.</summary>
    StoreAccessFault = 7,
    /// <summary>ecall from user mode.</summary>
    EcallFromUser = 8,
    /// <summary>ecall from machine mode.</summary>
    EcallFromMachine = 11,
    /// <summary>The machine timer (mtime reached mtimecmp); an interrupt.</summary>
    MachineTimerInterrupt = 7 | 0x8000_0000,
}
