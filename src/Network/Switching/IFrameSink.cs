namespace VirtualizationWorkbench.Network.Switching;

/// <summary>What is at the far end of a switch port's cable: a machine's network card or another switch's port.</summary>
public interface IFrameSink
{
    /// <summary>Takes one frame off the wire at tick <paramref name="now"/>.</summary>
    void Accept(ReadOnlySpan<byte> frame, FrameMeta meta, long now);
}
