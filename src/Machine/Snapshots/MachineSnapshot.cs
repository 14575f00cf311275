using System.IO.Compression;
using System.Text;
using VirtualizationWorkbench.Machine.Costs;

namespace VirtualizationWorkbench.Machine.Snapshots;

/// <summary>
/// Saves a whole machine — configuration, RAM, every core (registers, control registers, timer, counters)
/// and every device — and restores it, bit for bit. A VM can so be duplicated, saved, restored or moved.
/// File format: <c>"VWSNAP01"</c>, then a zlib stream holding the configuration (memory size, cores, quantum,
/// cost table as JSON), the RAM, the cores and the devices in bus order.
/// </summary>
public static class MachineSnapshot
{
    private static readonly byte[] Magic = "VWSNAP01"u8.ToArray();

    /// <summary>Writes a snapshot of <paramref name="computer"/> to <paramref name="stream"/>.</summary>
    /// <exception cref="InvalidOperationException">A core is in non-root mode (a running hardware-assisted
    /// guest belongs to its hypervisor's state, which lives in host code).</exception>
    public static void Save(Computer computer, Stream stream)
    {
        if (computer.Cores.Any(c => c.InGuestMode))
        {
            throw new InvalidOperationException("a core is running a guest in non-root mode; let it exit to the hypervisor before saving");
        }
        stream.Write(Magic);
        using var zip = new ZLibStream(stream, CompressionLevel.Fastest, leaveOpen: true);
        using var w = new BinaryWriter(zip, Encoding.UTF8, leaveOpen: true);
        var config = computer.Configuration;
        w.Write(config.MemorySize);
        w.Write(config.Cores);
        w.Write(config.Quantum);
        w.Write(config.Costs.ToJson());
        w.Write(computer.Memory.Bytes);
        foreach (var core in computer.Cores) core.Save(w);
        foreach (var device in computer.Bus.Devices) device.Save(w);
    }

    /// <summary>Saves to a file, whole or not at all (written to a temporary name, then renamed).</summary>
    public static void Save(Computer computer, string path)
    {
        var temporary = path + ".tmp";
        using (var file = File.Create(temporary))
        {
            Save(computer, file);
        }
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Builds a new machine from a snapshot (its disk is in memory, holding the saved contents).</summary>
    /// <exception cref="FormatException">The stream is not a snapshot or is damaged.</exception>
    public static Computer Load(Stream stream, string source = "snapshot")
    {
        var magic = new byte[Magic.Length];
        if (stream.ReadAtLeast(magic, magic.Length, throwOnEndOfStream: false) != magic.Length || !magic.AsSpan().SequenceEqual(Magic))
        {
            throw new FormatException($"{source}: not a machine snapshot (it does not start with VWSNAP01)");
        }
        try
        {
            using var zip = new ZLibStream(stream, CompressionMode.Decompress, leaveOpen: true);
            using var r = new BinaryReader(zip, Encoding.UTF8, leaveOpen: true);
            var memory = r.ReadUInt32();
            var cores = r.ReadInt32();
            var quantum = r.ReadInt32();
            var costs = CostTable.Parse(r.ReadString(), source);
            var computer = new Computer(new MachineConfiguration { MemorySize = memory, Cores = cores, Quantum = quantum, Costs = costs });
            RestoreInto(computer, r, source);
            return computer;
        }
        catch (Exception e) when (e is EndOfStreamException or InvalidDataException or ArgumentException)
        {
            throw new FormatException($"{source}: the snapshot is truncated or damaged ({e.Message})", e);
        }
    }

    /// <summary>Loads a snapshot file.</summary>
    public static Computer Load(string path)
    {
        using var file = File.OpenRead(path);
        return Load(file, path);
    }

    /// <summary>Restores a snapshot into an existing machine of the same shape (used for step-back).</summary>
    public static void Restore(Computer computer, byte[] snapshot)
    {
        using var stream = new MemoryStream(snapshot);
        var magic = new byte[Magic.Length];
        stream.ReadExactly(magic);
        using var zip = new ZLibStream(stream, CompressionMode.Decompress);
        using var r = new BinaryReader(zip);
        if (r.ReadUInt32() != computer.Configuration.MemorySize || r.ReadInt32() != computer.Cores.Count)
        {
            throw new InvalidOperationException("the snapshot was taken of a machine of another shape");
        }
        r.ReadInt32();
        r.ReadString();
        RestoreInto(computer, r, "snapshot");
    }

    /// <summary>A snapshot in memory.</summary>
    public static byte[] Capture(Computer computer)
    {
        using var stream = new MemoryStream();
        Save(computer, stream);
        return stream.ToArray();
    }

    private static void RestoreInto(Computer computer, BinaryReader r, string source)
    {
        var ram = r.ReadBytes(computer.Memory.Bytes.Length);
        if (ram.Length != computer.Memory.Bytes.Length) throw new EndOfStreamException($"{source}: memory image is short");
        ram.CopyTo(computer.Memory.Bytes, 0);
        foreach (var core in computer.Cores) core.Restore(r);
        foreach (var device in computer.Bus.Devices) device.Restore(r);
    }
}
