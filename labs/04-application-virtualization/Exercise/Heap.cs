namespace VirtualizationWorkbench.Labs.ApplicationVm;

/// <summary>
/// The VM's heap, as in the workbench's host VM: arrays of integers reached through handles (1, 2, 3, … in
/// allocation order), never freed. Each array costs its length plus one word; <see cref="LimitWords"/> words in all.
/// </summary>
public sealed class Heap(int limitWords)
{
    private readonly List<int[]> arrays = [];

    /// <summary>How many words the program may allocate in all.</summary>
    public int LimitWords { get; } = limitWords;

    /// <summary>Words allocated so far (each array: its length + 1).</summary>
    public long UsedWords { get; private set; }

    /// <summary>Allocates a zeroed array of <paramref name="length"/> (0 or more) and returns its handle, or -1
    /// if it would take the heap past <see cref="LimitWords"/> (nothing is allocated then).</summary>
    public int Allocate(int length)
    {
        if (length < 0) throw new ArgumentOutOfRangeException(nameof(length), length, "check the length before allocating");
        if (UsedWords + length + 1L > LimitWords) return -1;
        UsedWords += length + 1L;
        arrays.Add(new int[length]);
        return arrays.Count;
    }

    /// <summary>The array behind a handle.</summary>
    public int[] this[int handle] => arrays[handle - 1];
}
