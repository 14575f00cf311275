using VirtualizationWorkbench.Machine.Devices;

namespace VirtualizationWorkbench.Storage;

/// <summary>A volume as one machine's disk sees it: every request goes to the volume, until it is detached
/// (then requests fail with an I/O error, as a pulled disk's would).</summary>
public sealed class VolumeAttachment : IBlockStore
{
    internal VolumeAttachment(Volume volume, string machine)
    {
        Volume = volume;
        Machine = machine;
    }

    /// <summary>The volume.</summary>
    public Volume Volume { get; }

    /// <summary>The machine it is attached to.</summary>
    public string Machine { get; }

    private bool Attached => Volume.Holds(this);

    /// <inheritdoc/>
    public uint Sectors => Volume.Sectors;

    /// <inheritdoc/>
    public BlockStatus Read(uint sector, Span<byte> destination) => Attached ? Volume.Read(sector, destination) : BlockStatus.IoError;

    /// <inheritdoc/>
    public BlockStatus Write(uint sector, ReadOnlySpan<byte> source) => Attached ? Volume.Write(sector, source) : BlockStatus.IoError;
}
