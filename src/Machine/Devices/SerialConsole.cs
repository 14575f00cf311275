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
    // Undrained output is a ring: outputCount bytes from outputStart (the oldest), wrapping at the end of the
    // array. It starts at 4 KiB like a UART FIFO, so a guest printing a little between drains costs no host
    // allocation, and doubles up to OutputLimit; once full, a new byte overwrites the oldest in place (removing
    // from the front of a list moved the whole mebibyte for every byte).
    private byte[] output = new byte[4096];
    private int outputStart;
    private int outputCount;
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

    /// <summary>Takes (and clears) what the guest has written since the last call: at most the newest
    /// <see cref="OutputLimit"/> bytes, oldest first.</summary>
    public byte[] Drain()
    {
        var bytes = PendingBytes();
        outputStart = 0;
        outputCount = 0;
        return bytes;
    }

    /// <summary>What the guest has written and nobody has drained yet, as UTF-8 text.</summary>
    public string PendingText => Encoding.UTF8.GetString(PendingBytes());

    /// <summary>The undrained output in order: the ring's part from the oldest byte to the end of the array,
    /// then the part that wrapped to its start.</summary>
    private byte[] PendingBytes()
    {
        var bytes = new byte[outputCount];
        var first = Math.Min(outputCount, output.Length - outputStart);
        output.AsSpan(outputStart, first).CopyTo(bytes);
        output.AsSpan(0, outputCount - first).CopyTo(bytes.AsSpan(first));
        return bytes;
    }

    private void Append(byte value)
    {
        if (outputCount == output.Length)
        {
            if (output.Length == OutputLimit)
            {
                // Full: the oldest byte makes room for the newest, and the oldest is now the next one.
                output[outputStart] = value;
                outputStart = outputStart + 1 == output.Length ? 0 : outputStart + 1;
                dropped++;
                return;
            }
            var larger = new byte[Math.Min(output.Length * 2, OutputLimit)];
            PendingBytes().CopyTo(larger, 0);
            output = larger;
            outputStart = 0;
        }
        var end = outputStart + outputCount;
        output[end < output.Length ? end : end - output.Length] = value;
        outputCount++;
    }

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
                Append((byte)value);
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
        // Oldest first, as a list of bytes: the format does not depend on where the ring stood.
        writer.Write(outputCount);
        writer.Write(PendingBytes());
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
        outputStart = 0;
        outputCount = 0;
        foreach (var b in reader.ReadBytes(reader.ReadInt32()))
        {
            Append(b);
        }
    }
}
