namespace VirtualizationWorkbench.Machine.Memory;

/// <summary>
/// The physical address map and the I/O port map, as named constants.
/// <code>
///   physical address space (per core: RAM is the core's window of the machine's memory)
///   0x0000_0000 ┌──────────────────────────────┐
///               │ RAM (MachineConfiguration.   │  programs load at 0x1000 by convention;
///               │      MemorySize, 16 MiB)     │  the stack starts at the top of RAM
///   RAM size    ├──────────────────────────────┤
///               │ unmapped: accesses exit to   │  ExitReason.Mmio (the host may emulate a device)
///               │ the host                     │
///   0xF000_0000 ├──────────────────────────────┤
///               │ serial console (data, status)│  same registers as ports 0x3F8-0x3FA
///   0xF000_1000 ├──────────────────────────────┤
///               │ real-time clock              │  same registers as ports 0x70-0x71
///               └──────────────────────────────┘
///
///   I/O ports
///   0x0040-0x0042  local timer of the executing core (period, control, count)
///   0x0070-0x0071  real-time clock (seconds since 1970, sub-second ticks)
///   0x01F0-0x01F7  block disk
///   0x0300-0x030F  network card
///   0x03F8-0x03FA  serial console (data, status, control)
/// </code>
/// </summary>
public static class MemoryMap
{
    /// <summary>Default RAM size: 16 MiB.</summary>
    public const uint DefaultMemorySize = 16 * 1024 * 1024;
    /// <summary>Conventional load address of programs.</summary>
    public const uint ProgramBase = 0x1000;
    /// <summary>Page size: 4 KiB.</summary>
    public const uint PageSize = 4096;
    /// <summary>Start of device memory.</summary>
    public const uint DeviceMemoryBase = 0xF000_0000;
    /// <summary>The console's memory-mapped registers.</summary>
    public const uint ConsoleMmio = 0xF000_0000;
    /// <summary>The real-time clock's memory-mapped registers.</summary>
    public const uint ClockMmio = 0xF000_1000;

    /// <summary>Local timer: period in cycles (write arms it).</summary>
    public const uint TimerPeriodPort = 0x40;
    /// <summary>Local timer: control (bit 0 enable, bit 1 periodic).</summary>
    public const uint TimerControlPort = 0x41;
    /// <summary>Local timer: cycles until it fires (read-only).</summary>
    public const uint TimerCountPort = 0x42;
    /// <summary>Real-time clock ports.</summary>
    public const uint ClockPort = 0x70;
    /// <summary>Block disk ports.</summary>
    public const uint DiskPort = 0x1F0;
    /// <summary>Network card ports.</summary>
    public const uint NetworkPort = 0x300;
    /// <summary>Serial console ports.</summary>
    public const uint ConsolePort = 0x3F8;
}
