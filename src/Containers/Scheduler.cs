using VirtualizationWorkbench.Machine;
using CounterNames = VirtualizationWorkbench.Machine.Costs.Counters;

namespace VirtualizationWorkbench.Containers;

/// <summary>
/// Scheduling: round-robin over runnable processes in host-pid order, one time slice each (preemption is the
/// core's budget running out, as a timer interrupt would end it). cpu.max: a group that has used its quota in the
/// current period is skipped until the next period begins; when every runnable process is throttled, the machine
/// idles until the earliest period ends.
/// </summary>
public sealed partial class Kernel
{
    private int nextIndex;
    private Process? onCore;
    private bool stopRequested;

    /// <summary>Runs the processes for <paramref name="cycles"/> virtual cycles, or until none can run or the
    /// kernel panics.</summary>
    public KernelRun Run(long cycles)
    {
        if (cycles < 0) throw new ContainerError($"run for {cycles} cycles: give a positive number");
        var end = Now + (ulong)cycles;
        stopRequested = false;
        while (Now < end)
        {
            if (Panicked is not null) return new KernelRun(KernelStop.Panic, Panicked);
            if (stopRequested) return new KernelRun(KernelStop.Stopped, "stopped at the host's request");
            var next = PickNext();
            if (next is null)
            {
                var wake = processes.Where(p => p.State == ProcessState.Runnable).Select(p => p.Group.PeriodEnd).DefaultIfEmpty(ulong.MaxValue).Min();
                if (wake == ulong.MaxValue) return new KernelRun(KernelStop.Idle, "no process can run");
                idleCycles += Math.Min(wake, end) - Now;
                continue;
            }
            var slice = Math.Min(Math.Min(Quantum, end - Now), next.Group.QuotaLeft(Now));
            RunSlice(next, Now + slice);
        }
        return Panicked is not null ? new KernelRun(KernelStop.Panic, Panicked) : new KernelRun(KernelStop.BudgetSpent, "");
    }

    /// <summary>The next runnable process after the last one, whose group is not throttled.</summary>
    private Process? PickNext()
    {
        for (var i = 0; i < processes.Count; i++)
        {
            var index = (nextIndex + i) % processes.Count;
            var candidate = processes[index];
            if (candidate.State == ProcessState.Runnable && !candidate.Group.Throttled(Now))
            {
                nextIndex = index + 1;
                return candidate;
            }
        }
        return null;
    }

    /// <summary>Runs <paramref name="process"/> until <paramref name="until"/> or until it blocks, yields or ends.</summary>
    private void RunSlice(Process process, ulong until)
    {
        var start = Now;
        // Its registers may have changed while it waited (a wait or recv completed), so they are always loaded.
        core.State = process.Cpu;
        if (onCore != process)
        {
            core.FlushTlb();
            core.Charge(Costs.ContextSwitch);
            onCore = process;
        }
        var yielded = false;
        while (Now < until && process.State == ProcessState.Runnable && !yielded && Panicked is null && !stopRequested)
        {
            // Every instruction costs at least a cycle, so this many instructions cannot overrun the slice by more
            // than the last instruction's cost.
            var exit = core.Run((long)(until - Now));
            switch (exit.Reason)
            {
                case ExitReason.BudgetSpent:
                    break;
                case ExitReason.Stopped:
                    stopRequested = true;
                    break;
                case ExitReason.Trap when exit.Vector == 0x80:
                    process.Cpu = core.State;
                    var space = process.Cpu.Cr3;
                    yielded = Serve(process);
                    if (process.Alive)
                    {
                        core.State = process.Cpu;
                        if (process.Cpu.Cr3 != space) core.FlushTlb();
                    }
                    break;
                case ExitReason.Trap when exit.Vector == 14:
                    HandlePageFault(process, exit.FaultAddress, exit.ErrorCode, exit.Pc);
                    break;
                case ExitReason.Trap:
                    End(process, 128 + 4, $"killed by {CounterNames.VectorName(exit.Vector)} at pc 0x{exit.Pc:x8}");
                    break;
                default:
                    End(process, 128 + 4, $"killed: unexpected exit {exit}");
                    break;
            }
        }
        if (process.Alive) process.Cpu = core.State;
        else onCore = null;
        var used = Now - start;
        process.CpuCycles += used;
        process.Group.ChargeCpu(used, Now);
    }
}
