using VirtualizationWorkbench.Containers.Filesystem;

namespace VirtualizationWorkbench.Containers.Namespaces;

/// <summary>
/// Every lookup that a namespace changes, in one place. Each system call that names something — a pid, a path,
/// the hostname, an address and port, a queue key — asks here, with the calling process; nothing else in the
/// kernel looks at namespaces. Read this file to see what a container is: the same kernel objects, named through
/// a different set of tables.
/// </summary>
public static class NamespaceLookup
{
    // ---------------------------------------------------------------- pid

    /// <summary>The number <paramref name="viewer"/> knows <paramref name="target"/> by: its number in the viewer's
    /// pid namespace, or 0 if it has none there (it lives in a sibling or an ancestor namespace: invisible).</summary>
    public static int PidAsSeenBy(Process viewer, Process target) => PidIn(viewer.Namespaces.Pid, target);

    /// <summary>The number of <paramref name="target"/> in <paramref name="ns"/>, or 0.</summary>
    public static int PidIn(PidNamespace ns, Process target)
    {
        // A process has one number per level, from the host's (level 0) down to its own namespace's.
        return ns.Level < target.Pids.Count && target.Pids[ns.Level].Namespace == ns ? target.Pids[ns.Level].Number : 0;
    }

    /// <summary>The process that <paramref name="viewer"/> calls <paramref name="pid"/>, or null (ESRCH): only its
    /// own namespace's table is searched, so another container's pid 1 is not even a name here.</summary>
    public static Process? ProcessByPid(Process viewer, int pid) =>
        viewer.Namespaces.Pid.Processes.TryGetValue(pid, out var process) ? process : null;

    /// <summary>
    /// Whether <paramref name="target"/> shrugs off a kill from <paramref name="sender"/>: a container's init (pid 1
    /// of a pid namespace below the host's) gets from its own namespace only the signals it has a handler for
    /// (pid_namespaces(7)), and this kernel's kill is SIGKILL, which has none. So <c>kill 1</c> inside a container
    /// succeeds and does nothing, while the host, an ancestor namespace, can kill that init by its host pid.
    /// </summary>
    public static bool IgnoresKillFrom(Process target, Process sender)
    {
        var own = target.Pids[^1];
        return own.Number == 1 && own.Namespace.Parent is not null && own.Namespace == sender.Namespaces.Pid;
    }

    /// <summary>The pids <paramref name="viewer"/> can see, ascending: its namespace's, which include those of
    /// namespaces nested in it (the host sees everyone).</summary>
    public static IReadOnlyList<int> VisiblePids(Process viewer) => [.. viewer.Namespaces.Pid.Processes.Keys];

    // ---------------------------------------------------------------- mount (path lookup)

    /// <summary>
    /// Resolves <paramref name="path"/> for <paramref name="process"/>: absolute paths start at its root (chroot's
    /// pointer), relative ones at its current directory. A <c>..</c> stays put at the process's root <b>or</b> at
    /// its mount namespace's root; anywhere else it goes to the parent. That second test is the whole difference
    /// between a chroot jail and a container: chroot changes only where lookups start, and a current directory
    /// left outside the new root (the man page's <c>mkdir foo; chroot foo; cd ..</c>) climbs past it, because it
    /// never meets it on the way up; the namespace's root is met by every path, since nothing lies above it.
    /// </summary>
    public static (FsNode? Node, Errno Error) Resolve(Process process, string path)
    {
        if (path.Length == 0) return (null, Errno.ENOENT);
        FsNode node = path[0] == '/' ? process.Root : process.Cwd;
        foreach (var part in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (node is not FsDirectory dir) return (null, Errno.ENOTDIR);
            if (part == ".") continue;
            if (part == "..")
            {
                var atTop = dir == process.Root || dir == process.Namespaces.Mount.Root;
                node = atTop ? dir : dir.Parent ?? dir;
                continue;
            }
            if (!dir.Children.TryGetValue(part, out var child)) return (null, Errno.ENOENT);
            node = child;
        }
        return (node, 0);
    }

    /// <summary>The path of <paramref name="node"/> as <paramref name="process"/> would name it, or
    /// <c>(unreachable)</c> and the host path when it lies outside the process's root (as Linux's getcwd says).</summary>
    public static string PathAsSeenBy(Process process, FsNode node)
    {
        var parts = new List<string>();
        for (FsNode? n = node; n is not null; n = n.Parent)
        {
            if (n == process.Root || n == process.Namespaces.Mount.Root)
            {
                parts.Reverse();
                return "/" + string.Join('/', parts);
            }
            parts.Add(n.Name);
        }
        return "(unreachable)" + node.HostPath;
    }

    // ---------------------------------------------------------------- UTS

    /// <summary>The hostname <paramref name="process"/> sees (and sets): its UTS namespace's.</summary>
    public static UtsNamespace Uts(Process process) => process.Namespaces.Uts;

    // ---------------------------------------------------------------- network

    /// <summary>
    /// The endpoint that a value <paramref name="sender"/> sends to <paramref name="address"/>:<paramref name="port"/>
    /// reaches. 127.0.0.1 is the sender's own namespace; any other address must be on the bridge, and the sender's
    /// namespace must be on it too (a container without a bridge address reaches only itself).
    /// </summary>
    public static (Endpoint? Endpoint, Errno Error) Endpoint(Process sender, IReadOnlyList<NetNamespace> bridge, uint address, int port)
    {
        var own = sender.Namespaces.Net;
        NetNamespace? target = address == NetNamespace.Loopback ? own : null;
        if (target is null && own.BridgeAddress is not null)
        {
            target = bridge.FirstOrDefault(n => n.BridgeAddress == address);
        }
        if (target is null) return (null, Errno.EHOSTUNREACH);
        return target.Endpoints.TryGetValue(port, out var endpoint) ? (endpoint, 0) : (null, Errno.ECONNREFUSED);
    }

    // ---------------------------------------------------------------- IPC

    /// <summary>The queue <paramref name="key"/> names for <paramref name="process"/>: its IPC namespace's.</summary>
    public static Queue<uint> Queue(Process process, int key)
    {
        var queues = process.Namespaces.Ipc.Queues;
        if (!queues.TryGetValue(key, out var queue)) queues[key] = queue = new Queue<uint>();
        return queue;
    }
}
