namespace VirtualizationWorkbench.Containers;

/// <summary>
/// Virtual cycles the container kernel charges for the work it does in host code, on top of what the core charges
/// for the guest's own instructions and traps. They are the model's parameters, not measurements: a page copy is
/// 4 KiB at 8 bytes per cycle, zeroing at 16 bytes per cycle; the rest are of the order of a Linux system call.
/// </summary>
/// <param name="SystemCall">Serving one system call, beyond the trap the core charges.</param>
/// <param name="ContextSwitch">Switching address space and registers to another process.</param>
/// <param name="PageZero">Giving a process a zeroed frame.</param>
/// <param name="PageCopy">Copying one page (fork, and reading a program page from its file).</param>
/// <param name="Namespace">Creating one namespace.</param>
/// <param name="ControlGroup">Creating one control group.</param>
/// <param name="FileNode">Creating one node of a container's root from an image (the file's bytes are shared).</param>
/// <param name="Exec">Parsing a program and building an empty address space.</param>
public sealed record KernelCosts(ulong SystemCall, ulong ContextSwitch, ulong PageZero, ulong PageCopy, ulong Namespace,
    ulong ControlGroup, ulong FileNode, ulong Exec)
{
    /// <summary>The table every lab and the experiment use.</summary>
    public static KernelCosts Default { get; } = new(SystemCall: 50, ContextSwitch: 200, PageZero: 256, PageCopy: 512,
        Namespace: 400, ControlGroup: 300, FileNode: 40, Exec: 1000);
}
