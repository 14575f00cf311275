using VirtualizationWorkbench.Machine.Devices;

namespace VirtualizationWorkbench.Storage;

/// <summary>
/// A virtual disk the storage layer gives a user: any block store a machine can take as its disk. Its size and
/// where its blocks live are the layer's business. One machine at a time may attach it: two guests writing one
/// volume through two unaware filesystems corrupt it, so a second attach is refused.
/// </summary>
public abstract class Volume : IBlockStore
{
    private VolumeAttachment? attachment;

    /// <summary>The volume's name.</summary>
    public abstract string Name { get; }

    /// <inheritdoc/>
    public abstract uint Sectors { get; }

    /// <summary>The machine the volume is attached to, if any.</summary>
    public string? AttachedTo => attachment?.Machine;

    /// <inheritdoc/>
    public abstract BlockStatus Read(uint sector, Span<byte> destination);

    /// <inheritdoc/>
    public abstract BlockStatus Write(uint sector, ReadOnlySpan<byte> source);

    /// <summary>Attaches the volume to <paramref name="machine"/>: the result is what that machine's disk keeps
    /// its sectors in (<c>MachineConfiguration.DiskBlocks</c>).</summary>
    /// <exception cref="StorageError">Another machine has it attached.</exception>
    public VolumeAttachment Attach(string machine)
    {
        if (attachment is not null)
        {
            throw new StorageError($"volume '{Name}' is already attached to machine '{attachment.Machine}'; two machines writing one volume would corrupt it (each caches and writes blocks the other does not know about) — detach it from '{attachment.Machine}' first, or give '{machine}' a snapshot or a volume of its own");
        }
        attachment = new VolumeAttachment(this, machine);
        return attachment;
    }

    internal bool Holds(VolumeAttachment candidate) => ReferenceEquals(attachment, candidate);

    /// <summary>Releases the volume from the machine it is attached to.</summary>
    public void Detach() => attachment = null;

    /// <summary>Sectors as whole extents, rounded up.</summary>
    protected static uint ExtentsFor(uint sectors, uint extentSectors) => (sectors + extentSectors - 1) / extentSectors;
}
