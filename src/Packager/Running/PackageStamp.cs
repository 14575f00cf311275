using System.Buffers.Binary;
using System.Text;
using VirtualizationWorkbench.Sandbox.FileSystem;

namespace VirtualizationWorkbench.Packager.Running;

/// <summary>Which extraction a package file was last found to be, keyed by the file's full path and valid only
/// while the file is as it was: the same length, modification time and zip central directory (which holds every
/// entry's CRC-32, so a change of content changes it even when a copy keeps the length and time). A start that
/// finds a valid stamp runs the checked extraction without reopening the package (the zip, its manifest and its
/// hashes cost more than the rest of a start). Any change, a missing extraction or an unreadable stamp means a
/// full open.
/// <para>The stamp also names the key whose signature was verified when the package was opened (none for an
/// unsigned package), so a start under a signature requirement (<see cref="PackageTrust"/>) checks the signer
/// against the trusted keys without reopening the package or loading the cryptographic library.</para>
/// <para>Binary (magic, identity, id, signer, path), so that reading it formats no number: a start must not use a
/// culture before the application does (<see cref="ApplicationGlobalization"/>).</para></summary>
internal static class PackageStamp
{
    private const ulong Magic = 0x3370_6D61_7473_7776; // "vwstamp3", little-endian
    private const ulong MagicBeforeSignatures = 0x3270_6D61_7473_7776; // "vwstamp2": no signer field
    private const int IdLength = 16;
    private const int IdOffset = 32;
    private const int SignerLengthOffset = IdOffset + IdLength;
    private const int HeaderLength = SignerLengthOffset + 2;

    /// <summary>What a stamp compares: the package file's length, its modification time and a hash of its zip
    /// central directory.</summary>
    internal readonly record struct FileIdentity(long Length, long LastWriteTicks, ulong CentralDirectory);

