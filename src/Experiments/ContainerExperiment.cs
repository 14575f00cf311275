using VirtualizationWorkbench.Containers;
using VirtualizationWorkbench.Machine.Assembler;
using VirtualizationWorkbench.Machine.Costs;
using VirtualizationWorkbench.Machine.Virtualization;
using VirtualizationWorkbench.Machine.Virtualization.HardwareAssisted;

namespace VirtualizationWorkbench.Experiments;

/// <summary>N instances started as containers and as virtual machines: start-up in virtual cycles from the
/// request to the service's first output, one after another (mean and slowest) and all requested at once on the
/// one core (mean and last), and memory per instance in bytes.</summary>
public sealed record InstanceRow(int Instances, double ContainerStartMean, ulong ContainerStartMax, double VmStartMean, ulong VmStartMax,
    double ContainerBytes, ulong VmReservedBytes, double VmTouchedBytes,
    double ContainerBurstMean, ulong ContainerBurstLast, double VmBurstMean, ulong VmBurstLast);

/// <summary>How many instances fit in <paramref name="MemoryBytes"/>, from the measured memory per instance.</summary>
public sealed record DensityRow(ulong MemoryBytes, long Containers, long VirtualMachines, long VirtualMachinesByTouchedPages);

/// <summary>
/// Containers started one after another on a kernel of <paramref name="MemoryBytes"/> until the machine runs out:
/// how many were up when the OOM killer first struck (<paramref name="ContainersUp"/>), how many the memory.current
/// of one predicts, and whom the machine-wide OOM killer took to make room for the next start.
/// </summary>
public sealed record FillRow(ulong MemoryBytes, int ContainersUp, long ContainersByMemoryCurrent, string Victim, string Starting, string KernelMessage);

/// <summary><paramref name="Instances"/> instances, one of which hits a kernel bug: how many of the others still run.</summary>
public sealed record FailureDomainRow(int Instances, int ContainersStillRunning, int VirtualMachinesStillRunning, string ContainerKernel, string VmKernel);

