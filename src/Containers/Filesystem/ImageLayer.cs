namespace VirtualizationWorkbench.Containers.Filesystem;

/// <summary>
/// One layer of an image: files it adds or replaces (absolute paths) and paths it deletes (whiteouts, as an OCI
/// layer's <c>.wh.</c> entries). Immutable once built.
/// </summary>
public sealed class ImageLayer(IReadOnlyDictionary<string, byte[]> files, IReadOnlyCollection<string> whiteouts)
{
    /// <summary>Files by absolute path.</summary>
    public IReadOnlyDictionary<string, byte[]> Files { get; } = files;

    /// <summary>Paths this layer deletes from the layers below.</summary>
    public IReadOnlyCollection<string> Whiteouts { get; } = whiteouts;

    /// <summary>The bytes this layer holds.</summary>
    public long Bytes => Files.Values.Sum(f => (long)f.Length);
}
