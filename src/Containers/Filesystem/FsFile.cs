namespace VirtualizationWorkbench.Containers.Filesystem;

/// <summary>
/// A file. Its bytes are never changed in place: a write replaces the array, so a file made from an image shares
/// the image's bytes with every container made from it until it is written (copy-on-write at file granularity,
/// as overlayfs copies a file up on its first write).
/// </summary>
public sealed class FsFile(string name, FsDirectory parent, byte[] content, bool shared) : FsNode(name, parent)
{
    /// <summary>The current bytes (do not modify: replace with <see cref="Write"/>).</summary>
    public byte[] Content { get; private set; } = content;

    /// <summary>Whether the bytes are still the image's, shared with other containers.</summary>
    public bool Shared { get; private set; } = shared;

    /// <summary>Replaces the contents: the file now has bytes of its own.</summary>
    public void Write(byte[] bytes)
    {
        Content = bytes;
        Shared = false;
    }
}
