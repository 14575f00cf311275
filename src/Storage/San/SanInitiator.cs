using VirtualizationWorkbench.Machine.Devices;

namespace VirtualizationWorkbench.Storage.San;

/// <summary>
/// The compute machine's side of the SAN, what its host bus adapter does: it is the block store behind that
/// machine's disk, and turns every disk request into request frames to the target and waits for the replies.
/// The guest sees a disk; its blocks live on another machine. Frames and their virtual time are counted
/// (<see cref="StorageCosts.Frame"/>), so a SAN request can be compared with a local one.
/// </summary>
public sealed class SanInitiator : IBlockStore, INetworkLink
{
    private readonly SanTarget target;
    private readonly StorageCosts costs;
    private byte[]? reply;
    private ushort tag;

    /// <summary>An initiator with MAC address <paramref name="mac"/> cabled to <paramref name="target"/> and logged
    /// in to it: its requests go to the target, the target's replies come back to it. A
    /// <see cref="StorageError"/> if the target refuses the login (not zoned, or the LUN held by another).</summary>
    public SanInitiator(SanTarget target, ulong mac, StorageCosts? costs = null)
    {
        this.target = target;
        this.costs = costs ?? StorageCosts.Default;
        Mac = mac;
        target.Login(mac, this);
    }

    /// <summary>The target it is cabled to.</summary>
    public SanTarget Target => target;

    /// <summary>Logs out of the target: the LUN is free for another initiator, and this one's requests fail.</summary>
    public void Logout() => target.Logout(Mac);

    /// <summary>The initiator's MAC address.</summary>
    public ulong Mac { get; }

    /// <summary>Frames and bytes sent and received, and their virtual time on the wire.</summary>
    public ulong Frames { get; private set; }

    /// <inheritdoc cref="Frames"/>
    public ulong Bytes { get; private set; }

    /// <inheritdoc cref="Frames"/>
    public ulong NetworkCycles { get; private set; }

    /// <summary>Optional: a copy of every frame both ways, for a capture file.</summary>
    public Action<byte[]>? Tap { get; set; }

    /// <inheritdoc/>
    public uint Sectors => target.Sectors;

    /// <inheritdoc/>
    public BlockStatus Read(uint sector, Span<byte> destination)
    {
        for (var offset = 0; offset < destination.Length;)
        {
            var count = (ushort)Math.Min(BlockFrame.MaxSectors, (destination.Length - offset) / BlockDisk.SectorSize);
            var answer = Exchange(BlockFrame.Read, sector, count, []);
            if (answer is null || BlockFrame.Status(answer) != BlockStatus.Ok) return answer is null ? BlockStatus.IoError : BlockFrame.Status(answer);
            BlockFrame.Data(answer)[..(count * BlockDisk.SectorSize)].CopyTo(destination[offset..]);
            sector += count;
            offset += count * BlockDisk.SectorSize;
        }
        return BlockStatus.Ok;
    }

    /// <inheritdoc/>
    public BlockStatus Write(uint sector, ReadOnlySpan<byte> source)
    {
        for (var offset = 0; offset < source.Length;)
        {
            var count = (ushort)Math.Min(BlockFrame.MaxSectors, (source.Length - offset) / BlockDisk.SectorSize);
            var answer = Exchange(BlockFrame.Write, sector, count, source.Slice(offset, count * BlockDisk.SectorSize));
            if (answer is null || BlockFrame.Status(answer) != BlockStatus.Ok) return answer is null ? BlockStatus.IoError : BlockFrame.Status(answer);
            sector += count;
            offset += count * BlockDisk.SectorSize;
        }
        return BlockStatus.Ok;
    }

    /// <summary>A reply arrives from the network.</summary>
    public void Transmit(ReadOnlySpan<byte> frame)
    {
        Count(frame);
        if (BlockFrame.IsValid(frame) && BlockFrame.Tag(frame) == tag) reply = frame.ToArray();
    }

    // One request, one reply; the simulated network delivers synchronously, so the reply is here when the
    // target returns. No reply (a dropped frame) is an I/O error for the guest.
    private byte[]? Exchange(byte operation, uint sector, ushort count, ReadOnlySpan<byte> data)
    {
        tag++;
        reply = null;
        var request = BlockFrame.Build(target.Mac, Mac, operation, BlockStatus.Ok, tag, sector, count, data);
        Count(request);
        target.Transmit(request);
        return reply;
    }

    private void Count(ReadOnlySpan<byte> frame)
    {
        Frames++;
        Bytes += (ulong)frame.Length;
        NetworkCycles += costs.Frame(frame.Length);
        Tap?.Invoke(frame.ToArray());
    }
}
