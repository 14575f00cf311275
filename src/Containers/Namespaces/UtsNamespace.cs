namespace VirtualizationWorkbench.Containers.Namespaces;

/// <summary>A UTS namespace: the hostname its processes see and set.</summary>
public sealed class UtsNamespace(string hostname)
{
    /// <summary>The hostname.</summary>
    public string Hostname { get; set; } = hostname;
}
