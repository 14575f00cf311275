namespace VirtualizationWorkbench.Storage;

/// <summary>Extent <see cref="Index"/> of physical volume <see cref="Volume"/>.</summary>
public readonly record struct PhysicalExtent(PhysicalVolume Volume, uint Index)
{
    /// <inheritdoc/>
    public override string ToString() => $"{Volume.Name} PE {Index}";
}
