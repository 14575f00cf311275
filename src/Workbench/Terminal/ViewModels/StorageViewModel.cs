using VirtualizationWorkbench.Storage;

namespace VirtualizationWorkbench.Workbench.Terminal.ViewModels;

/// <summary>A physical disk as the storage screen lists it, with one character per extent: the owning
/// volume's letter (see <see cref="StorageViewModel.Volumes"/>), '.' free, and every extent 'X' when the disk
/// has failed.</summary>
public sealed record DiskRow(string Name, uint Extents, uint Free, bool Failed, string ExtentStrip);

/// <summary>A volume as the storage screen lists it: its letter in the extent strips, kind, size and state.</summary>
public sealed record VolumeRow(char Letter, string Name, string Kind, uint Sectors, string State);

/// <summary>
/// What lab 09's screen shows of a volume group: the disks with their extents coloured by owner, the volumes
/// with their state (a thin pool's data %, a mirror's legs, a snapshot's use), the selected volume's extent map,
/// and the pools' and mirrors' events. Plain state, no terminal types: the screen itself waits for the new
/// terminal UI (issue 12). Call <see cref="Refresh"/> after the group changes.
/// </summary>
public sealed class StorageViewModel(VolumeGroup group)
{
    private const string Letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    /// <summary>The disks, in the order they joined the group.</summary>
    public IReadOnlyList<DiskRow> Disks { get; private set; } = [];

    /// <summary>The volumes users see, by name, and the hidden ones (mirror legs, pool data, exception stores)
    /// in brackets after them.</summary>
    public IReadOnlyList<VolumeRow> Volumes { get; private set; } = [];

    /// <summary>The selected row of <see cref="Volumes"/>.</summary>
    public int Selected { get; private set; }

    /// <summary>Selects row <paramref name="index"/> of <see cref="Volumes"/> (clamped).</summary>
    public void Select(int index) => Selected = Volumes.Count == 0 ? 0 : Math.Clamp(index, 0, Volumes.Count - 1);

    /// <summary>The extent map of the selected volume, in runs; for a thin volume its block count; a mirror's
    /// legs' maps.</summary>
    public IReadOnlyList<string> SelectedMap
    {
        get
        {
            if (Volumes.Count == 0) return [];
            var row = Volumes[Selected];
            var name = row.Name.Trim('[', ']');
            var linear = group.HiddenVolumes.FirstOrDefault(h => h.Name == name) ?? group.Volumes.OfType<LogicalVolume>().FirstOrDefault(v => v.Name == name);
            if (linear is not null) return linear.Map.Runs();
            return group.Volumes.FirstOrDefault(v => v.Name == name) switch
            {
                Mirror m => [.. m.Legs.SelectMany((l, i) => l.Volume.Map.Runs().Select(r => $"leg {i}: {r}"))],
                ThinVolume t => [$"{t.MappedCount} of {t.VirtualBlocks} blocks mapped in pool {t.Pool.Name}"],
                Snapshot s => [$"{s.ChunksCopied} chunks copied to [{s.Store.Name}]"],
                _ => [],
            };
        }
    }

    /// <summary>What the pools and mirrors logged, oldest first, each line led by its source.</summary>
    public IReadOnlyList<string> Events { get; private set; } = [];

    /// <summary>Reads the group again.</summary>
    public StorageViewModel Refresh()
    {
        var all = group.Volumes.OrderBy(v => v.Name, StringComparer.Ordinal).Cast<object>()
            .Concat(group.HiddenVolumes.OrderBy(v => v.Name, StringComparer.Ordinal)).ToList();
        var letters = new Dictionary<LogicalVolume, char>();
        var rows = new List<VolumeRow>();
        for (var i = 0; i < all.Count; i++)
        {
            var letter = i < Letters.Length ? Letters[i] : '#';
            rows.Add(all[i] switch
            {
                LogicalVolume { Hidden: true } h => new VolumeRow(letter, $"[{h.Name}]", "hidden", h.Sectors, $"{h.Extents} extents"),
                LogicalVolume lv => new VolumeRow(letter, lv.Name, "linear", lv.Sectors, Attached(lv, $"{lv.Extents} extents")),
                ThinVolume t => new VolumeRow(letter, t.Name, "thin", t.Sectors, Attached(t, $"pool {t.Pool.Name} {t.Pool.DataPercent:F0}% full{(t.Pool.OutOfDataSpace ? ", OUT OF SPACE" : "")}")),
                Mirror m => new VolumeRow(letter, m.Name, "mirror", m.Sectors, Attached(m, string.Join(", ", m.Legs.Select((l, n) => $"leg {n} {l.Disk.Name} {l.State}")) + (m.DirtyRegions > 0 ? $"; {m.DirtyRegions} dirty regions" : ""))),
                Snapshot s => new VolumeRow(letter, s.Name, "snapshot", s.Sectors, s.Invalid ? "INVALID (store full)" : $"of {s.Origin.Name}, {s.UsePercent:F0}% used"),
                var other => new VolumeRow(letter, ((Volume)other).Name, "volume", ((Volume)other).Sectors, ""),
            });
            if (all[i] is LogicalVolume owner) letters[owner] = letter;
        }
        Volumes = rows;
        Disks = [.. group.Disks.Select(d => new DiskRow(d.Name, d.Extents, group.FreeOn(d), d.Disk.Failed,
            new string([.. Enumerable.Range(0, (int)d.Extents).Select(i => d.Disk.Failed ? 'X' : group.OwnerOf(d, (uint)i) is { } o && letters.TryGetValue(o, out var c) ? c : '.')])))];
        Events = [.. group.Volumes.OfType<Mirror>().SelectMany(m => m.Events.Select(e => $"{m.Name}: {e}"))
            .Concat(group.Volumes.OfType<ThinVolume>().Select(t => t.Pool).Distinct().SelectMany(p => p.Events))];
        Select(Selected);
        return this;
    }

    private static string Attached(Volume volume, string state) => volume.AttachedTo is { } machine ? $"{state}; attached to {machine}" : state;
}
