using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using VirtualizationWorkbench.Machine.Devices;
using VirtualizationWorkbench.Sandbox.FileSystem;

namespace VirtualizationWorkbench.Storage;

/// <summary>
/// A physical disk brought under the volume manager (LVM's <c>pvcreate</c>): a label in sector 0 says what it
/// is, and the sectors after it are cut into equal <b>physical extents</b>, the unit volumes are made of.
/// </summary>
/// <remarks>
/// The label (512 bytes): "VWPV0001", the extent size in sectors, the extent count and the disk's sectors
/// (little-endian 32-bit words at 8, 12, 16), the name's length (byte 20) and the name (UTF-8, at most 64 bytes),
/// and a SHA-256 of bytes 0-479 in bytes 480-511. Opening a disk checks all of it, so a disk image that is not
/// one, is damaged or was cut short is refused with what is wrong, before any volume reads a byte of it.
/// </remarks>
public sealed class PhysicalVolume
{
    /// <summary>The label's first bytes.</summary>
    public const string Magic = "VWPV0001";
    /// <summary>Sectors before the first extent (the label).</summary>
    public const uint LabelSectors = 1;
    private const int ChecksumAt = 480;

    private PhysicalVolume(PhysicalDisk disk, string name, uint extentSectors, uint extents)
    {
        Disk = disk;
        Name = name;
        ExtentSectors = extentSectors;
        Extents = extents;
    }

    /// <summary>The disk under the label.</summary>
    public PhysicalDisk Disk { get; }

    /// <summary>The name in the label.</summary>
    public string Name { get; }

    /// <summary>Sectors per extent.</summary>
    public uint ExtentSectors { get; }

    /// <summary>How many physical extents the disk holds.</summary>
    public uint Extents { get; }

    /// <summary>The first sector of extent <paramref name="extent"/>.</summary>
    public uint SectorOf(uint extent) => LabelSectors + extent * ExtentSectors;

    /// <summary>Labels <paramref name="disk"/> (everything on it is given up) with extents of
    /// <paramref name="extentSectors"/> sectors.</summary>
    public static PhysicalVolume Create(PhysicalDisk disk, uint extentSectors)
    {
        Validate(disk.Name, extentSectors);
        if (disk.Sectors < LabelSectors + extentSectors)
        {
            throw new StorageError($"disk '{disk.Name}': {disk.Sectors} sectors hold no extent of {extentSectors} sectors after the label; use a larger disk or smaller extents");
        }
        var extents = (disk.Sectors - LabelSectors) / extentSectors;
        if (disk.Write(0, Label(disk.Name, extentSectors, extents, disk.Sectors)) != BlockStatus.Ok)
        {
            throw new StorageError($"disk '{disk.Name}': the label could not be written (the disk failed)");
        }
        return new PhysicalVolume(disk, disk.Name, extentSectors, extents);
    }

    /// <summary>Writes a new disk image file of <paramref name="extents"/> extents, labelled, all at once (a
    /// half-written image is never left behind).</summary>
    public static void CreateFile(string path, string name, uint extents, uint extentSectors)
    {
        Validate(name, extentSectors);
        if (extents == 0) throw new StorageError($"{path}: a physical volume needs at least one extent");
        var sectors = LabelSectors + extents * extentSectors;
        AtomicFile.Write(path, stream =>
        {
            stream.Write(Label(name, extentSectors, extents, sectors));
            stream.SetLength((long)sectors * BlockDisk.SectorSize);
        });
    }

    /// <summary>Opens a disk image file and checks its label.</summary>
    /// <exception cref="StorageError">No label, a damaged label, or a file shorter than the label says.</exception>
    public static PhysicalVolume OpenFile(string path, StorageCosts? costs = null)
    {
        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException)
        {
            throw new StorageError($"{path}: cannot open the disk image ({e.Message})");
        }
        try
        {
            return Open(new PhysicalDisk(Path.GetFileNameWithoutExtension(path), new StreamBlockStore(stream), costs), path, stream.Length);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>Reads and checks the label of a disk already labelled.</summary>
    public static PhysicalVolume Open(PhysicalDisk disk) => Open(disk, $"disk '{disk.Name}'", (long)disk.Sectors * BlockDisk.SectorSize);

    private static PhysicalVolume Open(PhysicalDisk disk, string where, long bytes)
    {
        if (bytes < BlockDisk.SectorSize)
        {
            throw new StorageError($"{where}: truncated: {bytes} bytes, less than the {BlockDisk.SectorSize}-byte label; restore the image from a copy or create it again");
        }
        var label = new byte[BlockDisk.SectorSize];
        if (disk.Read(0, label) != BlockStatus.Ok) throw new StorageError($"{where}: the label cannot be read (the disk failed)");
        if (Encoding.ASCII.GetString(label, 0, Magic.Length) != Magic)
        {
            throw new StorageError($"{where}: not a physical volume: byte 0 holds no \"{Magic}\" label; label a new disk with create, or name the right image");
        }
        if (!SHA256.HashData(label.AsSpan(0, ChecksumAt)).AsSpan().SequenceEqual(label.AsSpan(ChecksumAt)))
        {
            throw new StorageError($"{where}: the label is corrupt (its checksum, bytes {ChecksumAt}-511, does not match bytes 0-{ChecksumAt - 1}); restore the image from a copy");
        }
        var extentSectors = BinaryPrimitives.ReadUInt32LittleEndian(label.AsSpan(8));
        var extents = BinaryPrimitives.ReadUInt32LittleEndian(label.AsSpan(12));
        var sectors = BinaryPrimitives.ReadUInt32LittleEndian(label.AsSpan(16));
        var name = Encoding.UTF8.GetString(label, 21, Math.Min((int)label[20], 64));
        if (bytes < (long)sectors * BlockDisk.SectorSize)
        {
            throw new StorageError($"{where}: truncated: the label says {sectors} sectors ({(long)sectors * BlockDisk.SectorSize} bytes) but there are {bytes} bytes; the extents past the end are lost — restore the image from a copy");
        }
        return new PhysicalVolume(disk, name, extentSectors, extents);
    }

    private static void Validate(string name, uint extentSectors)
    {
        if (name.Length == 0 || Encoding.UTF8.GetByteCount(name) > 64) throw new StorageError($"'{name}': a physical volume's name is 1 to 64 bytes");
        if (extentSectors == 0) throw new StorageError($"'{name}': an extent is at least one sector");
    }

    private static byte[] Label(string name, uint extentSectors, uint extents, uint sectors)
    {
        var label = new byte[BlockDisk.SectorSize];
        Encoding.ASCII.GetBytes(Magic, label);
        BinaryPrimitives.WriteUInt32LittleEndian(label.AsSpan(8), extentSectors);
        BinaryPrimitives.WriteUInt32LittleEndian(label.AsSpan(12), extents);
        BinaryPrimitives.WriteUInt32LittleEndian(label.AsSpan(16), sectors);
        var length = Encoding.UTF8.GetBytes(name, label.AsSpan(21));
        label[20] = (byte)length;
        SHA256.HashData(label.AsSpan(0, ChecksumAt), label.AsSpan(ChecksumAt));
        return label;
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Name} ({Extents} extents of {ExtentSectors} sectors)";
}
