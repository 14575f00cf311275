namespace VirtualizationWorkbench.Machine.Devices;

/// <summary>
/// A block disk of 512-byte sectors, backed by memory or by a file, with DMA to physical memory.
/// Registers (ports 0x1F0 + n): 0 sector number, 1 physical memory address, 2 sector count,
/// 3 command (write 1 = read sectors into memory, 2 = write memory to sectors; done at once),
/// 4 status (0 ok, 1 out of range, 2 bad memory address, 3 unknown command), 5 capacity in sectors
/// (read-only), 6 control (bit 0: raise IRQ 2 when a command completes).
/// </summary>
public sealed class BlockDisk : IDevice
{
    /// <summary>Bytes per sector.</summary>
    public const int SectorSize = 512;
    /// <summary>The interrupt line used for completions.</summary>
    public const int Irq = 2;

    private readonly Stream store;
    private readonly Memory.PhysicalMemory memory;
    private readonly Action<int> raiseIrq;
    private uint sector, address, count, status, control;

    /// <summary>A disk over <paramref name="store"/> (readable, writable and seekable; its length is the capacity).</summary>
    public BlockDisk(Stream store, Memory.PhysicalMemory memory, Action<int> raiseIrq)
    {
        if (!store.CanSeek || !store.CanRead)
        {
            throw new ArgumentException("a disk's store must be seekable and readable", nameof(store));
        }
        this.store = store;
        this.memory = memory;
        this.raiseIrq = raiseIrq;
    }

    /// <inheritdoc/>
    public string Name => "disk";

    /// <summary>Capacity in sectors.</summary>
    public uint Sectors => (uint)(store.Length / SectorSize);

    /// <summary>Sectors read and written since start, for the storage labs.</summary>
    public ulong SectorsRead { get; private set; }

    /// <inheritdoc cref="SectorsRead"/>
    public ulong SectorsWritten { get; private set; }

    /// <inheritdoc/>
    public uint Read(uint offset, int size) => offset switch
    {
        0 => sector,
        1 => address,
        2 => count,
        4 => status,
        5 => Sectors,
        6 => control,
        _ => 0,
    };

    /// <inheritdoc/>
    public void Write(uint offset, int size, uint value)
    {
        switch (offset)
        {
            case 0: sector = value; break;
            case 1: address = value; break;
            case 2: count = value; break;
            case 3: status = Execute(value); if ((control & 1) != 0) raiseIrq(Irq); break;
            case 6: control = value; break;
        }
    }

    private uint Execute(uint command)
    {
        if (command is not (1 or 2)) return 3;
        if ((ulong)sector + count > Sectors) return 1;
        var bytes = count * SectorSize;
        if (!memory.Contains(address, bytes)) return 2;
        store.Position = (long)sector * SectorSize;
        var span = memory.Slice(address, bytes);
        if (command == 1)
        {
            store.ReadExactly(span);
            SectorsRead += count;
        }
        else
        {
            if (!store.CanWrite) return 1;
            store.Write(span);
            store.Flush();
            SectorsWritten += count;
        }
        return 0;
    }

    /// <inheritdoc/>
    public void Save(BinaryWriter writer)
    {
        writer.Write(sector); writer.Write(address); writer.Write(count); writer.Write(status); writer.Write(control);
        writer.Write(store.Length);
        store.Position = 0;
        store.CopyTo(writer.BaseStream);
    }

    /// <inheritdoc/>
    public void Restore(BinaryReader reader)
    {
        sector = reader.ReadUInt32(); address = reader.ReadUInt32(); count = reader.ReadUInt32();
        status = reader.ReadUInt32(); control = reader.ReadUInt32();
        var length = reader.ReadInt64();
        var contents = reader.ReadBytes(checked((int)length));
        if (store.CanWrite)
        {
            store.SetLength(length);
            store.Position = 0;
            store.Write(contents);
        }
    }
}
