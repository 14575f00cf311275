using VirtualizationWorkbench.Machine.Devices;

namespace VirtualizationWorkbench.Emulation.Cpu;

/// <summary>
/// What an RV32 hart sees at its addresses: one block of RAM at <see cref="RamBase"/> (the fast path, read by
/// the engines directly) and, in system mode, the workbench's device bus for everything else. Unmapped
/// addresses fault. Also keeps which RAM pages hold translated code, so a store there invalidates it.
/// </summary>
public sealed class Rv32Memory
{
    /// <summary>RAM of <paramref name="size"/> bytes at <paramref name="ramBase"/>, and optionally the devices
    /// reached at the other addresses. <paramref name="ram"/> may be given to share another machine's RAM
    /// (system mode uses the workbench computer's).</summary>
    public Rv32Memory(uint ramBase, uint size, DeviceBus? devices = null, byte[]? ram = null)
    {
        if (size < 4096 || size % 4096 != 0 || (ulong)ramBase + size > 1UL << 32)
        {
            throw new EmulationError($"RAM of {size} bytes at 0x{ramBase:x8} does not fit a 32-bit address space in whole 4 KiB pages");
        }
        Ram = ram ?? new byte[size];
        if (Ram.Length < size) throw new ArgumentException("the RAM array is smaller than the size", nameof(ram));
        RamBase = ramBase;
        RamSize = size;
        Devices = devices;
        CodePages = new byte[size / 4096];
    }

    /// <summary>The RAM's bytes, little-endian.</summary>
    public byte[] Ram { get; }

    /// <summary>The guest address of <c>Ram[0]</c>.</summary>
    public uint RamBase { get; }

    /// <summary>RAM size in bytes.</summary>
    public uint RamSize { get; }

    /// <summary>The device bus (system mode), or null when only RAM is mapped.</summary>
    public DeviceBus? Devices { get; }

    /// <summary>The address of the <c>tohost</c> word (system mode), or 0 for none.</summary>
    public uint ToHost { get; set; }

    /// <summary>Per RAM page: non-zero when a translated block was made from it.</summary>
    internal byte[] CodePages { get; }

    /// <summary>Called with the guest address of a store into a page that holds translated code.</summary>
    internal Action<uint>? CodeWritten { get; set; }

    /// <summary>Copies bytes into RAM at a guest address (loading a program).</summary>
    /// <exception cref="EmulationError">The range is not RAM.</exception>
    public void Write(uint address, ReadOnlySpan<byte> bytes)
    {
        if (!InRam(address, (uint)bytes.Length))
        {
            throw new EmulationError($"0x{address:x8}-0x{address + (uint)bytes.Length:x8} is outside the emulated RAM (0x{RamBase:x8}-0x{RamBase + RamSize:x8})");
        }
        bytes.CopyTo(Ram.AsSpan((int)(address - RamBase)));
    }

    /// <summary>Whether [address, address + length) is RAM.</summary>
    public bool InRam(uint address, uint length) => length <= RamSize && address - RamBase <= RamSize - length;

    /// <summary>Reads a little-endian word of RAM, or null when the address is not RAM (for the inspector and
    /// the disassembler; the engines have their own paths).</summary>
    public uint? Peek(uint address) =>
        InRam(address, 4) ? BitConverter.ToUInt32(Ram, (int)(address - RamBase)) : null;

    /// <summary>The slow path of a load: device memory. False when nothing is mapped there.</summary>
    internal bool TryLoadDevice(uint address, int size, out uint value)
    {
        value = 0;
        uint offset = 0;
        var device = Devices?.FindMemory(address, out offset);
        if (device is null) return false;
        value = size == 4 ? device.Read(offset, 4) : device.Read(offset, 1) & (size == 1 ? 0xFFu : 0xFFFFu);
        return true;
    }

    /// <summary>The slow path of a store: device memory. False when nothing is mapped there.</summary>
    internal bool TryStoreDevice(uint address, int size, uint value)
    {
        uint offset = 0;
        var device = Devices?.FindMemory(address, out offset);
        if (device is null) return false;
        device.Write(offset, size == 4 ? 4 : 1, value);
        return true;
    }
}
