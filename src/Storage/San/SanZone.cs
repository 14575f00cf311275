namespace VirtualizationWorkbench.Storage.San;

/// <summary>
/// Which initiators may reach a LUN: the fabric's zoning and the target's LUN masking in one list of initiator MAC
/// addresses (a Fibre Channel zone lists WWPNs the same way). A machine not in the zone can neither log in to the
/// target nor get a sector from it by sending frames: the target answers them with an error and no data. A live
/// migration over the SAN needs both machines in the zone (PowerVM checks the same before it moves a partition).
/// </summary>
public sealed class SanZone(string name)
{
    private readonly SortedSet<ulong> members = [];

    /// <summary>The zone's name, for messages.</summary>
    public string Name { get; } = name;

    /// <summary>The initiators' MAC addresses, in order.</summary>
    public IReadOnlyCollection<ulong> Members => members;

    /// <summary>Lets the initiator with MAC address <paramref name="mac"/> reach the LUN.</summary>
    public SanZone Add(ulong mac)
    {
        members.Add(mac);
        return this;
    }

    /// <summary>Takes <paramref name="mac"/> out of the zone; a session it has goes on until it logs out (as on a
    /// real fabric, rezoning does not cut a running session).</summary>
    public void Remove(ulong mac) => members.Remove(mac);

    /// <summary>Whether <paramref name="mac"/> may reach the LUN.</summary>
    public bool Admits(ulong mac) => members.Contains(mac);

    /// <summary>The members as a reader writes them.</summary>
    public override string ToString() => members.Count == 0 ? "none" : string.Join(", ", members.Select(m => m.ToString("x12", System.Globalization.CultureInfo.InvariantCulture)));
}
