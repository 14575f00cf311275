namespace VirtualizationWorkbench.Containers.Namespaces;

/// <summary>
/// A pid namespace: its own numbering of processes, from 1. Namespaces nest: a process has a number in its own
/// namespace and in every ancestor (Linux's <c>struct pid</c> keeps one per level), so the host sees every
/// container's processes under host pids, and a container sees only its own.
/// </summary>
public sealed class PidNamespace(PidNamespace? parent)
{
    private readonly SortedDictionary<int, Process> byNumber = [];
    private int next = 1;

    /// <summary>The namespace this one was made in; null for the host's.</summary>
    public PidNamespace? Parent { get; } = parent;

    /// <summary>How deep it is: 0 for the host's.</summary>
    public int Level { get; } = parent is null ? 0 : parent.Level + 1;

    /// <summary>Processes by their number here, in order.</summary>
    public IReadOnlyDictionary<int, Process> Processes => byNumber;

    /// <summary>Numbers <paramref name="process"/> here and returns its number.</summary>
    internal int Add(Process process)
    {
        var number = next++;
        byNumber[number] = process;
        return number;
    }

    /// <summary>Frees <paramref name="number"/> (the process was reaped).</summary>
    internal void Remove(int number) => byNumber.Remove(number);
}
