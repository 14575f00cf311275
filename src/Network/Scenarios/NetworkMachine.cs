using VirtualizationWorkbench.Machine;
using VirtualizationWorkbench.Machine.Devices;
using VirtualizationWorkbench.Network.Switching;

namespace VirtualizationWorkbench.Network.Scenarios;

/// <summary>
/// A workbench computer on the network: its network card's pluggable link is a switch port. What the card sends
/// enters the switch at once; what the port sends is handed to the card (which raises its interrupt and queues
/// the frame for the guest's driver), and its latency is recorded in its VLAN.
/// </summary>
public sealed class NetworkMachine : INetworkLink, IFrameSink
{
    private readonly ScenarioRun run;

    internal NetworkMachine(ScenarioRun run, MachineSpec spec, Computer computer, SwitchPort port)
    {
        this.run = run;
        Spec = spec;
        Computer = computer;
        Port = port;
        computer.Network.MacAddress = spec.Mac.Value;
        computer.Network.Link = this;
        port.Peer = this;
    }

    /// <summary>What the scenario said about the machine.</summary>
    public MachineSpec Spec { get; }

    /// <summary>The machine's name.</summary>
    public string Name => Spec.Name;

    /// <summary>The computer.</summary>
    public Computer Computer { get; }

    /// <summary>The switch port its card is plugged into.</summary>
    public SwitchPort Port { get; }

    /// <summary>A general register of the guest (its results: r9 sent, r10 received, r12 replies).</summary>
    public uint Register(int n) => Computer.Cores[0].State.R[n];

    /// <inheritdoc/>
    public void Transmit(ReadOnlySpan<byte> frame) => Port.Switch.Receive(Port.Number, frame, run.Now, run.Now);

    /// <inheritdoc/>
    public void Accept(ReadOnlySpan<byte> frame, FrameMeta meta, long now)
    {
        var before = Computer.Network.FramesDropped;
        Computer.Network.Deliver(frame);
        if (Computer.Network.FramesDropped == before) run.RecordDelivery(meta.Vid, now - meta.Born, frame.Length);
    }
}
