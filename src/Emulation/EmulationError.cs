namespace VirtualizationWorkbench.Emulation;

/// <summary>A program the emulator cannot run as given (not an ELF, built for another machine, truncated, an
/// option out of range): the message says what, where and what to do. Raised before the guest runs; what the
/// guest does wrong while running is a guest exception (<see cref="Cpu.Rv32ExitReason.GuestException"/>), not
/// this.</summary>
public sealed class EmulationError(string message) : Exception(message);
