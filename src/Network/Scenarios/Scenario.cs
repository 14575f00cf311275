using VirtualizationWorkbench.Network.Ethernet;
using VirtualizationWorkbench.Network.Switching;

namespace VirtualizationWorkbench.Network.Scenarios;

/// <summary>Where a line of a scenario is, for errors found after parsing.</summary>
public readonly record struct SourceSpot(string File, int Line, int Column)
{
    /// <summary>An error at this spot.</summary>
    public ScenarioError Error(string message, string? hint = null) => new(File, Line, Column, message, hint);
}

/// <summary>A switch: <c>switch NAME ports=N [kind=802.1q|port-based] [ageing=TIME] [queue=FRAMES]</c>.</summary>
public sealed record SwitchSpec(string Name, int Ports, SwitchKind Kind, long AgeingTicks, int QueueLimit, SourceSpot Spot);

/// <summary>A port, named <c>SWITCH.NUMBER</c>.</summary>
public readonly record struct PortRef(string Switch, int Number)
{
    /// <inheritdoc/>
    public override string ToString() => $"{Switch}.{Number}";
}

/// <summary>A machine: a workbench computer whose network card is plugged into a port, running a guest program.</summary>
public sealed record MachineSpec(
    string Name, PortRef Port, MacAddress Mac, string Program, string? Peer, MacAddress? PeerMac,
    int Count, int Vlan, int Pcp, int Length, int Pause, SourceSpot Spot);

/// <summary>A cable between two switch ports.</summary>
public sealed record LinkSpec(PortRef A, PortRef B, SourceSpot Spot);

/// <summary>
/// A topology and what runs on it for how long, read from the scenario format (see
/// <c>curriculum/reference/network-scenarios.md</c>) by <see cref="ScenarioParser"/> and run by
/// <see cref="ScenarioRun"/>. Time is counted in ticks of 100 µs.
/// </summary>
public sealed record Scenario
{
    /// <summary>The scenario's name (its <c>name</c> line, or the file's name).</summary>
    public required string Name { get; init; }

    /// <summary>The file it was read from, for errors.</summary>
    public required string File { get; init; }

    /// <summary>How long it runs, in ticks.</summary>
    public long DurationTicks { get; init; } = 5000;

    /// <summary>Instructions each machine runs per tick (<c>cpu MIPS</c>: MIPS × 100).</summary>
    public int InstructionsPerTick { get; init; } = 1000;

    public IReadOnlyList<SwitchSpec> Switches { get; init; } = [];

    /// <summary>The <c>port</c> lines, applied in order when the network is built.</summary>
    public IReadOnlyList<ScenarioChange> Ports { get; init; } = [];

    public IReadOnlyList<LinkSpec> Links { get; init; } = [];

    public IReadOnlyList<MachineSpec> Machines { get; init; } = [];

    /// <summary>Ports named on <c>capture</c> lines (all connected ports when none is).</summary>
    public IReadOnlyList<PortRef> Captures { get; init; } = [];

    /// <summary>Changes made while the scenario runs (<c>at TIME ...</c> lines), in time order.</summary>
    public IReadOnlyList<TimedChange> Timeline { get; init; } = [];
}

/// <summary>A change applied at a tick.</summary>
public sealed record TimedChange(long Tick, ScenarioChange Change);