    /// <summary>The identity of the package file at <paramref name="fullPath"/> (through a symbolic link, the file
    /// it leads to), or null when it is missing or not a zip this can read.</summary>
    public static FileIdentity? Identify(string fullPath)
    {
        try
        {
            var file = new FileInfo(fullPath);
            if (file.LinkTarget is not null && file.ResolveLinkTarget(returnFinalTarget: true) is FileInfo target)
            {
                file = target;
            }
            if (!file.Exists)
            {
                return null;
            }
            using var handle = File.OpenHandle(file.FullName);
            return CentralDirectoryHash(handle) is { } directory ? new FileIdentity(file.Length, file.LastWriteTimeUtc.Ticks, directory) : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>The package id the stamp names and the DER public key of its verified signer (empty when it is
    /// unsigned), or null when there is no stamp for this file as it is now.</summary>
    public static (string Id, byte[] Signer)? Find(string fullPath, FileIdentity identity)
    {
        byte[] stamp;
        var path = PathFor(fullPath);
        // Looked for before it is read: the exception a missing file throws formats its message in a culture,
        // which would settle the process's globalization before the application has chosen it.
        if (!File.Exists(path))
        {
            return null;
        }
        try
        {
            stamp = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
        if (stamp.Length < HeaderLength
            || BinaryPrimitives.ReadUInt64LittleEndian(stamp) != Magic
            || BinaryPrimitives.ReadInt64LittleEndian(stamp.AsSpan(8)) != identity.Length
            || BinaryPrimitives.ReadInt64LittleEndian(stamp.AsSpan(16)) != identity.LastWriteTicks
            || BinaryPrimitives.ReadUInt64LittleEndian(stamp.AsSpan(24)) != identity.CentralDirectory
            || SignerEnd(stamp) is not { } signerEnd
            || Encoding.UTF8.GetString(stamp.AsSpan(signerEnd)) != fullPath)
        {
            return null;
        }
        return (Encoding.ASCII.GetString(stamp, IdOffset, IdLength), stamp[HeaderLength..signerEnd]);
    }

    // Where the signer's key ends and the path begins, or null when the length runs past the stamp.
    private static int? SignerEnd(byte[] stamp)
    {
        var end = HeaderLength + BinaryPrimitives.ReadUInt16LittleEndian(stamp.AsSpan(SignerLengthOffset));
        return end <= stamp.Length ? end : null;
    }

    /// <summary>Records that the file, as <paramref name="identity"/> saw it before it was opened, is the package
    /// <paramref name="packageId"/>, whose signature by <paramref name="signer"/> (a DER public key; empty when
    /// unsigned) was verified. A stamp that cannot be written only costs the next start a full open.</summary>
    public static void Write(string fullPath, FileIdentity identity, string packageId, byte[] signer)
    {
        if (packageId.Length != IdLength || signer.Length > ushort.MaxValue)
        {
            return;
        }
        var stamp = new byte[HeaderLength + signer.Length + Encoding.UTF8.GetByteCount(fullPath)];
        BinaryPrimitives.WriteUInt64LittleEndian(stamp, Magic);
        BinaryPrimitives.WriteInt64LittleEndian(stamp.AsSpan(8), identity.Length);
        BinaryPrimitives.WriteInt64LittleEndian(stamp.AsSpan(16), identity.LastWriteTicks);
        BinaryPrimitives.WriteUInt64LittleEndian(stamp.AsSpan(24), identity.CentralDirectory);
        Encoding.ASCII.GetBytes(packageId, stamp.AsSpan(IdOffset));
        BinaryPrimitives.WriteUInt16LittleEndian(stamp.AsSpan(SignerLengthOffset), (ushort)signer.Length);
        signer.CopyTo(stamp, HeaderLength);
        Encoding.UTF8.GetBytes(fullPath, stamp.AsSpan(HeaderLength + signer.Length));
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

    /// <summary>A hash of the zip's central directory, found through its end record (the last 22 bytes, or before
    /// a comment of up to 64 KiB); null for a file that is not a zip of that kind (or a ZIP64 one). A few
    /// microseconds, where opening the zip through the framework costs milliseconds of first use.</summary>
    private static ulong? CentralDirectoryHash(Microsoft.Win32.SafeHandles.SafeFileHandle handle)
    {
        const int EndRecordLength = 22;
        var length = RandomAccess.GetLength(handle);
        var tail = new byte[(int)Math.Min(length, EndRecordLength + ushort.MaxValue)];
        if (tail.Length < EndRecordLength || RandomAccess.Read(handle, tail, length - tail.Length) != tail.Length)
        {
            return null;
        }
        for (var at = tail.Length - EndRecordLength; at >= 0; at--)
        {
            if (BinaryPrimitives.ReadUInt32LittleEndian(tail.AsSpan(at)) != 0x06054B50)
            {
                continue;
            }
            var size = BinaryPrimitives.ReadUInt32LittleEndian(tail.AsSpan(at + 12));
            var offset = BinaryPrimitives.ReadUInt32LittleEndian(tail.AsSpan(at + 16));
            if (size == uint.MaxValue || offset == uint.MaxValue || (long)offset + size > length)
            {
                return null;
            }
            var directory = new byte[size];
            return RandomAccess.Read(handle, directory, offset) == size ? Fnv(directory) : null;
        }
        return null;
    }

    // Named by a 64-bit FNV-1a hash of the path: stable across processes (string.GetHashCode is not), and free of
    // the cryptographic library whose first load alone costs a start 5 ms. The full path inside guards against
    // the rare collision.
    /// <summary>Every stamp: the package file it names, the package id it names, and whether it still holds
    /// (the file is there and unchanged since).</summary>
    public static IEnumerable<(string StampFile, string PackagePath, string PackageId, bool Holds)> All()
    {
        var folder = Path.Combine(SandboxLocation.DataRoot, "stamps");
        if (!Directory.Exists(folder))
        {
            yield break;
        }
        foreach (var file in Directory.EnumerateFiles(folder))
        {
            byte[] stamp;
            try
            {
                stamp = File.ReadAllBytes(file);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue;
            }
            // A stamp from before signatures still names its package and extraction (for `app gc`); it never
            // holds, so the next start opens the package in full and writes a new one.
            var magic = stamp.Length < HeaderLength ? 0 : BinaryPrimitives.ReadUInt64LittleEndian(stamp);
            var pathStart = magic == Magic ? SignerEnd(stamp) : magic == MagicBeforeSignatures ? IdOffset + IdLength : null;
            if (pathStart is not { } start)
            {
                continue;
            }
            var path = Encoding.UTF8.GetString(stamp.AsSpan(start));
            var id = Encoding.ASCII.GetString(stamp, IdOffset, IdLength);
            var holds = Identify(path) is { } identity && Find(path, identity)?.Id == id;
            yield return (file, path, id, holds);
        }
    }

    private static string PathFor(string fullPath)
    {
        Span<byte> name = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(name, Fnv(Encoding.UTF8.GetBytes(fullPath)));
        return Path.Combine(SandboxLocation.DataRoot, "stamps", Convert.ToHexStringLower(name));
    }

    private static ulong Fnv(ReadOnlySpan<byte> bytes)
    {
        var hash = 14695981039346656037UL;
        foreach (var b in bytes)
        {
            hash = (hash ^ b) * 1099511628211UL;
        }
        return hash;
    }
}
