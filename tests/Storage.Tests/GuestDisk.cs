using System.Security.Cryptography;
using VirtualizationWorkbench.Machine;
using VirtualizationWorkbench.Machine.Assembler;
using VirtualizationWorkbench.Machine.Devices;

namespace VirtualizationWorkbench.Storage.Tests;

/// <summary>A machine whose disk is a volume, running labs/guests/disk-fill.s; and the pattern that guest writes.</summary>
internal sealed class GuestDisk
{
    private GuestDisk(Computer computer) => Computer = computer;

    public Computer Computer { get; }

    public uint SectorsWritten => Computer.Cores[0].State.R[3];

    public uint LastStatus => Computer.Cores[0].State.R[10];

    public ulong Cycles => Computer.Cores[0].Counters.Cycles;

    public string Console => Computer.Console.PendingText;

    public static string RepositoryRoot
    {
        get
        {
            var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Workbench.sln"))) dir = dir.Parent;
            return dir?.FullName ?? throw new InvalidOperationException("no Workbench.sln above the test folder");
        }
    }

    /// <summary>Boots disk-fill.s on a machine whose disk is <paramref name="disk"/>.</summary>
    public static GuestDisk Boot(IBlockStore disk, bool secondPass = false, uint firstSector = 0)
    {
        var path = Path.Combine(RepositoryRoot, "labs", "guests", "disk-fill.s");
        var program = Assembler.AssembleText(File.ReadAllText(path), path, new AssemblerOptions { Defines = secondPass ? ["SECOND_PASS"] : [] });
        var computer = new Computer(new MachineConfiguration { MemorySize = 1024 * 1024, DiskBlocks = disk });
        computer.Load(program);
        computer.Memory.Write(program.Symbols["first"], BitConverter.GetBytes(firstSector));
        return new GuestDisk(computer);
    }

    public ExitReason Run(long budget = 50_000_000) => Computer.Run(budget).Reason;

    /// <summary>The bytes disk-fill.s writes to sector <paramref name="sector"/>.</summary>
    public static byte[] Pattern(uint sector, bool secondPass = false)
    {
        var bytes = new byte[BlockDisk.SectorSize];
        for (uint i = 0; i < 128; i++)
        {
            var word = ((sector << 16) | i) ^ (secondPass ? 0xA5A5A5A5u : 0);
            BitConverter.TryWriteBytes(bytes.AsSpan((int)i * 4), word);
        }
        return bytes;
    }

    /// <summary>SHA-256 of what disk-fill.s writes to sectors [first, first + count).</summary>
    public static string ExpectedHash(uint first, uint count, bool secondPass = false)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        for (var s = first; s < first + count; s++) hash.AppendData(Pattern(s, secondPass));
        return Convert.ToHexString(hash.GetHashAndReset());
    }

    /// <summary>SHA-256 of sectors [first, first + count) of a store, read through it.</summary>
    public static string Hash(IBlockStore store, uint first, uint count)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[BlockDisk.SectorSize];
        for (var s = first; s < first + count; s++)
        {
            Assert.That(store.Read(s, buffer), Is.EqualTo(BlockStatus.Ok), $"sector {s} reads back");
            hash.AppendData(buffer);
        }
        return Convert.ToHexString(hash.GetHashAndReset());
    }

    /// <summary>A group of <paramref name="disks"/> in-memory disks of <paramref name="extents"/> extents each.</summary>
    public static VolumeGroup Group(int disks, uint extents, uint extentSectors = 8)
    {
        var group = new VolumeGroup("vg0", extentSectors);
        for (var i = 1; i <= disks; i++)
        {
            group.Add(PhysicalVolume.Create(PhysicalDisk.InMemory($"disk{i}", PhysicalVolume.LabelSectors + extents * extentSectors), extentSectors));
        }
        return group;
    }
}
