using VirtualizationWorkbench.Machine.Devices;

namespace VirtualizationWorkbench.Storage.San;

/// <summary>
/// The storage machine's side of the SAN: it serves one volume (a LUN) to whoever sends it block requests
/// over the network, and answers each request with one reply frame. The volume is attached to the target, so no
/// machine can attach it locally at the same time.
/// </summary>
public sealed class SanTarget : INetworkLink
{
    private readonly VolumeAttachment lun;

    /// <summary>Serves <paramref name="volume"/> from the machine with MAC address <paramref name="mac"/>.</summary>
    public SanTarget(Volume volume, ulong mac)
    {
        lun = volume.Attach($"SAN target {mac:x12}");
        Mac = mac;
    }

    /// <summary>The target's MAC address.</summary>
    public ulong Mac { get; }

    /// <summary>Where replies go (the cable back to the initiators).</summary>
    public INetworkLink? Replies { get; set; }

    /// <summary>Requests served and malformed frames dropped.</summary>
    public ulong Requests { get; private set; }

    /// <inheritdoc cref="Requests"/>
    public ulong Dropped { get; private set; }

    /// <summary>A frame arrives from the network.</summary>
    public void Transmit(ReadOnlySpan<byte> frame)
    {
        if (!BlockFrame.IsValid(frame) || (BlockFrame.Operation(frame) & BlockFrame.Reply) != 0)
        {
            Dropped++;
            return;
        }
        Requests++;
        var sector = BlockFrame.Sector(frame);
        var count = BlockFrame.Count(frame);
        var bytes = count * BlockDisk.SectorSize;
        var outOfRange = (ulong)sector + count > lun.Sectors;
        byte[] reply;
        if (BlockFrame.Operation(frame) == BlockFrame.Read)
        {
            var data = new byte[bytes];
            var status = outOfRange ? BlockStatus.IoError : lun.Read(sector, data);
            reply = BlockFrame.Build(BlockFrame.Source(frame), Mac, BlockFrame.Read | BlockFrame.Reply, status, BlockFrame.Tag(frame), sector, count, status == BlockStatus.Ok ? data : []);
        }
        else
        {
            var status = outOfRange ? BlockStatus.IoError : lun.Write(sector, BlockFrame.Data(frame)[..bytes]);
            reply = BlockFrame.Build(BlockFrame.Source(frame), Mac, BlockFrame.Write | BlockFrame.Reply, status, BlockFrame.Tag(frame), sector, count, []);
        }
        Replies?.Transmit(reply);
    }

    /// <summary>The LUN's capacity, as the initiator learns it at login.</summary>
    public uint Sectors => lun.Sectors;
}
