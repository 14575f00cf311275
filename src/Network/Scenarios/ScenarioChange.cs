using VirtualizationWorkbench.Network.Switching;

namespace VirtualizationWorkbench.Network.Scenarios;

/// <summary>A change to a port's VLANs: a <c>port</c> line, or a <c>vlan add|remove</c> line, at the start or while
/// traffic flows (802.1Q lets VLANs be created, changed and removed on a running switch).</summary>
public abstract record ScenarioChange(PortRef Port, SourceSpot Spot)
{
    /// <summary>Applies the change to the port.</summary>
    public abstract void Apply(SwitchPort port);

    /// <summary>The change as a scenario line would write it.</summary>
    public abstract string Describe();
}

/// <summary><c>port SW.N access vlan=V</c> or <c>port SW.N trunk allowed=V,V [native=V]</c>, with optional
/// <c>priority=P</c> and <c>speed=MBIT</c>.</summary>
public sealed record PortSetting(PortRef Port, PortMode Mode, int Pvid, IReadOnlyList<int> Tagged, int? Priority, int? Speed, SourceSpot Spot)
    : ScenarioChange(Port, Spot)
{
    /// <inheritdoc/>
    public override void Apply(SwitchPort port)
    {
        if (Mode == PortMode.Access) port.SetAccess(Pvid);
        else port.SetTrunk(Tagged, Pvid);
        if (Priority is { } p) port.DefaultPriority = (byte)p;
        if (Speed is { } s) port.SpeedMbit = s;
    }

    /// <inheritdoc/>
    public override string Describe() => Mode == PortMode.Access
        ? $"port {Port} access vlan={Pvid}"
        : $"port {Port} trunk allowed={(Tagged.Count == 0 ? "none" : string.Join(',', Tagged))}{(Pvid != 0 ? $" native={Pvid}" : "")}";
}

/// <summary><c>vlan add SW.N V[,V...]</c> or <c>vlan remove SW.N V[,V...]</c>.</summary>
public sealed record VlanMembership(PortRef Port, bool Add, IReadOnlyList<int> Vlans, SourceSpot Spot) : ScenarioChange(Port, Spot)
{
    /// <inheritdoc/>
    public override void Apply(SwitchPort port)
    {
        if (Add) port.AddVlans(Vlans);
        else port.RemoveVlans(Vlans);
    }

    /// <inheritdoc/>
    public override string Describe() => $"vlan {(Add ? "add" : "remove")} {Port} {string.Join(',', Vlans)}";
}
