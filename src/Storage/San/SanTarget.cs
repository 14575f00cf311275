using VirtualizationWorkbench.Machine.Devices;

namespace VirtualizationWorkbench.Storage.San;

/// <summary>
/// The storage machine's side of the SAN: it serves one volume (a LUN) to the initiator logged in to it, and
/// answers each request with one reply frame. The volume is attached to the target, so no machine can attach it
/// locally at the same time; and one initiator at a time holds the LUN (a reservation, as SCSI's), so two machines
/// never write it at once. With a <see cref="SanZone"/>, only its members may log in or get an answer.
/// </summary>
public sealed class SanTarget : INetworkLink
{
    private readonly VolumeAttachment lun;
    private readonly Volume volume;
    private (ulong Mac, INetworkLink Link)? session;

    /// <summary>Serves <paramref name="volume"/> from the machine with MAC address <paramref name="mac"/>, to the
    /// members of <paramref name="zone"/> (to anyone without one).</summary>
    public SanTarget(Volume volume, ulong mac, SanZone? zone = null)
    {
        lun = volume.Attach($"SAN target {mac:x12}");
        this.volume = volume;
        Mac = mac;
        Zone = zone;
    }

    /// <summary>The target's MAC address.</summary>
    public ulong Mac { get; }

    /// <summary>Who may reach the LUN, or null for anyone.</summary>
    public SanZone? Zone { get; }

    /// <summary>The MAC address of the initiator logged in, or null.</summary>
    public ulong? Initiator => session?.Mac;

    /// <summary>Where replies to anyone but the logged-in initiator go (the rest of the network).</summary>
    public INetworkLink? Replies { get; set; }

    /// <summary>Requests served, malformed frames dropped, and requests refused (from an initiator not in the zone
    /// or not logged in: answered with an error and no data).</summary>
    public ulong Requests { get; private set; }

    /// <inheritdoc cref="Requests"/>
    public ulong Dropped { get; private set; }

    /// <inheritdoc cref="Requests"/>
    public ulong Refused { get; private set; }

    /// <summary>Sectors read and written for initiators: whatever crosses the network from or to the volume.</summary>
    public ulong SectorsServed { get; private set; }

    /// <summary>Why <paramref name="mac"/> may not log in now, or null if it may.</summary>
    public string? CannotLogIn(ulong mac)
    {
        if (Zone is { } zone && !zone.Admits(mac))
        {
            return $"initiator {mac:x12} is not in zone '{zone.Name}' of LUN '{volume.Name}' (members: {zone}); add it to the zone first";
        }
        if (session is { } s && s.Mac != mac)
        {
            return $"LUN '{volume.Name}' is held by initiator {s.Mac:x12}; one initiator writes a volume at a time (two would corrupt it): log that one out first";
        }
        return null;
    }

    /// <summary>The initiator <paramref name="mac"/> logs in; the target's replies go to <paramref name="link"/>.
    /// A <see cref="StorageError"/>, changing nothing, if it may not (<see cref="CannotLogIn"/>).</summary>
    public void Login(ulong mac, INetworkLink link)
    {
        if (CannotLogIn(mac) is { } why) throw new StorageError($"SAN login to target {Mac:x12}: {why}");
        session = (mac, link);
    }

    /// <summary>The initiator <paramref name="mac"/> logs out; its later requests are refused.</summary>
    public void Logout(ulong mac)
    {
        if (session?.Mac == mac) session = null;
    }

    /// <summary>A frame arrives from the network.</summary>
    public void Transmit(ReadOnlySpan<byte> frame)
    {
        if (!BlockFrame.IsValid(frame) || (BlockFrame.Operation(frame) & BlockFrame.Reply) != 0)
        {
            Dropped++;
            return;
        }
        var sector = BlockFrame.Sector(frame);
        var count = BlockFrame.Count(frame);
        var bytes = count * BlockDisk.SectorSize;
        var source = BlockFrame.Source(frame);
        if (session?.Mac != source)
        {
            // LUN masking: a machine outside the zone, or one not logged in, learns nothing of the volume.
            Refused++;
            Send(source, BlockFrame.Build(source, Mac, (byte)(BlockFrame.Operation(frame) | BlockFrame.Reply), BlockStatus.IoError, BlockFrame.Tag(frame), sector, count, []));
            return;
        }
        Requests++;
        var outOfRange = (ulong)sector + count > lun.Sectors;
        byte[] reply;
        if (BlockFrame.Operation(frame) == BlockFrame.Read)
        {
            var data = new byte[bytes];
            var status = outOfRange ? BlockStatus.IoError : lun.Read(sector, data);
            reply = BlockFrame.Build(source, Mac, BlockFrame.Read | BlockFrame.Reply, status, BlockFrame.Tag(frame), sector, count, status == BlockStatus.Ok ? data : []);
        }
        else
        {
            var status = outOfRange ? BlockStatus.IoError : lun.Write(sector, BlockFrame.Data(frame)[..bytes]);
            reply = BlockFrame.Build(source, Mac, BlockFrame.Write | BlockFrame.Reply, status, BlockFrame.Tag(frame), sector, count, []);
        }
        if (BlockFrame.Status(reply) == BlockStatus.Ok) SectorsServed += count;
        Send(source, reply);
    }

    private void Send(ulong destination, byte[] reply) => (session is { } s && s.Mac == destination ? s.Link : Replies)?.Transmit(reply);

    /// <summary>The LUN's capacity, as the initiator learns it at login.</summary>
    public uint Sectors => lun.Sectors;
}
