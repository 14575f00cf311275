namespace VirtualizationWorkbench.Machine.Devices;

/// <summary>Where a network card's transmitted frames go: a cable, a switch port, a capture file.</summary>
public interface INetworkLink
{
    /// <summary>Carries one Ethernet frame (destination MAC first, no preamble or checksum).</summary>
    void Transmit(ReadOnlySpan<byte> frame);
}

/// <summary>
/// An Ethernet network card with DMA. Registers (ports 0x300 + n): 0 transmit buffer address, 1 transmit
/// length, 2 command (1 = send the transmit buffer, 2 = copy the next received frame to the receive
/// buffer), 3 receive buffer address, 4 length of the last received frame (0 if none), 5 status (bit 0: a
/// frame is waiting; bit 1: the last command failed), 6 control (bit 0: raise IRQ 3 when a frame arrives),
/// 7 MAC address low 32 bits, 8 MAC address high 16 bits. Frames are 14 to 1522 bytes (room for an 802.1Q tag).
/// </summary>
public sealed class NetworkCard(Memory.PhysicalMemory memory, Action<int> raiseIrq) : IDevice
{
    /// <summary>The interrupt line used for received frames.</summary>
    public const int Irq = 3;
    /// <summary>Smallest frame: two MAC addresses and the EtherType.</summary>
    public const int MinimumFrame = 14;
    /// <summary>Largest frame: 1518 bytes plus a 4-byte 802.1Q tag.</summary>
    public const int MaximumFrame = 1522;
    /// <summary>Frames waiting beyond this are dropped, as a real card's ring overflows.</summary>
    public const int ReceiveQueueLimit = 256;

    private readonly Queue<byte[]> received = new();
    private uint txAddress, txLength, rxAddress, rxLength, status, control;

    /// <inheritdoc/>
    public string Name => "nic";

    /// <summary>The card's MAC address (48 bits).</summary>
    public ulong MacAddress { get; set; } = 0x02_00_00_00_00_01;

    /// <summary>Where sent frames go; null drops them.</summary>
    public INetworkLink? Link { get; set; }

    /// <summary>Frames sent and received, and frames dropped because the queue was full.</summary>
    public ulong FramesSent { get; private set; }

    /// <inheritdoc cref="FramesSent"/>
    public ulong FramesReceived { get; private set; }

    /// <inheritdoc cref="FramesSent"/>
    public ulong FramesDropped { get; private set; }

    /// <summary>Hands the card a frame from the wire; raises IRQ 3 if enabled.</summary>
    public void Deliver(ReadOnlySpan<byte> frame)
    {
        if (frame.Length is < MinimumFrame or > MaximumFrame || received.Count >= ReceiveQueueLimit)
        {
            FramesDropped++;
            return;
        }
        received.Enqueue(frame.ToArray());
        if ((control & 1) != 0) raiseIrq(Irq);
    }

    /// <inheritdoc/>
    public uint Read(uint offset, int size) => offset switch
    {
        0 => txAddress,
        1 => txLength,
        3 => rxAddress,
        4 => rxLength,
        5 => (received.Count > 0 ? 1u : 0u) | (status & 2),
        6 => control,
        7 => (uint)MacAddress,
        8 => (uint)(MacAddress >> 32) & 0xFFFF,
        _ => 0,
    };

    /// <inheritdoc/>
    public void Write(uint offset, int size, uint value)
    {
        switch (offset)
        {
            case 0: txAddress = value; break;
            case 1: txLength = value; break;
            case 2: status = Command(value) ? 0u : 2u; break;
            case 3: rxAddress = value; break;
            case 6: control = value; break;
        }
    }

    private bool Command(uint command)
    {
        if (command == 1)
        {
            if (txLength is < MinimumFrame or > MaximumFrame || !memory.Contains(txAddress, txLength)) return false;
            Link?.Transmit(memory.Slice(txAddress, txLength));
            FramesSent++;
            return true;
        }
        if (command == 2)
        {
            if (received.Count == 0) { rxLength = 0; return false; }
            var frame = received.Peek();
            if (!memory.Contains(rxAddress, (uint)frame.Length)) return false;
            received.Dequeue();
            frame.CopyTo(memory.Slice(rxAddress, (uint)frame.Length));
            rxLength = (uint)frame.Length;
            FramesReceived++;
            return true;
        }
        return false;
    }

    /// <inheritdoc/>
    public void Save(BinaryWriter writer)
    {
        writer.Write(txAddress); writer.Write(txLength); writer.Write(rxAddress); writer.Write(rxLength);
        writer.Write(status); writer.Write(control); writer.Write(MacAddress);
        writer.Write(received.Count);
        foreach (var frame in received)
        {
            writer.Write(frame.Length);
            writer.Write(frame);
        }
    }

    /// <inheritdoc/>
    public void Restore(BinaryReader reader)
    {
        txAddress = reader.ReadUInt32(); txLength = reader.ReadUInt32(); rxAddress = reader.ReadUInt32();
        rxLength = reader.ReadUInt32(); status = reader.ReadUInt32(); control = reader.ReadUInt32();
        MacAddress = reader.ReadUInt64();
        received.Clear();
        var n = reader.ReadInt32();
        for (var i = 0; i < n; i++)
        {
            received.Enqueue(reader.ReadBytes(reader.ReadInt32()));
        }
    }
}
