using VirtualizationWorkbench.Machine.Costs;
using VirtualizationWorkbench.Machine.Virtualization.FullVirtualization;
using VirtualizationWorkbench.Machine.Virtualization.HardwareAssisted;
using VirtualizationWorkbench.Machine.Virtualization.Paravirtualization;

namespace VirtualizationWorkbench.Machine.Virtualization;

/// <summary>The course's monitors by the names the labs and the command line use.</summary>
public static class MonitorCatalog
{
    /// <summary>Every technique's name, in course order.</summary>
    public static IReadOnlyList<string> Names { get; } =
        ["trap-and-emulate", "binary-translation", "paravirtualization", "paravirtualization-ring3", "hardware-assisted", "hardware-shadow"];

    /// <summary>A new monitor of technique <paramref name="name"/> on <paramref name="costs"/>, or null for an unknown name.</summary>
    public static VirtualMachineMonitor? Create(string name, CostTable costs) => name switch
    {
        "trap-and-emulate" => new TrapAndEmulateMonitor(costs),
        "binary-translation" => new BinaryTranslationMonitor(costs),
        "paravirtualization" => new ParavirtualHypervisor(costs),
        "paravirtualization-ring3" => new ParavirtualHypervisor(costs, kernelRing: 3),
        "hardware-assisted" => new HardwareAssistedHypervisor(costs, nestedPaging: true),
        "hardware-shadow" => new HardwareAssistedHypervisor(costs, nestedPaging: false),
        _ => null,
    };
}
