namespace VirtualizationWorkbench.Containers;

/// <summary>Where a process is in its life.</summary>
public enum ProcessState
{
    /// <summary>Ready to run (or running).</summary>
    Runnable,
    /// <summary>Waiting in wait() for a child to end.</summary>
    WaitingForChild,
    /// <summary>Waiting in recv() for a value at one of its ports.</summary>
    WaitingForNetwork,
    /// <summary>Waiting in msgrcv() on a queue.</summary>
    WaitingForMessage,
    /// <summary>Ended, not yet reaped by its parent: it still holds its pid (and counts in pids.current).</summary>
    Zombie,
    /// <summary>Reaped: gone.</summary>
    Reaped,
}
