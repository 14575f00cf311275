using System.CommandLine;
using System.Text.Json;
using VirtualizationWorkbench.Network.Capture;
using VirtualizationWorkbench.Network.Scenarios;
using VirtualizationWorkbench.Workbench.Terminal;
using VirtualizationWorkbench.Workbench.Terminal.Screens;
using VirtualizationWorkbench.Workbench.Terminal.Shell;
using VirtualizationWorkbench.Workbench.Terminal.ViewModels;

namespace VirtualizationWorkbench.Workbench.Commands;

/// <summary><c>workbench network</c>: run a network scenario (switches, VLANs, machines running guest programs)
/// and write its captures for tshark and Wireshark.</summary>
internal static class NetworkCommands
{
    public static Command Create()
    {
        var scenario = new Argument<string>("SCENARIO") { Description = $"A scenario file (curriculum/reference/network-scenarios.md) or a built-in one: {string.Join(", ", BuiltInScenarios.Names)}" };
        var pcap = new Option<string?>("--pcap") { Description = "Write a pcap capture per port into this folder (the ports on the scenario's capture lines, or every connected port)" };
        var json = new Option<bool>("--json") { Description = "Print per-VLAN frames, bytes, drops and latency, per-port and per-machine counters as JSON" };
        var duration = new Option<string?>("--duration") { Description = "Run for this long instead of the scenario's duration (500ms, 2s)" };
        var at = new Option<string[]>("--at") { Description = "Change VLANs while it runs: \"50ms port sw.2 access vlan=20\", \"80ms vlan add sw.1 30\" (repeatable)", AllowMultipleArgumentsPerToken = false };
        var run = new Command("run", "Run a network scenario for its duration and report what each VLAN carried")
        {
            scenario, pcap, json, duration, at,
        };
        run.SetAction(parse => UserError.Guard(() =>
        {
            var name = parse.GetValue(scenario)!;
            var (parsed, folder) = Load(name);
            if (parse.GetValue(duration) is { } d)
            {
                var ticks = ScenarioParser.ParseTime(d, "--duration");
                if (ticks is < 1 or > 600_000) throw new UserError("--duration: a scenario runs for 100us to 60s");
                parsed = parsed with { DurationTicks = ticks };
            }
            var network = new ScenarioRun(parsed, new ProgramFiles(folder));
            foreach (var change in parse.GetValue(at) ?? [])
            {
                network.Schedule(ScenarioParser.ParseChange(change.StartsWith("at ", StringComparison.Ordinal) ? change : "at " + change, "--at", 0));
            }
            if (parse.GetValue(pcap) is { } dir)
            {
                CaptureFolder.Prepare(dir);
                network.Capture(parsed.Captures);
            }
            network.RunToEnd();
            var written = parse.GetValue(pcap) is { } outDir ? CaptureFolder.Write(outDir, network) : [];
            var report = ScenarioReport.Of(network);
            if (parse.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(new { report, captures = written }, new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase }));
            }
            else
            {
                Console.Write(report.ToText());
                foreach (var file in written) Console.WriteLine($"capture: {file}   (tshark -r {file} -T fields -e frame.number -e vlan.id -e vlan.priority -e eth.src -e eth.dst)");
            }
            return 0;
        }));
        var viewed = new Argument<string>("SCENARIO") { Description = scenario.Description };
        var view = new Command("view", "Open a scenario in the terminal UI: its topology, ports, VLANs and learned stations, with live counters as virtual time runs (r, s) and port changes while traffic flows (c)")
        {
            viewed,
        };
        view.SetAction(parse => UserError.Guard(() =>
        {
            // The scenario is read first, so a mistake in it is reported on the plain terminal, not inside the UI.
            var (parsed, folder) = Load(parse.GetValue(viewed)!);
            var network = new ScenarioRun(parsed, new ProgramFiles(folder));
            TerminalCommands.RequireTerminal();
            return TerminalSession.Run(() => new NetworkScreen(new NetworkViewModel(network)));
        }));
        return new Command("network", "Network virtualization: VLAN switches, 802.1Q trunks, captures for Wireshark") { run, view };
    }

    private static (Scenario Scenario, string? Folder) Load(string name)
    {
        if (File.Exists(name)) return (ScenarioParser.ParseFile(name), Path.GetDirectoryName(Path.GetFullPath(name)));
        if (BuiltInScenarios.Find(name) is { } builtIn) return (builtIn, null);
        throw new UserError($"{name}: no such scenario file or built-in scenario; built-in scenarios are {string.Join(", ", BuiltInScenarios.Names)}");
    }
}
