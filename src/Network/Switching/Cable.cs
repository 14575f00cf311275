namespace VirtualizationWorkbench.Network.Switching;

/// <summary>A cable between two switch ports: what one sends, the other receives in the same tick.</summary>
public sealed class Cable : IFrameSink
{
    private readonly SwitchPort to;

    private Cable(SwitchPort to) => this.to = to;

    /// <summary>Plugs a cable between <paramref name="a"/> and <paramref name="b"/>.</summary>
    public static void Connect(SwitchPort a, SwitchPort b)
    {
        a.Peer = new Cable(b);
        b.Peer = new Cable(a);
    }

    /// <inheritdoc/>
    public void Accept(ReadOnlySpan<byte> frame, FrameMeta meta, long now) => to.Switch.Receive(to.Number, frame, meta.Born, now);
}
