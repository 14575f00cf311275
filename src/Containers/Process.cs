using VirtualizationWorkbench.Containers.ControlGroups;
using VirtualizationWorkbench.Containers.Filesystem;
using VirtualizationWorkbench.Containers.Memory;
using VirtualizationWorkbench.Containers.Namespaces;
using VirtualizationWorkbench.Machine.Assembler;
using VirtualizationWorkbench.Machine.Cpu;

namespace VirtualizationWorkbench.Containers;

/// <summary>One number of a process in one pid namespace.</summary>
public readonly record struct PidNumber(PidNamespace Namespace, int Number);

/// <summary>
/// A process of the container kernel (the kernel's task struct): saved registers, its own address space, its
/// namespaces and control group, its root and current directory, its family. Everything the kernel changes it
/// changes here; the core only ever holds the registers of the process that runs.
/// </summary>
public sealed class Process
{
    internal Process(IReadOnlyList<PidNumber> pids, Process? parent, NamespaceSet namespaces, ControlGroup group,
        FsDirectory root, FsNode cwd, Container? container)
    {
        Pids = pids;
        Parent = parent;
        Namespaces = namespaces;
        Group = group;
        Root = root;
        Cwd = cwd;
        Container = container;
    }

    /// <summary>Its numbers, one per pid-namespace level, the host's first.</summary>
    public IReadOnlyList<PidNumber> Pids { get; }

    /// <summary>The host's pid (level 0).</summary>
    public int HostPid => Pids[0].Number;

    /// <summary>The pid it sees for itself (its own namespace's number).</summary>
    public int OwnPid => Pids[^1].Number;

    /// <summary>Its parent; null for a process the kernel started (the host's first, a container's init).</summary>
    public Process? Parent { get; internal set; }

    /// <summary>Children not yet reaped.</summary>
    public List<Process> Children { get; } = [];

    /// <summary>Its namespaces.</summary>
    public NamespaceSet Namespaces { get; }

    /// <summary>Its control group.</summary>
    public ControlGroup Group { get; }

    /// <summary>The container it belongs to, or null for a host process.</summary>
    public Container? Container { get; }

    /// <summary>Where absolute paths start (chroot's pointer).</summary>
    public FsDirectory Root { get; internal set; }

    /// <summary>Where relative paths start.</summary>
    public FsNode Cwd { get; internal set; }

    /// <summary>The program's path (what exec was given).</summary>
    public string Command { get; internal set; } = "";

    /// <summary>Its life state.</summary>
    public ProcessState State { get; internal set; }

    /// <summary>The exit code (for a kill, 128 + 9 as a shell reports SIGKILL).</summary>
    public int ExitCode { get; internal set; }

    /// <summary>Why it ended, for people: <c>exited with code 0</c>, <c>killed by the OOM killer (memory.max)</c>, ...</summary>
    public string? EndReason { get; internal set; }

    /// <summary>Cycles it ran.</summary>
    public ulong CpuCycles { get; internal set; }

    /// <summary>Its registers while it is not on the core.</summary>
    internal CpuState Cpu;

    /// <summary>Its address space (null once it ended).</summary>
    internal AddressSpace? Memory { get; set; }

    /// <summary>The program it runs: where file-backed pages are read back from.</summary>
    internal ProgramImage? Program { get; set; }

    /// <summary>The end of the heap (sbrk).</summary>
    internal uint Break { get; set; } = UserLayout.HeapBase;

    /// <summary>The port or queue key it waits on.</summary>
    internal int WaitKey { get; set; }

    /// <summary>Frames it holds (its resident set size, in pages, page tables included): the OOM killer's measure.</summary>
    public int ResidentPages => Memory?.FrameCount ?? 0;

    /// <summary>Whether it still runs or waits (not a zombie, not reaped).</summary>
    public bool Alive => State is not (ProcessState.Zombie or ProcessState.Reaped);

    /// <inheritdoc/>
    public override string ToString() => $"pid {HostPid} {Command} ({State})";
}
