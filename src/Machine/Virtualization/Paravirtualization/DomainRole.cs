namespace VirtualizationWorkbench.Machine.Virtualization.Paravirtualization;

/// <summary>The two kinds of domain of a Xen-style system.</summary>
public enum DomainRole
{
    /// <summary>An ordinary guest (DomU): no devices of its own, front-end drivers only.</summary>
    Guest,
    /// <summary>The control domain (Dom0): owns the real devices and runs the back-end drivers.</summary>
    Control,
}
