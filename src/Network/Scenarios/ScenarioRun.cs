using VirtualizationWorkbench.Machine;
using VirtualizationWorkbench.Network.Capture;
using VirtualizationWorkbench.Network.Switching;

namespace VirtualizationWorkbench.Network.Scenarios;

/// <summary>
/// A scenario running: its switches, cables and machines, advanced one tick (100 µs) at a time. In a tick every
/// machine runs its share of instructions (its card's frames enter their switch at once), then every switch
/// sends what its ports' line rates allow and ages its forwarding database. The same scenario gives the same frames, counters and captures on
/// every run. Changes (<see cref="Apply"/>) may be made between ticks, while traffic flows.
/// </summary>
public sealed class ScenarioRun
{
    /// <summary>Guest memory per machine: the built-in programs need a few KiB.</summary>
    public const uint MachineMemory = 256 * 1024;

    private readonly SortedDictionary<int, LatencyStatistics> delivered = [];
    private readonly List<TimedChange> pending;
    private readonly Dictionary<string, MemoryStream> captureStreams = [];

    /// <summary>Builds the network of <paramref name="scenario"/>, its programs read through <paramref name="programs"/>.</summary>
    public ScenarioRun(Scenario scenario, ProgramFiles programs)
    {
        Scenario = scenario;
        Switches = scenario.Switches.ToDictionary(s => s.Name, s => new VlanSwitch(s.Name, s.Ports, s.Kind, s.AgeingTicks, s.QueueLimit));
        foreach (var setting in scenario.Ports) Apply(setting);
        foreach (var link in scenario.Links) Cable.Connect(Port(link.A), Port(link.B));
        Machines = [.. scenario.Machines.Select(spec => Start(spec, programs))];
        pending = [.. scenario.Timeline];
        Applied.Clear();
    }

    /// <summary>What is running.</summary>
    public Scenario Scenario { get; }

    /// <summary>The switches, by name.</summary>
    public IReadOnlyDictionary<string, VlanSwitch> Switches { get; }

    /// <summary>The machines, in the scenario's order.</summary>
    public IReadOnlyList<NetworkMachine> Machines { get; }

    /// <summary>The current tick.</summary>
    public long Now { get; private set; }

    /// <summary>Changes applied so far, with their ticks, in order.</summary>
    public List<(long Tick, string Change)> Applied { get; } = [];

    /// <summary>Frames delivered to machines, per VLAN, with their latency.</summary>
    public IReadOnlyDictionary<int, LatencyStatistics> Delivered => delivered;

    /// <summary>A port by reference.</summary>
    public SwitchPort Port(PortRef port) => Switches[port.Switch].Port(port.Number);

    /// <summary>Starts capturing <paramref name="ports"/> (every connected port when empty) from now on.</summary>
    public void Capture(IReadOnlyList<PortRef> ports)
    {
        var chosen = ports.Count > 0 ? ports.Select(Port) : Switches.Values.SelectMany(s => s.Ports).Where(p => p.Peer is not null);
        foreach (var port in chosen)
        {
            if (port.Capture is not null) continue;
            var stream = new MemoryStream();
            captureStreams[port.Name] = stream;
            port.Capture = new PcapWriter(stream, VlanSwitch.TickMicroseconds);
        }
    }

    /// <summary>The captures so far, as pcap files' bytes, by port name (<c>SWITCH.N</c>).</summary>
    public IReadOnlyDictionary<string, byte[]> Captures => captureStreams.OrderBy(c => c.Key, StringComparer.Ordinal).ToDictionary(c => c.Key, c => c.Value.ToArray());

    /// <summary>Applies a change now (a <c>port</c> or <c>vlan</c> line); a <see cref="ScenarioError"/> if it
    /// names a port that does not exist or cannot apply to it.</summary>
    public void Apply(ScenarioChange change)
    {
        var port = Resolve(change);
        if (change is VlanMembership { Add: true } && port.Mode == PortMode.Access)
        {
            throw change.Spot.Error($"{port.Name} is an access port: it carries one VLAN, untagged", $"make it a trunk first: port {port.Name} trunk allowed=...");
        }
        change.Apply(port);
        Applied.Add((Now, change.Describe()));
    }

    /// <summary>Schedules a change at a tick (now, if it is past). A change naming a port that does not exist, or
    /// a trunk on a static switch, is refused now rather than when the run gets there; whether a <c>vlan add</c>
    /// meets a trunk depends on the changes before it, so that is checked when it applies.</summary>
    public void Schedule(TimedChange change)
    {
        Resolve(change.Change);
        pending.Add(change);
        pending.Sort((a, b) => a.Tick.CompareTo(b.Tick));
    }

    private SwitchPort Resolve(ScenarioChange change)
    {
        if (!Switches.TryGetValue(change.Port.Switch, out var sw))
        {
            throw change.Spot.Error($"no switch named '{change.Port.Switch}'", $"switches: {string.Join(", ", Switches.Keys)}");
        }
        if (change.Port.Number > sw.Ports.Count) throw change.Spot.Error($"switch {sw.Name} has ports 1 to {sw.Ports.Count}, not {change.Port.Number}");
        if (sw.Kind == SwitchKind.PortBased && change is PortSetting { Mode: PortMode.Trunk } or VlanMembership)
        {
            throw change.Spot.Error($"switch {sw.Name} has static port-based VLANs: no trunks or tags", $"write 'port {change.Port} access vlan=V'");
        }
        return sw.Port(change.Port.Number);
    }

    /// <summary>Runs <paramref name="ticks"/> ticks.</summary>
    public void Run(long ticks)
    {
        var budget = Scenario.InstructionsPerTick;
        for (var t = 0L; t < ticks; t++)
        {
            while (pending.Count > 0 && pending[0].Tick <= Now)
            {
                Apply(pending[0].Change);
                pending.RemoveAt(0);
            }
            foreach (var machine in Machines) machine.Computer.Run(budget);
            foreach (var sw in Switches.Values)
            {
                sw.Transmit(Now);
                sw.Age(Now);
            }
            Now++;
        }
    }

    /// <summary>Runs to the scenario's duration.</summary>
    public void RunToEnd() => Run(Math.Max(0, Scenario.DurationTicks - Now));

    internal void RecordDelivery(int vid, long latency, int bytes)
    {
        if (!delivered.TryGetValue(vid, out var statistics)) delivered[vid] = statistics = new LatencyStatistics();
        statistics.Add(latency, bytes);
    }

    private NetworkMachine Start(MachineSpec spec, ProgramFiles programs)
    {
        var image = programs.Assemble(spec.Program, spec.Spot);
        var computer = new Computer(new MachineConfiguration { MemorySize = MachineMemory, DiskSectors = 1 });
        computer.Load(image);
        // State is a ref to the core's registers: a plain local would copy them.
        ref var state = ref computer.Cores[0].State;
        var peer = spec.PeerMac?.Value ?? 0xFFFF_FFFF_FFFF;
        state.R[2] = (uint)peer;
        state.R[3] = (uint)(peer >> 32);
        state.R[4] = (uint)spec.Count;
        state.R[5] = (uint)spec.Vlan;
        state.R[6] = (uint)spec.Pcp;
        state.R[7] = (uint)spec.Length;
        state.R[8] = (uint)spec.Pause;
        return new NetworkMachine(this, spec, computer, Port(spec.Port));
    }
}
