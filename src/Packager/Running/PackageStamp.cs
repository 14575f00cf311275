using System.Buffers.Binary;
using System.Text;
using VirtualizationWorkbench.Sandbox.FileSystem;

namespace VirtualizationWorkbench.Packager.Running;

/// <summary>Which extraction a package file was last found to be, keyed by the file's full path and valid only
/// while its length and modification time stay as they were: a start that finds a valid stamp runs the checked
/// extraction without reopening the package (the zip, its manifest and its hashes cost more than the rest of a
/// start). Any change to the file, a missing extraction or an unreadable stamp means a full open.
/// <para>Binary (magic, length, time, id, path), so that reading it formats no number: a start must not use a
/// culture before the application does (<see cref="ApplicationGlobalization"/>).</para></summary>
internal static class PackageStamp
{
    private const ulong Magic = 0x3170_6D61_7473_7776; // "vwstamp1", little-endian
    private const int IdLength = 16;
    private const int HeaderLength = 8 + 8 + 8 + IdLength;

    /// <summary>The package id the stamp names, or null when there is no stamp for this file as it is now.</summary>
    public static string? Find(string fullPath, FileInfo file)
    {
        byte[] stamp;
        try
        {
            stamp = File.ReadAllBytes(PathFor(fullPath));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
        if (stamp.Length < HeaderLength
            || BinaryPrimitives.ReadUInt64LittleEndian(stamp) != Magic
            || BinaryPrimitives.ReadInt64LittleEndian(stamp.AsSpan(8)) != file.Length
            || BinaryPrimitives.ReadInt64LittleEndian(stamp.AsSpan(16)) != file.LastWriteTimeUtc.Ticks
            || Encoding.UTF8.GetString(stamp.AsSpan(HeaderLength)) != fullPath)
        {
            return null;
        }
        return Encoding.ASCII.GetString(stamp, 24, IdLength);
    }

    /// <summary>Records that the file, as <paramref name="file"/> saw it before it was opened, is the package
    /// <paramref name="packageId"/>. A stamp that cannot be written only costs the next start a full open.</summary>
    public static void Write(string fullPath, FileInfo file, string packageId)
    {
        if (packageId.Length != IdLength)
        {
            return;
        }
        var stamp = new byte[HeaderLength + Encoding.UTF8.GetByteCount(fullPath)];
        BinaryPrimitives.WriteUInt64LittleEndian(stamp, Magic);
        BinaryPrimitives.WriteInt64LittleEndian(stamp.AsSpan(8), file.Length);
        BinaryPrimitives.WriteInt64LittleEndian(stamp.AsSpan(16), file.LastWriteTimeUtc.Ticks);
        Encoding.ASCII.GetBytes(packageId, stamp.AsSpan(24));
        Encoding.UTF8.GetBytes(fullPath, stamp.AsSpan(HeaderLength));
        try
        {
            var path = PathFor(fullPath);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            AtomicFile.Write(path, stream => stream.Write(stamp));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }

    // Named by a 64-bit FNV-1a hash of the path: stable across processes (string.GetHashCode is not), and free of
    // the cryptographic library whose first load alone costs a start 5 ms. The full path inside guards against
    // the rare collision.
    private static string PathFor(string fullPath)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in fullPath)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }
        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, hash);
        return Path.Combine(SandboxLocation.DataRoot, "stamps", Convert.ToHexStringLower(bytes));
    }
}
