namespace VirtualizationWorkbench.Machine.Devices;

/// <summary>
/// A device on the machine's bus. The bus maps a range of I/O ports and/or physical addresses to the device
/// and passes the offset within that range; the device does the rest. Devices are deterministic: they see no
/// wall clock, only what the guest and the host hand them.
/// </summary>
public interface IDevice
{
    /// <summary>A short name for traces and the inspector.</summary>
    string Name { get; }

    /// <summary>Reads <paramref name="size"/> bytes (1 or 4) at <paramref name="offset"/> in the device's range.</summary>
    uint Read(uint offset, int size);

    /// <summary>Writes <paramref name="size"/> bytes (1 or 4) at <paramref name="offset"/> in the device's range.</summary>
    void Write(uint offset, int size, uint value);

    /// <summary>Writes the device's whole state, for machine snapshots.</summary>
    void Save(BinaryWriter writer);

    /// <summary>Restores what <see cref="Save"/> wrote.</summary>
    void Restore(BinaryReader reader);
}
