using VirtualizationWorkbench.Containers;
using VirtualizationWorkbench.Machine.Assembler;
using VirtualizationWorkbench.Machine.Costs;
using VirtualizationWorkbench.Machine.Virtualization;
using VirtualizationWorkbench.Machine.Virtualization.HardwareAssisted;

namespace VirtualizationWorkbench.Experiments;

/// <summary>N instances started as containers and as virtual machines: start-up in virtual cycles from the
/// request to the service's first output (mean and slowest), and memory per instance in bytes.</summary>
public sealed record InstanceRow(int Instances, double ContainerStartMean, ulong ContainerStartMax, double VmStartMean, ulong VmStartMax,
    double ContainerBytes, ulong VmReservedBytes, double VmTouchedBytes);

/// <summary>How many instances fit in <paramref name="MemoryBytes"/>, from the measured memory per instance.</summary>
public sealed record DensityRow(ulong MemoryBytes, long Containers, long VirtualMachines, long VirtualMachinesByTouchedPages);

/// <summary><paramref name="Instances"/> instances, one of which hits a kernel bug: how many of the others still run.</summary>
public sealed record FailureDomainRow(int Instances, int ContainersStillRunning, int VirtualMachinesStillRunning, string ContainerKernel, string VmKernel);

/// <summary>Everything <c>workbench experiment containers</c> reports.</summary>
public sealed record ContainerResults(IReadOnlyList<InstanceRow> Rows, DensityRow Density, FailureDomainRow FailureDomain);

/// <summary>
/// Lab 08's experiment. Containers: the same small service (labs/guests/containers/service.s) started N times
/// on one container kernel (src/Containers), one after another, each from the <c>base</c> image with its own
/// namespaces and control group. Virtual machines: the minikernel (labs/guests/minikernel.s) booted N times under
/// lab 07's hardware-assisted hypervisor with nested paging, each on a machine of its own, until its first user
/// task prints its first line — the same "service is up" moment. Everything is virtual time under the default
/// cost table, so the figures are the same on every host.
/// </summary>
public static class ContainerExperiment
{
    /// <summary>The instance counts the table reports.</summary>
    public static readonly IReadOnlyList<int> Counts = [1, 10, 50];

    /// <summary>The fixed memory the density row fills: 256 MiB.</summary>
    public const ulong DensityMemory = 256UL * 1024 * 1024;

    private const long VmBootBudget = 5_000_000;

    /// <summary>Runs every measurement; <paramref name="minikernelPath"/> is labs/guests/minikernel.s.</summary>
    public static ContainerResults Run(string minikernelPath, IReadOnlyList<int>? counts = null, int failureDomainInstances = 10)
    {
        var minikernel = Assembler.AssembleFile(minikernelPath).Program
            ?? throw new InvalidOperationException($"{minikernelPath} does not assemble");
        var rows = (counts ?? Counts).Select(n => Row(n, minikernel)).ToList();
        var last = rows[^1];
        var density = new DensityRow(DensityMemory, (long)(DensityMemory / last.ContainerBytes), (long)(DensityMemory / last.VmReservedBytes),
            (long)(DensityMemory / last.VmTouchedBytes));
        return new ContainerResults(rows, density, FailureDomain(failureDomainInstances, minikernel));
    }

