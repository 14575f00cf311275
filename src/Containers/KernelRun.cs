namespace VirtualizationWorkbench.Containers;

/// <summary>Why <see cref="Kernel.Run"/> returned.</summary>
public enum KernelStop
{
    /// <summary>The cycles asked for have passed.</summary>
    BudgetSpent,
    /// <summary>No process can run: all ended, or all wait for something no one will send.</summary>
    Idle,
    /// <summary>The kernel panicked: every process on it is gone.</summary>
    Panic,
    /// <summary>The host asked the core to stop (<c>Core.RequestStop</c>); another Run goes on.</summary>
    Stopped,
}

/// <summary>The result of <see cref="Kernel.Run"/>.</summary>
public sealed record KernelRun(KernelStop Stop, string Message);
