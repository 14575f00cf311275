using VirtualizationWorkbench.Network.Capture;
using VirtualizationWorkbench.Network.Ethernet;
using VirtualizationWorkbench.Network.Scenarios;
using VirtualizationWorkbench.Network.Switching;

namespace VirtualizationWorkbench.Labs.Scripting;

/// <summary>
/// A network scenario as lab scripts see it (<c>const net = lab.network("vlans.net")</c>): the student's scenario
/// file from the work folder, built with the built-in guest programs, run a slice at a time so the block's time
/// limit can stop it, and asked for its counters and for what a port's capture holds.
/// </summary>
public sealed class ScriptNetwork
{
    /// <summary>Frames <see cref="Frames"/> hands a script at most: a lab asks about a few, not a flood.</summary>
    public const int MaximumFrames = 10_000;


    private readonly ScenarioRun run;
    private readonly ScriptBudget budget;

    internal ScriptNetwork(ScenarioRun run, ScriptBudget budget)
    {
        this.run = run;
        this.budget = budget;
    }

    /// <summary>The running scenario (for the lab's network view; scripts never see it).</summary>
    public ScenarioRun Scenario => run;

    /// <summary>Builds the scenario in <paramref name="text"/> (named <paramref name="file"/> in errors).</summary>
    internal static ScriptNetwork Build(string text, string file, ScriptBudget budget)
    {
        try
        {
            var scenario = budget.Uncounted(() => ScenarioParser.Parse(text, file));
            if (scenario.Machines.Count > 16) throw new ScriptFailure($"network('{file}'): a lab's network has at most 16 machines");
            budget.Claim(scenario.Machines.Count * (long)ScenarioRun.MachineMemory, $"network('{file}')");
            return new ScriptNetwork(budget.Uncounted(() => new ScenarioRun(scenario, new ProgramFiles(null))), budget);
        }
        catch (ScenarioError e)
        {
            throw new ScriptFailure(e.Message);
        }
    }

    /// <summary>Runs the network for <paramref name="milliseconds"/> (0.1 to 10,000) of virtual time.</summary>
    public void Run(double milliseconds)
    {
        if (double.IsNaN(milliseconds) || milliseconds is < 0.1 or > 10_000) throw new ScriptFailure($"net.run(ms): 0.1 to 10000 ms, not {milliseconds}");
        var ticks = (long)Math.Round(milliseconds * 1000 / VlanSwitch.TickMicroseconds);
        for (var done = 0L; done < ticks; done += 10)
        {
            budget.ThrowIfSpent("net.run()");
            budget.Uncounted(() =>
            {
                run.Run(Math.Min(10, ticks - done));
                return 0;
            });
        }
    }

    /// <summary>Runs to the scenario's own duration.</summary>
    public void RunToEnd() => Run(Math.Max(0.1, (run.Scenario.DurationTicks - run.Now) * VlanSwitch.TickMicroseconds / 1000.0));

    /// <summary>Applies a change now: a <c>port</c> or <c>vlan</c> line.</summary>
    public void Change(string line)
    {
        try
        {
            run.Apply(ScenarioParser.ParseChange(line, "net.change()", run.Now).Change);
        }
        catch (ScenarioError e)
        {
            throw new ScriptFailure(e.Message);
        }
    }

    /// <summary>Captures port <paramref name="name"/> from the start, as <c>workbench network run --pcap</c> does, so
    /// that <see cref="Frames"/> numbers its frames as tshark does in the student's own capture file.</summary>
    public void Capture(string name)
    {
        var port = ConnectedPort(name, "net.capture(port)");
        if (run.Now != 0) throw new ScriptFailure($"net.capture('{name}') before net.run(): a capture holds what the port saw from the start, as --pcap does");
        run.Capture([new PortRef(port.Switch.Name, port.Number)]);
    }

    /// <summary>One frame of a capture, decoded as tshark shows it: <c>frame.number</c>, <c>frame.time_epoch</c> (in
    /// µs), <c>frame.len</c>, <c>eth.src</c>, <c>eth.dst</c>, and for a tagged frame <c>vlan.id</c>,
    /// <c>vlan.priority</c> and <c>vlan.dei</c> (0 for an untagged one).</summary>
    public sealed record CapturedFrame(int Number, long TimeUs, int Length, string Source, string Destination, bool Tagged, int Vid, int Pcp, int Dei);

    /// <summary>What port <paramref name="name"/>'s capture (<see cref="Capture"/>) holds so far: the bytes of the pcap
    /// file the command line would write, read back and decoded.</summary>
    public IReadOnlyList<CapturedFrame> Frames(string name)
    {
        var port = ConnectedPort(name, "net.frames(port)");
        if (!run.Captures.TryGetValue(port.Name, out var file)) throw new ScriptFailure($"net.frames('{name}'): the port is not captured; call net.capture('{name}') before net.run()");
        return budget.Uncounted(() =>
        {
            var records = PcapReader.Read(file, port.Name + ".pcap");
            if (records.Count > MaximumFrames)
            {
                throw new ScriptFailure($"net.frames('{name}'): the capture holds {records.Count:N0} frames; a script reads at most {MaximumFrames:N0} (run the network for less time)");
            }
            return records.Select(r =>
            {
                var tagged = Dot1QTag.TryRead(r.Frame, out var tag);
                return new CapturedFrame(r.Number, r.Microseconds, r.Frame.Length, EthernetFrame.Source(r.Frame).ToString(), EthernetFrame.Destination(r.Frame).ToString(),
                    tagged, tagged ? tag.Vid : 0, tagged ? tag.Pcp : 0, tagged && tag.Dei ? 1 : 0);
            }).ToList();
        });
    }

    /// <summary>A guest's result registers: frames sent (r9), received for its interface (r10), replies (r12).</summary>
    public double Sent(string machine) => Machine(machine).Register(9);

    /// <inheritdoc cref="Sent"/>
    public double Received(string machine) => Machine(machine).Register(10);

    /// <inheritdoc cref="Sent"/>
    public double Replies(string machine) => Machine(machine).Register(12);

    /// <summary>One VLAN's row of the report.</summary>
    public ScenarioReport.VlanRow Vlan(double vid) =>
        ScenarioReport.Of(run).Vlans.FirstOrDefault(v => v.Vlan == (int)vid) ?? new ScenarioReport.VlanRow((int)vid, 0, 0, 0, 0, 0, 0);

    /// <summary>One port's row of the report.</summary>
    public ScenarioReport.PortRow Port(string name) =>
        ScenarioReport.Of(run).Ports.FirstOrDefault(p => p.Port == name) ?? throw new ScriptFailure($"net.port('{name}'): no connected port of that name");

    private SwitchPort ConnectedPort(string name, string call) =>
        run.Switches.Values.SelectMany(s => s.Ports).FirstOrDefault(p => p.Name == name && p.Peer is not null)
        ?? throw new ScriptFailure($"{call}: no connected port '{name}' (connected: {string.Join(", ", run.Switches.Values.SelectMany(s => s.Ports).Where(p => p.Peer is not null).Select(p => p.Name))})");

    private NetworkMachine Machine(string name) =>
        run.Machines.FirstOrDefault(m => m.Name == name) ?? throw new ScriptFailure($"no machine named '{name}' (machines: {string.Join(", ", run.Machines.Select(m => m.Name))})");
}
