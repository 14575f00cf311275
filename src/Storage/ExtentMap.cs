namespace VirtualizationWorkbench.Storage;

/// <summary>
/// A logical volume's whole identity: logical extent n lives at physical extent <c>this[n]</c>. Growing a
/// volume appends to the map, moving it rewrites entries, and nothing above the map can tell.
/// </summary>
public sealed class ExtentMap
{
    private readonly List<PhysicalExtent> extents = [];

    /// <summary>Logical extents mapped.</summary>
    public int Count => extents.Count;

    /// <summary>Where logical extent <paramref name="logical"/> lives.</summary>
    public PhysicalExtent this[int logical]
    {
        get => extents[logical];
        internal set => extents[logical] = value;
    }

    /// <summary>All entries, logical extent 0 first.</summary>
    public IReadOnlyList<PhysicalExtent> Entries => extents;

    internal void Append(PhysicalExtent extent) => extents.Add(extent);

    internal void RemoveLast(int count) => extents.RemoveRange(extents.Count - count, count);

    /// <summary>The map in runs, as <c>lvdisplay --maps</c> prints it: "LE 0-3 -> disk1 PE 0-3".</summary>
    public IReadOnlyList<string> Runs()
    {
        var runs = new List<string>();
        var start = 0;
        for (var i = 1; i <= extents.Count; i++)
        {
            if (i < extents.Count && extents[i].Volume == extents[i - 1].Volume && extents[i].Index == extents[i - 1].Index + 1) continue;
            var first = extents[start];
            var last = extents[i - 1];
            runs.Add(start == i - 1
                ? $"LE {start} -> {first.Volume.Name} PE {first.Index}"
                : $"LE {start}-{i - 1} -> {first.Volume.Name} PE {first.Index}-{last.Index}");
            start = i;
        }
        return runs;
    }

    /// <inheritdoc/>
    public override string ToString() => string.Join("; ", Runs());
}
