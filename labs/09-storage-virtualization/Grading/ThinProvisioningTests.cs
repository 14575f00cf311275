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

    // Sizes, block numbers, times and fills come from the grading run's seed (Inputs): every check observes
    // values a submission cannot know in advance, and the reference solution observes the same ones.
    private static byte Fill() => (byte)Inputs.Next(1, 255);

    private static byte[] Hash(byte[] data) => System.Security.Cryptography.SHA256.HashData(data);

    [Test]
    [Property("Points", 2)]
    [Property("Hint", "Write: a block takes a pool block on its first write only; Reserve hands out 0, 1, 2, … in order.")]
    [Property("Visibility", "visible")]
    public void Blocks_Are_Allocated_On_First_Write_In_Order()
    {
        var blocks = (uint)Inputs.Next(4, 12);
        var (pool, _) = Pool(blocks, PoolFullPolicy.Error);
        var size = (uint)Inputs.Next(20, 60);
        var volume = new ThinVolume(pool, size);
        // Pool blocks 0, 1, 2, … go to virtual blocks in the order of their first write; a second write takes none.
        var expected = new uint?[size];
        uint next = 0;
        var writes = Inputs.Next(2, (int)blocks);
        for (var n = 0; n < writes; n++)
        {
            var block = (uint)Inputs.Next(0, (int)size);
            expected[block] ??= next++;
            volume.Write(block * BlockSectors + (uint)Inputs.Next(0, (int)BlockSectors), Sector(Fill()));
            volume.Write(block * BlockSectors + (uint)Inputs.Next(0, (int)BlockSectors), Sector(Fill()));   // the same block again
        }
        Observe.That(Enumerable.Range(0, (int)size).Select(v => volume.PoolBlockOf((uint)v)).ToArray(), Is.EqualTo(expected), "the whole map, virtual block by block");
        Observe.That(pool.AllocatedBlocks, Is.EqualTo(next));
    }

    [Test]
    [Property("Points", 1)]
    [Property("Hint", "Read: a block with no pool block reads as zeros, and reading takes nothing from the pool.")]
    [Property("Visibility", "visible")]
    public void Unwritten_Blocks_Read_As_Zeros_And_Take_Nothing()
    {
        var (pool, data) = Pool((uint)Inputs.Next(1, 6), PoolFullPolicy.Error);
        data.Write(Sector(Fill()));   // old data in the pool
        var volume = new ThinVolume(pool, 20);
        var buffer = Sector(Fill());
        Observe.That(volume.Read((uint)Inputs.Next(0, 160), buffer), Is.EqualTo(BlockStatus.Ok));
        Observe.That(buffer.All(b => b == 0), Is.True, "zeros");
        Observe.That(pool.AllocatedBlocks, Is.EqualTo(0u), "reading takes no block");
        // One written sector among unwritten ones: a read across them gives it back between zeros.
        var at = (uint)Inputs.Next(8, 150);
        var fill = Fill();
        volume.Write(at, Sector(fill));
        var before = Inputs.Next(1, 8);
        var around = new byte[(before + 1 + Inputs.Next(1, 8)) * BlockDisk.SectorSize];
        Observe.That(volume.Read(at - (uint)before, around), Is.EqualTo(BlockStatus.Ok));
        var expected = new byte[around.Length];
        Sector(fill).CopyTo(expected, before * BlockDisk.SectorSize);
        Observe.That(Convert.ToHexString(Hash(around)), Is.EqualTo(Convert.ToHexString(Hash(expected))));
    }

    [Test]
    [Property("Points", 2)]
    [Property("Hint", "A request may cross block boundaries; a new block the write does not fill must read as zeros around the data.")]
    [Property("Visibility", "visible")]
    public void Data_Comes_Back_Across_Blocks_And_New_Blocks_Are_Zeroed()
    {
        var (pool, data) = Pool(6, PoolFullPolicy.Error);
        var old = Fill();
        data.Write(Enumerable.Repeat(old, (int)data.Length).ToArray());   // the pool's old contents
        var volume = new ThinVolume(pool, 10);
        var sectors = Inputs.Next(2, 12);
        var at = Inputs.Next(1, 16);   // crosses at least one block boundary for most draws
        var written = new byte[sectors * BlockDisk.SectorSize];
        var step = Fill();
        for (var i = 0; i < written.Length; i++) written[i] = (byte)(i * step);
        Observe.That(volume.Write((uint)at, written), Is.EqualTo(BlockStatus.Ok));
        var back = new byte[32 * BlockDisk.SectorSize];
        Observe.That(volume.Read(0, back), Is.EqualTo(BlockStatus.Ok));
        var expected = new byte[32 * BlockDisk.SectorSize];
        written.CopyTo(expected, at * BlockDisk.SectorSize);
        Observe.That(Convert.ToHexString(Hash(back)), Is.EqualTo(Convert.ToHexString(Hash(expected))));
        Observe.That(pool.AllocatedBlocks, Is.EqualTo((uint)((at + sectors - 1) / BlockSectors - at / BlockSectors + 1)));
    }

    [Test]
    [Property("Points", 2)]
    [Property("Hint", "error_if_no_space: a write needing more blocks than are free fails with IoError, and takes none of them (all or nothing).")]
    [Property("Visibility", "visible")]
    public void A_Full_Pool_In_Error_Mode_Fails_The_Write_At_Once_And_Takes_Nothing()
    {
        var blocks = (uint)Inputs.Next(2, 8);
        var (pool, _) = Pool(blocks, PoolFullPolicy.Error);
        var volume = new ThinVolume(pool, 40);
        for (var b = 0u; b < blocks - 1; b++) volume.Write(b * BlockSectors, Sector(Fill()));
        var twoBlocks = new byte[16 * BlockDisk.SectorSize];
        var from = (uint)Inputs.Next((int)blocks + 1, 38);
        Observe.That(volume.Write(from * BlockSectors, twoBlocks), Is.EqualTo(BlockStatus.IoError), "two blocks needed, one free");
        Observe.That(pool.AllocatedBlocks, Is.EqualTo(blocks - 1));
        Observe.That(volume.PoolBlockOf(from), Is.Null);
        Observe.That(volume.Write((uint)Inputs.Next(0, (int)((blocks - 1) * BlockSectors)), Sector(Fill())), Is.EqualTo(BlockStatus.Ok), "a block already held is still writable");
        Observe.That(volume.Write((from + 1) * BlockSectors, Sector(Fill())), Is.EqualTo(BlockStatus.Ok), "one block needed, one free");
    }

    [Test]
    [Property("Points", 2)]
    [Property("Hint", "queue_if_no_space: Queued until NoSpaceTimeout cycles after the first queueing, then IoError at once for every write that needs a block.")]
    [Property("Visibility", "visible")]
    public void A_Full_Pool_In_Queue_Mode_Queues_Then_Errors_After_The_Timeout()
    {
        var timeout = (ulong)Inputs.Next(100, 5000);
        var (pool, _) = Pool(1, PoolFullPolicy.Queue, timeout);
        var volume = new ThinVolume(pool, 10);
        now = (ulong)Inputs.Next(1000, 9000);
        volume.Write(0, Sector(Fill()));
        var queuedAt = now + (ulong)Inputs.Next(1, 1000);
        // Writes at the first queueing, within the timeout (the last one a cycle before it ends), then at and after it.
        var times = new List<ulong> { queuedAt };
        var within = Inputs.Next(0, 4);
        for (var i = 0; i < within; i++) times.Add(queuedAt + (ulong)Inputs.Next(1, (int)timeout - 1));
        times.Add(queuedAt + timeout - 1);
        var after = Inputs.Next(1, 4);
        for (var i = 0; i < after; i++) times.Add(queuedAt + timeout + (ulong)Inputs.Next(0, 1000));
        var answers = new List<BlockStatus>();
        foreach (var t in times)
        {
            now = t;
            answers.Add(volume.Write((uint)Inputs.Next(8, 80), Sector(Fill())));
        }
        Observe.That(answers, Is.EqualTo(Enumerable.Repeat(BlockStatus.Queued, within + 2).Concat(Enumerable.Repeat(BlockStatus.IoError, after))));
    }

    [Test]
    [Property("Points", 2)]
    [Property("Hint", "When the data store has grown, Reserve finds free blocks again: it must forget the queueing and the timeout.")]
    [Property("Visibility", "visible")]
    public void Growing_The_Pool_Lets_Queued_And_Timed_Out_Writes_Through()
    {
        var timeout = (ulong)Inputs.Next(50, 500);
        var (pool, data) = Pool(1, PoolFullPolicy.Queue, timeout);
        var volume = new ThinVolume(pool, 10);
        volume.Write(0, Sector(Fill()));
        now = (ulong)Inputs.Next(1, 100);
        Observe.That(volume.Write(8, Sector(Fill())), Is.EqualTo(BlockStatus.Queued));
        now += timeout + (ulong)Inputs.Next(0, 100);
        Observe.That(volume.Write(8, Sector(Fill())), Is.EqualTo(BlockStatus.IoError));
        var grown = Inputs.Next(2, 6);
        data.SetLength(grown * BlockSectors * BlockDisk.SectorSize);
        var results = new List<BlockStatus>();
        for (var b = 1; b <= grown; b++) results.Add(volume.Write((uint)(b * BlockSectors), Sector(Fill())));
        Observe.That(results, Is.EqualTo(Enumerable.Repeat(BlockStatus.Ok, grown - 1).Append(BlockStatus.Queued)), "the grown pool serves every new block, then is full again: a fresh wait, not the old timeout");
    }
}
