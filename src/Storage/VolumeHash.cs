using System.Security.Cryptography;
using VirtualizationWorkbench.Machine.Devices;

namespace VirtualizationWorkbench.Storage;

/// <summary>What a volume holds, as one SHA-256: every sector read through the store as a machine would read it.
/// The labs and the experiments compare volumes by it (before and after a failure, a resync, a migration).</summary>
public static class VolumeHash
{
    /// <summary>The hash (hex) of <paramref name="store"/>'s sectors.</summary>
    /// <exception cref="StorageError">A sector does not read back (an I/O error), naming it.</exception>
    public static string Of(IBlockStore store)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[BlockDisk.SectorSize];
        for (uint s = 0; s < store.Sectors; s++)
        {
            if (store.Read(s, buffer) != BlockStatus.Ok) throw new StorageError($"sector {s} of the volume does not read back (I/O error)");
            hash.AppendData(buffer);
        }
        return Convert.ToHexString(hash.GetHashAndReset());
    }
}
