using VirtualizationWorkbench.Containers.Filesystem;

namespace VirtualizationWorkbench.Containers.Namespaces;

/// <summary>A mount namespace, reduced to what this kernel needs: the directory that is the top of the tree for
/// its processes. Above it there is nothing to name, whatever chroot does (a container's root is pivoted to, and
/// the host's tree unmounted, so <c>..</c> at the top leads nowhere).</summary>
public sealed class MountNamespace(FsDirectory root)
{
    /// <summary>The top of the tree its processes see.</summary>
    public FsDirectory Root { get; } = root;
}
