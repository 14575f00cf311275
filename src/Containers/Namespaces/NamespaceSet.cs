namespace VirtualizationWorkbench.Containers.Namespaces;

/// <summary>The namespaces a process lives in (Linux's <c>nsproxy</c>). The host's processes share the host's
/// set; a container's processes share the container's; fork copies the parent's.</summary>
public sealed record NamespaceSet(PidNamespace Pid, MountNamespace Mount, UtsNamespace Uts, NetNamespace Net, IpcNamespace Ipc);
