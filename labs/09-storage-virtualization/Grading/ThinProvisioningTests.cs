using NUnit.Framework;
using VirtualizationWorkbench.Grading;
using VirtualizationWorkbench.Machine.Devices;

namespace VirtualizationWorkbench.Labs.ThinProvisioning.Grading;

/// <summary>Grades <see cref="ThinPool"/> and <see cref="ThinVolume"/>: by hand, then with a guest writing
/// through them (<see cref="GuestRun"/>).</summary>
[TestFixture]
public sealed partial class ThinProvisioningTests
{
    private const uint BlockSectors = 8;

    private ulong now;

    // A pool of `blocks` blocks over a data store that can grow, and the store's stream to grow it.
    private (ThinPool Pool, MemoryStream Data) Pool(uint blocks, PoolFullPolicy policy, ulong timeout = 1000)
    {
        var data = new MemoryStream();
        data.SetLength(blocks * BlockSectors * BlockDisk.SectorSize);
        return (new ThinPool(new StreamBlockStore(data), BlockSectors, policy, timeout, () => now), data);
    }

    private static byte[] Sector(byte fill) => Enumerable.Repeat(fill, BlockDisk.SectorSize).ToArray();

    [Test]
    [Property("Points", 2)]
    [Property("Hint", "Write: a block takes a pool block on its first write only; Reserve hands out 0, 1, 2, … in order.")]
    [Property("Visibility", "visible")]
    public void Blocks_Are_Allocated_On_First_Write_In_Order()
    {
        var (pool, _) = Pool(4, PoolFullPolicy.Error);
        var volume = new ThinVolume(pool, 100);
        volume.Write(80, Sector(1));   // virtual block 10
        volume.Write(83, Sector(2));   // block 10 again
        volume.Write(8, Sector(3));    // block 1
        Observe.That(pool.AllocatedBlocks, Is.EqualTo(2u));
        Observe.That((volume.PoolBlockOf(10), volume.PoolBlockOf(1), volume.PoolBlockOf(2)), Is.EqualTo(((uint?)0, (uint?)1, (uint?)null)));
    }

    [Test]
    [Property("Points", 1)]
    [Property("Hint", "Read: a block with no pool block reads as zeros, and reading takes nothing from the pool.")]
    [Property("Visibility", "visible")]
    public void Unwritten_Blocks_Read_As_Zeros_And_Take_Nothing()
    {
        var (pool, data) = Pool(2, PoolFullPolicy.Error);
        data.Write(Sector(0xEE));   // old data in the pool
        var volume = new ThinVolume(pool, 50);
        var buffer = Sector(0x55);
        Observe.That(volume.Read(17, buffer), Is.EqualTo(BlockStatus.Ok));
        Observe.That(buffer.All(b => b == 0), Is.True, "zeros");
        Observe.That(pool.AllocatedBlocks, Is.EqualTo(0u));
    }

    [Test]
    [Property("Points", 2)]
    [Property("Hint", "A request may cross block boundaries; a new block the write does not fill must read as zeros around the data.")]
    [Property("Visibility", "visible")]
    public void Data_Comes_Back_Across_Blocks_And_New_Blocks_Are_Zeroed()
    {
        var (pool, data) = Pool(4, PoolFullPolicy.Error);
        data.Write(Enumerable.Repeat((byte)0xEE, (int)data.Length).ToArray());   // the pool's old contents
        var volume = new ThinVolume(pool, 10);
        var three = new byte[3 * BlockDisk.SectorSize];
        for (var i = 0; i < three.Length; i++) three[i] = (byte)(i * 7);
        Observe.That(volume.Write(6, three), Is.EqualTo(BlockStatus.Ok));   // sectors 6-8: blocks 0 and 1
        var back = new byte[16 * BlockDisk.SectorSize];
        Observe.That(volume.Read(0, back), Is.EqualTo(BlockStatus.Ok));
        var expected = new byte[16 * BlockDisk.SectorSize];
        three.CopyTo(expected, 6 * BlockDisk.SectorSize);
        Observe.That(Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(back)), Is.EqualTo(Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(expected))));
    }

    [Test]
    [Property("Points", 2)]
    [Property("Hint", "error_if_no_space: a write needing more blocks than are free fails with IoError, and takes none of them (all or nothing).")]
    [Property("Visibility", "visible")]
    public void A_Full_Pool_In_Error_Mode_Fails_The_Write_At_Once_And_Takes_Nothing()
    {
        var (pool, _) = Pool(2, PoolFullPolicy.Error);
        var volume = new ThinVolume(pool, 10);
        volume.Write(0, Sector(1));
        var twoBlocks = new byte[16 * BlockDisk.SectorSize];
        Observe.That(volume.Write(16, twoBlocks), Is.EqualTo(BlockStatus.IoError), "two blocks needed, one free");
        Observe.That(pool.AllocatedBlocks, Is.EqualTo(1u));
        Observe.That(volume.PoolBlockOf(2), Is.Null);
        Observe.That(volume.Write(3, Sector(2)), Is.EqualTo(BlockStatus.Ok), "a block already held is still writable");
    }

    [Test]
    [Property("Points", 2)]
    [Property("Hint", "queue_if_no_space: Queued until NoSpaceTimeout cycles after the first queueing, then IoError at once for every write that needs a block.")]
    [Property("Visibility", "visible")]
    public void A_Full_Pool_In_Queue_Mode_Queues_Then_Errors_After_The_Timeout()
    {
        var (pool, _) = Pool(1, PoolFullPolicy.Queue, timeout: 1000);
        var volume = new ThinVolume(pool, 10);
        now = 5000;
        volume.Write(0, Sector(1));
        var answers = new List<BlockStatus>();
        foreach (var t in new ulong[] { 6000, 6500, 6999, 7000, 7001 })
        {
            now = t;
            answers.Add(volume.Write(8, Sector(2)));
        }
        Observe.That(answers, Is.EqualTo(new[] { BlockStatus.Queued, BlockStatus.Queued, BlockStatus.Queued, BlockStatus.IoError, BlockStatus.IoError }));
    }

    [Test]
    [Property("Points", 2)]
    [Property("Hint", "When the data store has grown, Reserve finds free blocks again: it must forget the queueing and the timeout.")]
    [Property("Visibility", "visible")]
    public void Growing_The_Pool_Lets_Queued_And_Timed_Out_Writes_Through()
    {
        var (pool, data) = Pool(1, PoolFullPolicy.Queue, timeout: 100);
        var volume = new ThinVolume(pool, 10);
        volume.Write(0, Sector(1));
        now = 10;
        Observe.That(volume.Write(8, Sector(2)), Is.EqualTo(BlockStatus.Queued));
        now = 500;
        Observe.That(volume.Write(8, Sector(2)), Is.EqualTo(BlockStatus.IoError));
        data.SetLength(3 * BlockSectors * BlockDisk.SectorSize);
        Observe.That(volume.Write(8, Sector(2)), Is.EqualTo(BlockStatus.Ok));
        Observe.That(volume.Write(16, Sector(3)), Is.EqualTo(BlockStatus.Ok));
        now = 10_000;
        Observe.That(volume.Write(24, Sector(4)), Is.EqualTo(BlockStatus.Queued), "full again: a fresh wait, not the old timeout");
    }
}
