using System.Text;
using VirtualizationWorkbench.Network.Switching;

namespace VirtualizationWorkbench.Network.Scenarios;

/// <summary>What a scenario run measured, as plain values: per VLAN, per port and per machine. <c>workbench network
/// run --json</c> prints it as JSON; <see cref="ToText"/> as a table.</summary>
public sealed record ScenarioReport(
    string Scenario, double DurationMs, IReadOnlyList<ScenarioReport.VlanRow> Vlans, IReadOnlyList<ScenarioReport.PortRow> Ports,
    IReadOnlyList<ScenarioReport.MachineRow> Machines, IReadOnlyList<ScenarioReport.StationRow> Stations, IReadOnlyList<string> Changes)
{
    /// <summary>One VLAN: frames and bytes delivered to machines, frames dropped by any switch, and the latency of
    /// delivered frames from the first switch port to the receiving card, in microseconds.</summary>
    public sealed record VlanRow(int Vlan, long Frames, long Bytes, long Drops, double MeanLatencyUs, double P99LatencyUs, double MaxLatencyUs);

    /// <summary>One switch port and its counters.</summary>
    public sealed record PortRow(string Port, string Config, string Peer, long ReceivedFrames, long SentFrames, long SentBytes, long Flooded,
        long TagsInserted, long TagsRemoved, long Drops, IReadOnlyDictionary<string, long> DropsByReason, int PeakQueue);

    /// <summary>One machine: its card's counters and its guest program's (r9 sent, r10 received, r12 replies).</summary>
    public sealed record MachineRow(string Machine, string Port, string Mac, string Program, long CardSent, long CardReceived, long CardDropped,
        long GuestSent, long GuestReceived, long GuestReplies);

    /// <summary>One station a switch has learned (an entry of its forwarding database, as <c>bridge fdb show</c>
    /// lists it): in which VLAN, on which port, and how long ago it was last seen, in milliseconds.</summary>
    public sealed record StationRow(string Switch, int Vlan, string Mac, int Port, double SeenMsAgo);

    /// <summary>The report of <paramref name="run"/> as it stands.</summary>
    public static ScenarioReport Of(ScenarioRun run)
    {
        var drops = new SortedDictionary<int, long>();
        foreach (var sw in run.Switches.Values)
        {
            foreach (var (vid, counters) in sw.Vlans) drops[vid] = drops.GetValueOrDefault(vid) + counters.Drops;
        }
        var vids = drops.Keys.Union(run.Delivered.Keys).Order();
        const double Us = VlanSwitch.TickMicroseconds;
        var vlans = vids.Select(v =>
        {
            var d = run.Delivered.GetValueOrDefault(v);
            return new VlanRow(v, d?.Frames ?? 0, d?.Bytes ?? 0, drops.GetValueOrDefault(v),
                Math.Round((d?.Mean ?? 0) * Us, 1), (d?.Percentile(0.99) ?? 0) * Us, (d?.Max ?? 0) * Us);
        }).ToList();
        var peers = new Dictionary<SwitchPort, string>();
        foreach (var m in run.Machines) peers[m.Port] = m.Name;
        foreach (var link in run.Scenario.Links)
        {
            peers[run.Port(link.A)] = link.B.ToString();
            peers[run.Port(link.B)] = link.A.ToString();
        }
        var ports = run.Switches.Values.SelectMany(s => s.Ports).Where(p => peers.ContainsKey(p) || p.Statistics.ReceivedFrames > 0).Select(p => new PortRow(
            p.Name, p.Describe(), peers.GetValueOrDefault(p, ""), p.Statistics.ReceivedFrames, p.Statistics.SentFrames, p.Statistics.SentBytes,
            p.Statistics.FloodedFrames, p.Statistics.TagsInserted, p.Statistics.TagsRemoved, p.Statistics.DroppedFrames,
            Enum.GetValues<DropReason>().Where(r => p.Statistics.Dropped(r) > 0).ToDictionary(r => r.ToString(), r => p.Statistics.Dropped(r)),
            p.Statistics.PeakQueue)).ToList();
        var machines = run.Machines.Select(m => new MachineRow(m.Name, m.Port.Name, m.Spec.Mac.ToString(), m.Spec.Program,
            (long)m.Computer.Network.FramesSent, (long)m.Computer.Network.FramesReceived, (long)m.Computer.Network.FramesDropped,
            m.Register(9), m.Register(10), m.Register(12))).ToList();
        // Entries past the ageing time are left out: the switch no longer knows them, though its sweep may be due.
        var stations = run.Switches.Values.SelectMany(sw => sw.Table.Entries.Where(e => run.Now - e.LastSeen <= sw.Table.AgeingTicks)
            .Select(e => new StationRow(sw.Name, e.Vid, e.Mac.ToString(), e.Port, (run.Now - e.LastSeen) * Us / 1000))).ToList();
        return new ScenarioReport(run.Scenario.Name, run.Now * Us / 1000, vlans, ports, machines, stations, [.. run.Applied.Select(a => $"{a.Tick * Us / 1000:0.#}ms {a.Change}")]);
    }

    /// <summary>The report as text tables.</summary>
    public string ToText()
    {
        var text = new StringBuilder();
        text.AppendLine($"{Scenario}: {DurationMs:0.#} ms");
        text.AppendLine();
        text.AppendLine("VLAN   delivered      bytes   drops   latency mean / p99 / max (us)");
        foreach (var v in Vlans)
        {
            text.AppendLine($"{(v.Vlan == 0 ? "none" : v.Vlan.ToString()),-5} {v.Frames,10} {v.Bytes,10} {v.Drops,7}   {v.MeanLatencyUs,8:0.#} / {v.P99LatencyUs:0.#} / {v.MaxLatencyUs:0.#}");
        }
        text.AppendLine();
        text.AppendLine("port       config                         peer        in      out  flooded  tagged  untagged  drops  peak queue");
        foreach (var p in Ports)
        {
            var reasons = p.DropsByReason.Count == 0 ? "" : " (" + string.Join(", ", p.DropsByReason.Select(r => $"{r.Key} {r.Value}")) + ")";
            text.AppendLine($"{p.Port,-10} {p.Config,-30} {p.Peer,-8} {p.ReceivedFrames,6} {p.SentFrames,8} {p.Flooded,8} {p.TagsInserted,7} {p.TagsRemoved,9} {p.Drops,6}{reasons} {p.PeakQueue,5}");
        }
        text.AppendLine();
        text.AppendLine("machine    port       program   card sent  received  dropped   guest sent  received  replies");
        foreach (var m in Machines)
        {
            text.AppendLine($"{m.Machine,-10} {m.Port,-10} {m.Program,-9} {m.CardSent,9} {m.CardReceived,9} {m.CardDropped,8}   {m.GuestSent,10} {m.GuestReceived,9} {m.GuestReplies,8}");
        }
        text.AppendLine();
        text.AppendLine("stations learned (bridge fdb show)");
        text.AppendLine("switch     vlan  mac                port  seen (ms ago)");
        foreach (var st in Stations)
        {
            text.AppendLine($"{st.Switch,-10} {st.Vlan,4}  {st.Mac}  {st.Port,4}  {st.SeenMsAgo,8:0.0}");
        }
        if (Changes.Count > 0)
        {
            text.AppendLine();
            text.AppendLine("changes:");
            foreach (var c in Changes) text.AppendLine("  " + c);
        }
        return text.ToString();
    }
}