    private static InstanceRow Row(int n, ProgramImage minikernel)
    {
        var kernel = new Kernel(memory: 64 * 1024 * 1024);
        var starts = new List<ulong>();
        var bytes = new List<double>();
        for (var i = 0; i < n; i++)
        {
            var container = kernel.CreateContainer(new ContainerSpec($"c{i}"));
            while (container.FirstOutputAt is null && container.Running && kernel.Run((long)kernel.Quantum).Stop != KernelStop.Panic)
            {
            }
            starts.Add(container.FirstOutputAt!.Value - container.StartedAt);
        }
        kernel.Run(1_000_000);   // every service prints its greeting and waits in recv()
        foreach (var c in kernel.Containers.Values) bytes.Add(c.Group.MemoryCurrent + (ulong)c.PrivateFileBytes);

        var vmStarts = new List<ulong>();
        var touched = new List<double>();
        ulong reserved = 0;
        for (var i = 0; i < n; i++)
        {
            var (cycles, reservedBytes, touchedBytes) = BootVm(minikernel);
            vmStarts.Add(cycles);
            touched.Add(touchedBytes);
            reserved = reservedBytes;
        }
        return new InstanceRow(n, starts.Average(s => (double)s), starts.Max(), vmStarts.Average(s => (double)s), vmStarts.Max(),
            bytes.Average(), reserved, touched.Average());
    }

    /// <summary>Boots one VM until its first task prints; returns the cycles that took, the memory it was given
    /// (guest RAM plus the hypervisor's nested page tables) and the guest pages it actually wrote.</summary>
    public static (ulong Cycles, ulong ReservedBytes, ulong TouchedBytes) BootVm(ProgramImage kernel)
    {
        var vm = new HardwareAssistedHypervisor(CostTable.Default);
        vm.Load(kernel);
        while (!vm.ConsoleOutput.Contains("task 1: step 1", StringComparison.Ordinal))
        {
            var run = vm.Run(20_000);
            if (run.Outcome != MonitorOutcome.BudgetSpent || vm.Core.Counters.Instructions > VmBootBudget)
            {
                throw new InvalidOperationException($"the VM did not come up: {run.Outcome} {run.Message}");
            }
        }
        const uint page = 4096;
        var nestedTables = 1 + (vm.Guest.Size + 0x3F_FFFF) / 0x40_0000;
        ulong written = 0;
        var memory = vm.Computer.Memory.Bytes.AsSpan((int)vm.Guest.HostBase, (int)vm.Guest.Size);
        for (var at = 0; at < memory.Length; at += (int)page)
        {
            if (memory.Slice(at, (int)page).ContainsAnyExcept((byte)0)) written += page;
        }
        return (vm.Core.Counters.Cycles, vm.Guest.Size + nestedTables * page, written + nestedTables * page);
    }

    /// <summary>
    /// <paramref name="n"/> instances, one of which calls into a kernel bug: on the container kernel it is the one
    /// shared kernel that panics; among the VMs it is one guest's kernel, which fails alone.
    /// </summary>
    public static FailureDomainRow FailureDomain(int n, ProgramImage minikernel)
    {
        var kernel = new Kernel();
        for (var i = 0; i < n - 1; i++) kernel.CreateContainer(new ContainerSpec($"c{i}"));
        kernel.CreateContainer(new ContainerSpec("buggy", Command: "/bin/kernelbug"));
        kernel.Run(2_000_000);
        var containersUp = kernel.Containers.Values.Count(c => c.Name != "buggy" && c.Running);

        // The VM's kernel bug: a fault in ring 0 with no handler for it, so the guest triple-faults.
        var buggy = Assembler.AssembleText(".org 0x1000\nstart:\n    li r1, 0\n    div r2, r1, r1\n    hlt\n", "buggy-kernel.s");
        var vmsUp = 0;
        for (var i = 0; i < n; i++)
        {
            var vm = new HardwareAssistedHypervisor(CostTable.Default);
            vm.Load(i == n - 1 ? buggy : minikernel);
            var run = vm.Run(300_000);
            var up = run.Outcome != MonitorOutcome.GuestFailed && vm.ConsoleOutput.Contains("task 1: step 1", StringComparison.Ordinal);
            if (up) vmsUp++;
            else if (i < n - 1) throw new InvalidOperationException($"VM {i} did not come up: {run.Outcome} {run.Message}");
        }
        return new FailureDomainRow(n, containersUp, vmsUp, kernel.Panicked ?? "no panic", "the buggy guest triple-faulted; its hypervisor stopped that VM only");
    }
}
