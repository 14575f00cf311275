namespace VirtualizationWorkbench.Machine.Devices;

/// <summary>Sectors kept in a stream: a disk image file, or memory. Its length is the capacity.</summary>
public sealed class StreamBlockStore : IBlockStore
{
    /// <summary>A store over <paramref name="stream"/> (readable and seekable; writable unless read-only).</summary>
    public StreamBlockStore(Stream stream)
    {
        if (!stream.CanSeek || !stream.CanRead)
        {
            throw new ArgumentException("a disk's store must be seekable and readable", nameof(stream));
        }
        Stream = stream;
    }

    /// <summary>The stream behind the store.</summary>
    public Stream Stream { get; }

    /// <inheritdoc/>
    public uint Sectors => (uint)(Stream.Length / BlockDisk.SectorSize);

    /// <inheritdoc/>
    public BlockStatus Read(uint sector, Span<byte> destination)
    {
        Stream.Position = (long)sector * BlockDisk.SectorSize;
        Stream.ReadExactly(destination);
        return BlockStatus.Ok;
    }

    /// <inheritdoc/>
    public BlockStatus Write(uint sector, ReadOnlySpan<byte> source)
    {
        if (!Stream.CanWrite) return BlockStatus.ReadOnly;
        Stream.Position = (long)sector * BlockDisk.SectorSize;
        Stream.Write(source);
        Stream.Flush();
        return BlockStatus.Ok;
    }
}
