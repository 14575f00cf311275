namespace VirtualizationWorkbench.Containers.Namespaces;

/// <summary>An IPC namespace: System V style message queues, by key. The same key in two namespaces is two
/// queues.</summary>
public sealed class IpcNamespace
{
    /// <summary>Queues by key, made on first use.</summary>
    public SortedDictionary<int, Queue<uint>> Queues { get; } = [];
}