/// <summary>Everything <c>workbench experiment containers</c> reports.</summary>
public sealed record ContainerResults(IReadOnlyList<InstanceRow> Rows, DensityRow Density, FillRow Fill, FailureDomainRow FailureDomain);

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

    // A VM runs in slices of this many guest instructions; its start-up is read at the end of the slice in which
    // its first task printed, so it is late by less than one slice (about 600 cycles).
    private const long VmSlice = 100;

    /// <summary>Runs every measurement; <paramref name="minikernelPath"/> is labs/guests/minikernel.s. The machine
    /// filled with containers has <paramref name="fillMemory"/> bytes (the lab's kernel's 16 MiB unless told).</summary>
    public static ContainerResults Run(string minikernelPath, IReadOnlyList<int>? counts = null, int failureDomainInstances = 10,
        uint fillMemory = Kernel.DefaultMemory)
    {
        var minikernel = Assembler.AssembleFile(minikernelPath).Program
            ?? throw new InvalidOperationException($"{minikernelPath} does not assemble");
        var rows = (counts ?? Counts).Select(n => Row(n, minikernel)).ToList();
        var last = rows[^1];
        var density = new DensityRow(DensityMemory, (long)(DensityMemory / last.ContainerBytes), (long)(DensityMemory / last.VmReservedBytes),
            (long)(DensityMemory / last.VmTouchedBytes));
        return new ContainerResults(rows, density, Fill(fillMemory), FailureDomain(failureDomainInstances, minikernel));
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
        var (containerBurst, vmBurst) = (ContainerBurst(n), VmBurst(n, minikernel));
        return new InstanceRow(n, starts.Average(s => (double)s), starts.Max(), vmStarts.Average(s => (double)s), vmStarts.Max(),
            bytes.Average(), reserved, touched.Average(),
            containerBurst.Average(s => (double)s), containerBurst.Max(), vmBurst.Average(s => (double)s), vmBurst.Max());
    }

    /// <summary>N containers requested at once: created back to back, then run by the one kernel on its one core
    /// until every service is up. Each start-up counts from that container's own request.</summary>
    private static List<ulong> ContainerBurst(int n)
    {
        var kernel = new Kernel(memory: 64 * 1024 * 1024);
        var all = Enumerable.Range(0, n).Select(i => kernel.CreateContainer(new ContainerSpec($"c{i}"))).ToList();
        while (all.Any(c => c.FirstOutputAt is null))
        {
            var run = kernel.Run((long)kernel.Quantum);
            if (run.Stop is KernelStop.Panic or KernelStop.Idle && all.Any(c => c.FirstOutputAt is null))
            {
                throw new InvalidOperationException($"a container did not come up: {run.Stop} {run.Message}");
            }
        }
        return [.. all.Select(c => c.FirstOutputAt!.Value - c.StartedAt)];
    }

    /// <summary>N VMs requested at once on one host core: the hypervisor runs them round-robin, each for the
    /// container kernel's time slice (10,000 cycles), and the host's clock is every cycle any of them ran. A VM's
    /// start-up is that clock when its first task printed. Switching between VMs is not charged (a real host would
    /// pay a VM exit and entry and cold caches), so this favours the VMs.</summary>
    private static List<ulong> VmBurst(int n, ProgramImage minikernel)
    {
        var vms = Enumerable.Range(0, n).Select(_ =>
        {
            var vm = new HardwareAssistedHypervisor(CostTable.Default);
            vm.Load(minikernel);
            return vm;
        }).ToList();
        var up = new ulong?[n];
        ulong clock = 0;
        while (up.Any(u => u is null))
        {
            for (var i = 0; i < n; i++)
            {
                if (up[i] is not null) continue;
                var before = vms[i].Core.Counters.Cycles;
                while (vms[i].Core.Counters.Cycles - before < Kernel.DefaultQuantum && up[i] is null)
                {
                    var run = vms[i].Run(VmSlice);
                    if (run.Outcome != MonitorOutcome.BudgetSpent || vms[i].Core.Counters.Instructions > VmBootBudget)
                    {
                        throw new InvalidOperationException($"VM {i} did not come up: {run.Outcome} {run.Message}");
                    }
                    if (vms[i].ConsoleOutput.Contains("task 1: step 1", StringComparison.Ordinal)) up[i] = clock + vms[i].Core.Counters.Cycles - before;
                }
                clock += vms[i].Core.Counters.Cycles - before;
            }
        }
        return [.. up.Select(u => u!.Value)];
    }

    /// <summary>
    /// Starts containers one after another, each until its service is up, on a kernel of <paramref name="memory"/>
    /// bytes and no memory.max, until a start finds the machine full: the kernel first reclaims clean pages, then
    /// its machine-wide OOM killer takes the largest process anywhere, which is another container's service.
    /// </summary>
    public static FillRow Fill(uint memory)
    {
        var kernel = new Kernel(memory);
        long perContainer = 1;
        for (var i = 0; ; i++)
        {
            var starting = $"c{i}";
            Container container;
            try
            {
                container = kernel.CreateContainer(new ContainerSpec(starting));
            }
            catch (ContainerError e)
            {
                return new FillRow(memory, i, kernel.Frames.Total / perContainer, "none: the start was refused", starting, e.Message);
            }
            while (container.FirstOutputAt is null && container.Running && kernel.Run((long)kernel.Quantum).Stop != KernelStop.Panic)
            {
            }
            if (i == 0) perContainer = Math.Max(1, (long)container.Group.MemoryPages);
            if (kernel.Containers.Values.FirstOrDefault(c => !c.Running) is { } victim)
            {
                var message = kernel.HostConsole.Split('\n', StringSplitOptions.RemoveEmptyEntries).First(l => l.Contains("out of memory", StringComparison.Ordinal));
                return new FillRow(memory, i, kernel.Frames.Total / perContainer, victim.Name, starting, message);
            }
        }
    }

    /// <summary>Boots one VM until its first task prints; returns the cycles that took, the memory it was given
    /// (guest RAM plus the hypervisor's nested page tables) and the guest pages it actually wrote.</summary>
    public static (ulong Cycles, ulong ReservedBytes, ulong TouchedBytes) BootVm(ProgramImage kernel)
    {
        var vm = new HardwareAssistedHypervisor(CostTable.Default);
        vm.Load(kernel);
        while (!vm.ConsoleOutput.Contains("task 1: step 1", StringComparison.Ordinal))
        {
            var run = vm.Run(VmSlice);
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
