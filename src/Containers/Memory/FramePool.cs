using VirtualizationWorkbench.Machine.Memory;

namespace VirtualizationWorkbench.Containers.Memory;

/// <summary>
/// The machine's physical frames: handed out zeroed, lowest first, freed frames reused last-in first-out, so that
/// the same run always uses the same frames. Frame 0 is never handed out (a zero frame number is a bug).
/// </summary>
public sealed class FramePool
{
    private readonly PhysicalMemory memory;
    private readonly Stack<uint> freed = new();
    private uint next = UserLayout.PageSize;

    /// <summary>A pool of every frame of <paramref name="memory"/> but the first.</summary>
    public FramePool(PhysicalMemory memory)
    {
        this.memory = memory;
        Total = memory.Size / UserLayout.PageSize - 1;
    }

    /// <summary>Frames in the pool.</summary>
    public uint Total { get; }

    /// <summary>Frames handed out and not freed.</summary>
    public uint Used { get; private set; }

    /// <summary>A zeroed frame's physical address, or null when every frame is in use.</summary>
    public uint? Allocate()
    {
        uint frame;
        if (freed.Count > 0) frame = freed.Pop();
        else if (next < memory.Size) { frame = next; next += UserLayout.PageSize; }
        else return null;
        memory.Slice(frame, UserLayout.PageSize).Clear();
        Used++;
        return frame;
    }

    /// <summary>Gives <paramref name="frame"/> back.</summary>
    public void Free(uint frame)
    {
        freed.Push(frame);
        Used--;
    }
}
