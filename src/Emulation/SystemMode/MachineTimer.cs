using VirtualizationWorkbench.Emulation.Cpu;
using VirtualizationWorkbench.Machine.Devices;

namespace VirtualizationWorkbench.Emulation.SystemMode;

/// <summary>
/// The RISC-V machine timer on the workbench's device bus, in the CLINT layout bare-metal programs expect:
/// mtimecmp at +0x4000 (low, high word), mtime at +0xBFF8. mtime counts the hart's retired instructions, so
/// interrupts come at the same instruction on every engine and every run.
/// </summary>
public sealed class MachineTimer(Rv32Hart hart) : IDevice
{
    /// <summary>Where system mode maps it.</summary>
    public const uint Base = 0x0200_0000;

    /// <summary>Its size on the bus.</summary>
    public const uint Size = 0x1_0000;

    /// <inheritdoc/>
    public string Name => "rv32-timer";

    /// <inheritdoc/>
    public uint Read(uint offset, int size) => offset switch
    {
        0x4000 => (uint)hart.TimerCompare,
        0x4004 => (uint)(hart.TimerCompare >> 32),
        0xBFF8 => (uint)hart.State.Instructions,
        0xBFFC => (uint)(hart.State.Instructions >> 32),
        _ => 0,
    };

    /// <inheritdoc/>
    public void Write(uint offset, int size, uint value)
    {
        if (offset == 0x4000) hart.TimerCompare = (hart.TimerCompare & 0xFFFF_FFFF_0000_0000) | value;
        else if (offset == 0x4004) hart.TimerCompare = (hart.TimerCompare & 0xFFFF_FFFF) | ((ulong)value << 32);
    }

    /// <inheritdoc/>
    public void Save(BinaryWriter writer) => writer.Write(hart.TimerCompare);

    /// <inheritdoc/>
    public void Restore(BinaryReader reader) => hart.TimerCompare = reader.ReadUInt64();
}
