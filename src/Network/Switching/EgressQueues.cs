namespace VirtualizationWorkbench.Network.Switching;

/// <summary>
/// A port's eight egress queues, one per traffic class, served in strict priority: a frame waits while any
/// frame of a higher class waits. PCP values map to classes as IEEE 802.1Q's table for eight queues says, where
/// PCP 1 (background) ranks below PCP 0 (best effort): class = 0 for PCP 1, 1 for PCP 0, else the PCP.
/// A full queue drops new frames (tail drop); a drop-eligible frame (DEI set) is dropped once its queue is half
/// full, so that under congestion those go first.
/// </summary>
public sealed class EgressQueues(int limitPerClass)
{
    private readonly Queue<QueuedFrame>[] classes = [.. Enumerable.Range(0, 8).Select(_ => new Queue<QueuedFrame>())];

    /// <summary>A frame waiting to leave: its bytes as they will go out, its VLAN and priority, and when it
    /// entered the network.</summary>
    public readonly record struct QueuedFrame(byte[] Frame, int Vid, byte Pcp, bool Dei, bool Flooded, long Born);

    /// <summary>Frames each queue holds at most.</summary>
    public int LimitPerClass { get; } = limitPerClass;

    /// <summary>Frames waiting in all queues.</summary>
    public int Count { get; private set; }

    /// <summary>The traffic class of a priority (0 lowest, 7 highest).</summary>
    public static int TrafficClass(int pcp) => pcp switch
    {
        1 => 0,
        0 => 1,
        _ => pcp & 7,
    };

    /// <summary>Frames waiting in the queue of one traffic class.</summary>
    public int Waiting(int trafficClass) => classes[trafficClass].Count;

    /// <summary>Queues the frame; false if its queue had no room for it.</summary>
    public bool TryEnqueue(QueuedFrame frame)
    {
        var queue = classes[TrafficClass(frame.Pcp)];
        var limit = frame.Dei ? LimitPerClass / 2 : LimitPerClass;
        if (queue.Count >= limit) return false;
        queue.Enqueue(frame);
        Count++;
        return true;
    }

    /// <summary>The next frame to send: the oldest of the highest non-empty class.</summary>
    public bool TryDequeue(out QueuedFrame frame)
    {
        for (var c = 7; c >= 0; c--)
        {
            if (classes[c].TryDequeue(out frame))
            {
                Count--;
                return true;
            }
        }
        frame = default;
        return false;
    }
}
