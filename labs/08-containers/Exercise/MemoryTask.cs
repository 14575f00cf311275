namespace VirtualizationWorkbench.Labs.MemoryLimits;

/// <summary>A process as the memory controller sees it: which group it is charged to and what it holds (this
/// file is given).</summary>
public sealed class MemoryTask(int pid, string group)
{
    /// <summary>Its pid.</summary>
    public int Pid { get; } = pid;

    /// <summary>Its control group.</summary>
    public string Group { get; } = group;

    /// <summary>Pages that exist nowhere else (heap, stack, written pages): reclaim cannot take them (no swap).</summary>
    public long AnonymousPages { get; set; }

    /// <summary>Clean pages of a file (the program's code): reclaim may drop them, they can be read again.</summary>
    public long CleanFilePages { get; set; }

    /// <summary>Everything it holds: the OOM killer's measure of its size.</summary>
    public long ResidentPages => AnonymousPages + CleanFilePages;

    /// <summary>Whether the OOM killer killed it (a killed task holds nothing and is charged nothing more).</summary>
    public bool Killed { get; set; }
}
