using System.Buffers.Binary;

namespace VirtualizationWorkbench.Machine.Memory;

/// <summary>The machine's RAM: one byte array shared by every core, little-endian.</summary>
public sealed class PhysicalMemory
{
    /// <summary>Creates <paramref name="size"/> bytes of zeroed RAM (a multiple of the page size).</summary>
    public PhysicalMemory(uint size)
    {
        if (size < MemoryMap.PageSize || size % MemoryMap.PageSize != 0 || size >= MemoryMap.DeviceMemoryBase)
        {
            throw new ArgumentOutOfRangeException(nameof(size), size,
                $"memory size must be a multiple of 4 KiB between 4 KiB and {MemoryMap.DeviceMemoryBase / (1024 * 1024)} MiB");
        }
        Bytes = new byte[size];
    }

    /// <summary>The raw bytes; the interpreter reads them directly.</summary>
    public byte[] Bytes { get; }

    /// <summary>Size in bytes.</summary>
    public uint Size => (uint)Bytes.Length;

    /// <summary>Whether [address, address + length) lies in RAM.</summary>
    public bool Contains(uint address, uint length) => length <= Size && address <= Size - length;

    /// <summary>Reads a 32-bit word.</summary>
    public uint ReadWord(uint address)
    {
        Check(address, 4);
        return BinaryPrimitives.ReadUInt32LittleEndian(Bytes.AsSpan((int)address));
    }

    /// <summary>Writes a 32-bit word.</summary>
    public void WriteWord(uint address, uint value)
    {
        Check(address, 4);
        BinaryPrimitives.WriteUInt32LittleEndian(Bytes.AsSpan((int)address), value);
    }

    /// <summary>Reads a byte.</summary>
    public byte ReadByte(uint address)
    {
        Check(address, 1);
        return Bytes[address];
    }

    /// <summary>Writes bytes.</summary>
    public void Write(uint address, ReadOnlySpan<byte> data)
    {
        Check(address, (uint)data.Length);
        data.CopyTo(Bytes.AsSpan((int)address));
    }

    /// <summary>A view of [address, address + length).</summary>
    public Span<byte> Slice(uint address, uint length)
    {
        Check(address, length);
        return Bytes.AsSpan((int)address, (int)length);
    }

    private void Check(uint address, uint length)
    {
        if (!Contains(address, length))
        {
            throw new ArgumentOutOfRangeException(nameof(address), $"physical address 0x{address:x8} (+{length}) is outside RAM (0x{Size:x8} bytes)");
        }
    }
}
