using System.Text;

namespace VirtualizationWorkbench.Machine.Devices;

/// <summary>
/// The serial console. Registers (ports 0x3F8-0x3FA, or device memory at 0xF000_0000 + 4 × register):
/// 0 data (write: send a byte; read: next input byte, 0xFFFFFFFF if none), 1 status (bit 0: input waiting,
/// bit 1: ready to send, always set), 2 control (bit 0: raise IRQ 1 when input arrives).
/// Output collects in a buffer the host drains; input is fed by the host.
/// </summary>
public sealed class SerialConsole(Action<int> raiseIrq) : IDevice
{
    /// <summary>The interrupt line used for input.</summary>
    public const int Irq = 1;

    /// <summary>At most this much output is kept undrained; older output is dropped so a guest printing
    /// without end cannot exhaust the host's memory.</summary>
    public const int OutputLimit = 1 << 20;

    private readonly Queue<byte> input = new();
    // Preallocated like a UART FIFO, so a guest printing (up to 4 KiB between drains) costs no host allocation.
    private readonly List<byte> output = new(4096);
    private uint control;
    private long dropped;

    /// <inheritdoc/>
    public string Name => "console";

    /// <summary>Bytes dropped because the output buffer was full.</summary>
    public long DroppedBytes => dropped;

    /// <summary>Queues input for the guest and raises the input interrupt if enabled.</summary>
    public void Feed(string text) => Feed(Encoding.UTF8.GetBytes(text));

    /// <summary>Queues input bytes for the guest.</summary>
    public void Feed(ReadOnlySpan<byte> bytes)
    {
        foreach (var b in bytes)
        {
            input.Enqueue(b);
        }
        if (bytes.Length > 0 && (control & 1) != 0)
        {
            raiseIrq(Irq);
        }
    }

    /// <summary>Takes (and clears) what the guest has written since the last call.</summary>
    public byte[] Drain()
    {
        var bytes = output.ToArray();
        output.Clear();
        return bytes;
    }

    /// <summary>What the guest has written and nobody has drained yet, as UTF-8 text.</summary>
    public string PendingText => Encoding.UTF8.GetString(output.ToArray());

    /// <inheritdoc/>
    public uint Read(uint offset, int size) => Register(offset) switch
    {
        0 => input.Count > 0 ? input.Dequeue() : 0xFFFF_FFFF,
        1 => (input.Count > 0 ? 1u : 0u) | 2u,
        2 => control,
        _ => 0,
    };

    /// <inheritdoc/>
    public void Write(uint offset, int size, uint value)
    {
        switch (Register(offset))
        {
            case 0:
                if (output.Count >= OutputLimit)
                {
                    output.RemoveAt(0);
                    dropped++;
                }
                output.Add((byte)value);
                break;
            case 2:
                control = value;
                break;
        }
    }

    // Ports are one register each; in device memory registers are 4 bytes apart.
    private static uint Register(uint offset) => offset >= 4 ? offset / 4 : offset;

    /// <inheritdoc/>
    public void Save(BinaryWriter writer)
    {
        writer.Write(control);
        writer.Write(dropped);
        writer.Write(input.Count);
        writer.Write(input.ToArray());
        writer.Write(output.Count);
        writer.Write(output.ToArray());
    }

    /// <inheritdoc/>
    public void Restore(BinaryReader reader)
    {
        control = reader.ReadUInt32();
        dropped = reader.ReadInt64();
        input.Clear();
        foreach (var b in reader.ReadBytes(reader.ReadInt32()))
        {
            input.Enqueue(b);
        }
        output.Clear();
        output.AddRange(reader.ReadBytes(reader.ReadInt32()));
    }
}
