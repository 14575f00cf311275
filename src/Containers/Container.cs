using System.Text;
using VirtualizationWorkbench.Containers.ControlGroups;
using VirtualizationWorkbench.Containers.Filesystem;
using VirtualizationWorkbench.Containers.Namespaces;

namespace VirtualizationWorkbench.Containers;

/// <summary>
/// A container: nothing but a set of namespaces, a control group and a root directory made from an image, with
/// an init process living in them. Its processes are ordinary processes of the one kernel.
/// </summary>
public sealed class Container
{
    /// <summary>The most console text kept per container; beyond it, output is counted, not kept.</summary>
    public const int ConsoleLimit = 64 * 1024;

    private readonly StringBuilder console = new();

    internal Container(ContainerSpec spec, NamespaceSet namespaces, ControlGroup group, FsDirectory rootfs, ulong startedAt)
    {
        Spec = spec;
        Namespaces = namespaces;
        Group = group;
        Rootfs = rootfs;
        StartedAt = startedAt;
    }

    /// <summary>What it was started from.</summary>
    public ContainerSpec Spec { get; }

    /// <summary>Its name.</summary>
    public string Name => Spec.Name;

    /// <summary>Its namespaces.</summary>
    public NamespaceSet Namespaces { get; }

    /// <summary>Its control group.</summary>
    public ControlGroup Group { get; }

    /// <summary>Its root directory (in the host's tree, /var/lib/containers/NAME/rootfs).</summary>
    public FsDirectory Rootfs { get; }

    /// <summary>Its init: pid 1 inside.</summary>
    public Process Init { get; internal set; } = null!;

    /// <summary>The kernel's clock when it was asked to start.</summary>
    public ulong StartedAt { get; }

    /// <summary>The kernel's clock at its first console output (its service is up), or null.</summary>
    public ulong? FirstOutputAt { get; private set; }

    /// <summary>Why it stopped, or null while its init lives.</summary>
    public string? StoppedBecause { get; internal set; }

    /// <summary>Whether its init still lives.</summary>
    public bool Running => StoppedBecause is null;

    /// <summary>What its processes wrote.</summary>
    public string Console => console.ToString();

    /// <summary>Bytes written past <see cref="ConsoleLimit"/> and not kept.</summary>
    public long ConsoleDropped { get; private set; }

    /// <summary>Bytes of its root's files that are its own (written since it started), not the image's.</summary>
    public long PrivateFileBytes => Rootfs.Walk().OfType<FsFile>().Where(f => !f.Shared).Sum(f => (long)f.Content.Length);

    internal void Write(ReadOnlySpan<byte> bytes, ulong now)
    {
        FirstOutputAt ??= now;
        var room = Math.Max(0, ConsoleLimit - console.Length);
        foreach (var b in bytes[..Math.Min(room, bytes.Length)]) console.Append((char)b);
        ConsoleDropped += Math.Max(0, bytes.Length - room);
    }
}
