namespace VirtualizationWorkbench.Machine.Devices;

/// <summary>
/// A block disk of 512-byte sectors, backed by memory, a file or any <see cref="IBlockStore"/> (a volume),
/// with DMA to physical memory.
/// Registers (ports 0x1F0 + n): 0 sector number, 1 physical memory address, 2 sector count,
/// 3 command (write 1 = read sectors into memory, 2 = write memory to sectors; done at once unless the store
/// queues it), 4 status (0 ok, 1 out of range or read-only, 2 bad memory address, 3 unknown command,
/// 4 I/O error: the store failed the request, 5 busy: the store holds the request — read the status again
/// until it is not 5), 5 capacity in sectors (read-only; it grows when the volume behind the disk grows),
/// 6 control (bit 0: raise IRQ 2 when a command completes).
/// </summary>
public sealed class BlockDisk : IDevice
{
    /// <summary>Bytes per sector.</summary>
    public const int SectorSize = 512;
    /// <summary>The interrupt line used for completions.</summary>
    public const int Irq = 2;

    /// <summary>Status: the store failed the request.</summary>
    public const uint StatusIoError = 4;
    /// <summary>Status: the store holds the request; poll again.</summary>
    public const uint StatusBusy = 5;

    private readonly IBlockStore store;
    private readonly Memory.PhysicalMemory memory;
    private readonly Action<int> raiseIrq;
    private uint sector, address, count, status, control;
    // The command the store queued (0: none); retried each time the guest reads the status.
    private uint pending;

    /// <summary>A disk over <paramref name="store"/> (readable, writable and seekable; its length is the capacity).</summary>
    public BlockDisk(Stream store, Memory.PhysicalMemory memory, Action<int> raiseIrq)
        : this(new StreamBlockStore(store), memory, raiseIrq)
    {
    }

    /// <summary>A disk over any block store: a volume looks to the guest exactly like a disk.</summary>
    public BlockDisk(IBlockStore store, Memory.PhysicalMemory memory, Action<int> raiseIrq)
    {
        this.store = store;
        this.memory = memory;
        this.raiseIrq = raiseIrq;
    }

    /// <summary>What the disk keeps its sectors in.</summary>
    public IBlockStore Store => store;

    /// <inheritdoc/>
    public string Name => "disk";

    /// <summary>Capacity in sectors.</summary>
    public uint Sectors => store.Sectors;

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
        4 => Status(),
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
            case 3: Start(value); break;
            case 6: control = value; break;
        }
    }

    private void Start(uint command)
    {
        status = Execute(command);
        pending = status == StatusBusy ? command : 0;
        if (status != StatusBusy && (control & 1) != 0) raiseIrq(Irq);
    }

    // A queued request is retried when the guest polls: the store decides (by its own virtual clock) whether
    // it now completes, fails or stays queued.
    private uint Status()
    {
        if (pending != 0) Start(pending);
        return status;
    }

    private uint Execute(uint command)
    {
        if (command is not (1 or 2)) return 3;
        if ((ulong)sector + count > Sectors) return 1;
        var bytes = count * SectorSize;
        if (!memory.Contains(address, bytes)) return 2;
        var span = memory.Slice(address, bytes);
        var answer = command == 1 ? store.Read(sector, span) : store.Write(sector, span);
        if (answer == BlockStatus.Ok)
        {
            if (command == 1) SectorsRead += count;
            else SectorsWritten += count;
        }
        return answer switch
        {
            BlockStatus.Ok => 0,
            BlockStatus.ReadOnly => 1,
            BlockStatus.Queued => StatusBusy,
            _ => StatusIoError,
        };
    }

    /// <inheritdoc/>
    public void Save(BinaryWriter writer)
    {
        writer.Write(sector); writer.Write(address); writer.Write(count); writer.Write(status); writer.Write(control);
        if (store is StreamBlockStore { Stream: var stream })
        {
            writer.Write(stream.Length);
            stream.Position = 0;
            stream.CopyTo(writer.BaseStream);
            return;
        }
        // Another store (a volume) is saved as the guest sees it, sector by sector.
        var buffer = new byte[SectorSize];
        writer.Write((long)store.Sectors * SectorSize);
        for (uint s = 0; s < store.Sectors; s++)
        {
            if (store.Read(s, buffer) != BlockStatus.Ok) Array.Clear(buffer);
            writer.Write(buffer);
        }
    }

    /// <inheritdoc/>
    public void Restore(BinaryReader reader)
    {
        sector = reader.ReadUInt32(); address = reader.ReadUInt32(); count = reader.ReadUInt32();
        status = reader.ReadUInt32(); control = reader.ReadUInt32();
        // A request a store held is not part of the saved state: the restored guest sees it failed, never lost.
        pending = 0;
        if (status == StatusBusy) status = StatusIoError;
        var length = reader.ReadInt64();
        var contents = reader.ReadBytes(checked((int)length));
        if (store is StreamBlockStore { Stream: var stream })
        {
            if (stream.CanWrite)
            {
                stream.SetLength(length);
                stream.Position = 0;
                stream.Write(contents);
            }
            return;
        }
        var sectors = (uint)Math.Min(contents.Length / SectorSize, store.Sectors);
        for (uint s = 0; s < sectors; s++)
        {
            store.Write(s, contents.AsSpan((int)(s * SectorSize), SectorSize));
        }
    }
}
