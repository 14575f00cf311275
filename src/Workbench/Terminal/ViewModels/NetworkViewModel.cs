using VirtualizationWorkbench.Network.Scenarios;
using VirtualizationWorkbench.Network.Switching;

namespace VirtualizationWorkbench.Workbench.Terminal.ViewModels;

/// <summary>
/// What the network lab's screen shows of a running scenario: the topology (switches, their connected ports and
/// what is plugged in), the ports with their VLANs and live counters, and the VLANs with what they carried. No UI
/// types: the screen draws these rows, calls <see cref="Step"/> to let time run and <see cref="Change"/> to change a
/// port's VLANs while traffic flows.
/// </summary>
public sealed class NetworkViewModel(ScenarioRun run)
{
    /// <summary>One connected port: its configuration and counters.</summary>
    public sealed record PortLine(string Port, string Config, string Peer, long In, long Out, long Flooded, long Drops, int Queued);

    /// <summary>One VLAN: the ports that carry it (tagged ones marked <c>T</c>) and what reached machines.</summary>
    public sealed record VlanLine(int Vlan, string Members, long Delivered, long Drops, double MeanLatencyUs);

    /// <summary>The scenario's name and the virtual time, e.g. "two tenants — 12.3 ms".</summary>
    public string Title => $"{run.Scenario.Name} — {run.Now * VlanSwitch.TickMicroseconds / 1000.0:0.0} ms";

    /// <summary>The topology as text lines: each switch, then each connected port and what is at its other end.</summary>
    public IReadOnlyList<string> Topology
    {
        get
        {
            var lines = new List<string>();
            foreach (var sw in run.Switches.Values)
            {
                lines.Add($"{sw.Name} ({(sw.Kind == SwitchKind.Dot1Q ? "802.1Q" : "port-based VLANs")}, {sw.Ports.Count} ports, {sw.Table.Count} stations learned)");
                foreach (var port in sw.Ports.Where(p => p.Peer is not null))
                {
                    lines.Add($"  {port.Number,2} {(port.Mode == PortMode.Trunk ? "══" : "──")} {Peer(port)}   [{port.Describe()}]");
                }
            }
            return lines;
        }
    }

    /// <summary>The connected ports with their counters now.</summary>
    public IReadOnlyList<PortLine> Ports =>
        [.. run.Switches.Values.SelectMany(s => s.Ports).Where(p => p.Peer is not null).Select(p => new PortLine(
            p.Name, p.Describe(), Peer(p), p.Statistics.ReceivedFrames, p.Statistics.SentFrames, p.Statistics.FloodedFrames, p.Statistics.DroppedFrames, p.Queues.Count))];

    /// <summary>Every VLAN some port is a member of, with its member ports and counters now.</summary>
    public IReadOnlyList<VlanLine> Vlans
    {
        get
        {
            var report = ScenarioReport.Of(run);
            var ports = run.Switches.Values.SelectMany(s => s.Ports).Where(p => p.Peer is not null).ToList();
            var vids = ports.SelectMany(p => p.TaggedVlans.Append(p.Pvid)).Where(v => v != 0).Distinct().Order();
            return [.. vids.Select(v =>
            {
                var row = report.Vlans.FirstOrDefault(r => r.Vlan == v);
                var members = string.Join(' ', ports.Where(p => p.IsMember(v)).Select(p => p.EgressUntagged(v) ? p.Name : p.Name + "(T)"));
                return new VlanLine(v, members, row?.Frames ?? 0, row?.Drops ?? 0, row?.MeanLatencyUs ?? 0);
            })];
        }
    }

    /// <summary>Each switch's forwarding database as <c>bridge fdb show</c> would list it: the stations it learned,
    /// per VLAN, with the port each was last seen on and how long ago, e.g. <c>sw  vlan 10    02:00:00:00:00:01  port 1
    /// seen 0.3 ms ago</c>. Entries past the ageing time are left out.</summary>
    public IReadOnlyList<string> Stations =>
        [.. ScenarioReport.Of(run).Stations.Select(s => $"{s.Switch}  vlan {s.Vlan,-4}  {s.Mac}  port {s.Port,-2}  seen {s.SeenMsAgo:0.0} ms ago")];

    /// <summary>Advances the network by <paramref name="ticks"/> ticks of 100 µs (the screen's live view).</summary>
    public void Step(long ticks) => run.Run(ticks);

    /// <summary>The changes made so far, each with the virtual time it took effect: <c>12.3ms port sw.3 access vlan=10</c>.</summary>
    public IReadOnlyList<string> Changes => ScenarioReport.Of(run).Changes;

    /// <summary>
    /// Changes a port's VLANs now, while traffic flows, as <c>--at</c> and a lab script's <c>net.change</c> do: a
    /// <c>port</c> or <c>vlan</c> line of the scenario format. Returns what was done, or the mistake (where, what,
    /// what to do) with nothing changed.
    /// </summary>
    public string Change(string line)
    {
        try
        {
            var change = ScenarioParser.ParseChange(line, "change", run.Now);
            if (change.Tick != run.Now) return "change: the view changes a port now; leave out 'at TIME' (--at on the command line schedules)";
            run.Apply(change.Change);
            return $"{change.Change.Describe()}, at {run.Now * VlanSwitch.TickMicroseconds / 1000.0:0.0} ms";
        }
        catch (ScenarioError e)
        {
            return e.Message;
        }
    }

    private string Peer(SwitchPort port)
    {
        if (run.Machines.FirstOrDefault(m => m.Port == port) is { } machine) return $"{machine.Name} ({machine.Spec.Mac})";
        var link = run.Scenario.Links.FirstOrDefault(l => run.Port(l.A) == port || run.Port(l.B) == port);
        return link is null ? "" : run.Port(link.A) == port ? link.B.ToString() : link.A.ToString();
    }
}
