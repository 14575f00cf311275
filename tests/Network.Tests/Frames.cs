using VirtualizationWorkbench.Network.Ethernet;
using VirtualizationWorkbench.Network.Switching;

namespace VirtualizationWorkbench.Network.Tests;

/// <summary>Frames for tests, and a sink that keeps what a port sends.</summary>
internal static class Frames
{
    public static byte[] Untagged(MacAddress destination, MacAddress source, int length, byte fill = 0x55)
    {
        var frame = new byte[length];
        destination.Write(frame);
        source.Write(frame.AsSpan(6));
        frame[12] = 0x88;
        frame[13] = 0xB5;
        for (var i = 14; i < length; i++) frame[i] = fill;
        return frame;
    }

    public static byte[] Tagged(MacAddress destination, MacAddress source, int length, Dot1QTag tag) =>
        tag.InsertInto(Untagged(destination, source, length - Dot1QTag.Length));

    public static MacAddress Mac(int n) => new(0x02_00_00_00_00_00UL + (ulong)n);

    /// <summary>What a port sent, in order.</summary>
    public sealed class Sink : IFrameSink
    {
        public List<(byte[] Frame, FrameMeta Meta, long Tick)> Received { get; } = [];

        public void Accept(ReadOnlySpan<byte> frame, FrameMeta meta, long now) => Received.Add((frame.ToArray(), meta, now));
    }
}
