namespace VirtualizationWorkbench.Partitioning;

/// <summary>
/// A device the firmware serves to one partition (POWER's virtual adapters: a virtual SCSI disk, a virtual Ethernet
/// port). It sits at a range of ports; the partition's <c>in</c>/<c>out</c> to them exit to the firmware (the I/O
/// bitmap), which hands each access to the device with a <see cref="VirtualIo"/>: the only way the device reaches
/// the partition's memory. What stands behind it (a volume on this machine, a LUN on a storage machine) is the
/// host's business; the guest sees registers.
/// </summary>
public interface IVirtualDevice
{
    /// <summary>A short name for messages ("disk").</summary>
    string Name { get; }

    /// <summary>Its ports: the guest's driver talks to [First, First + Count).</summary>
    (uint First, uint Count) Ports { get; }

    /// <summary>The guest's <c>in</c> from port First + <paramref name="offset"/>; returns the value it reads.</summary>
    uint Read(VirtualIo io, uint offset);

    /// <summary>The guest's <c>out</c> of <paramref name="value"/> to port First + <paramref name="offset"/>.</summary>
    void Write(VirtualIo io, uint offset, uint value);

    /// <summary>Why the device cannot follow its partition to <paramref name="target"/> in a live migration (state
    /// that lives on this machine, such as a local disk's sectors; a target that cannot reach its storage), or null
    /// if it can. Asked before anything is reserved, so a refusal changes nothing.</summary>
    string? CannotMoveTo(PartitionFirmware target);

    /// <summary>At the switch of a migration (the partition suspended): the device's registers go over with the
    /// processor state, and this returns the same device on <paramref name="target"/>, connected from there to
    /// the same storage; this one is disconnected.</summary>
    IVirtualDevice MoveTo(PartitionFirmware target);

    /// <summary>Its partition is removed: it lets go of what it holds (a LUN's login), so another may take it.</summary>
    void Detach();
}
