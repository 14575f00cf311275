using VirtualizationWorkbench.Machine.Assembler;
using VirtualizationWorkbench.Machine.Costs;

namespace VirtualizationWorkbench.Machine.Virtualization.Paravirtualization;

/// <summary>
/// A Xen-style system of two domains on one machine: the control domain Dom0 (core 1) owns the console and runs
/// its back-end driver; the guest domain DomU (core 0) runs the paravirtualized kernel built with
/// <c>-D PARAVIRT -D SPLIT_CONSOLE</c>, whose console is a front-end that writes into a ring in a page it granted
/// and notifies Dom0 through an event channel. The hypervisor schedules the two domains in turn.
/// </summary>
public sealed class SplitDriverSystem
{
    /// <summary>Instructions each domain runs in its turn.</summary>
    public const long Quantum = 2_000;

    private readonly HashSet<ParavirtualHypervisor> blocked = [];

    /// <summary>Builds the machine and the two domains.</summary>
    public SplitDriverSystem(CostTable costs)
    {
        Computer = new Computer(new MachineConfiguration { MemorySize = 32 * 1024 * 1024, Cores = 2, Costs = costs });
        DomU = new ParavirtualHypervisor(Computer, 0, 0x0100_0000, 0x0040_0000, DomainRole.Guest, Channel);
        Dom0 = new ParavirtualHypervisor(Computer, 1, 0x0150_0000, 0x0010_0000, DomainRole.Control, Channel);
        Channel.Domains.Add(DomU);
        Channel.Domains.Add(Dom0);
    }

    /// <summary>The machine.</summary>
    public Computer Computer { get; }

    /// <summary>The event channel and the granted page between the domains.</summary>
    public SplitDriverChannel Channel { get; } = new();

    /// <summary>The guest domain (front-end).</summary>
    public ParavirtualHypervisor DomU { get; }

    /// <summary>The control domain (back-end, real console).</summary>
    public ParavirtualHypervisor Dom0 { get; }

    /// <summary>What reached the real console (through Dom0).</summary>
    public string ConsoleOutput => Computer.Console.PendingText;

    /// <summary>Loads the two domains' kernels.</summary>
    public void Load(ProgramImage guest, ProgramImage control)
    {
        DomU.Load(guest);
        Dom0.Load(control);
    }

    /// <summary>Runs both domains in turn until DomU has shut down and Dom0 has printed everything DomU wrote,
    /// <paramref name="budget"/> instructions (both domains together) pass, or the host stops a domain's core
    /// (<see cref="MonitorOutcome.Stopped"/>, the message naming the domain).</summary>
    public MonitorRun Run(long budget)
    {
        var guestDone = false;
        var used = 0L;
        while (used < budget)
        {
            var progress = false;
            foreach (var domain in new[] { DomU, Dom0 })
            {
                if (domain == DomU && guestDone) continue;
                if (blocked.Contains(domain))
                {
                    if (!Channel.TryWake(domain)) continue;
                    blocked.Remove(domain);
                }
                var before = domain.Core.Counters.Instructions;
                var result = domain.Run(Math.Min(Quantum, budget - used));
                used += (long)(domain.Core.Counters.Instructions - before);
                progress = true;
                switch (result.Outcome)
                {
                    case MonitorOutcome.Blocked:
                        blocked.Add(domain);
                        break;
                    case MonitorOutcome.Halted when domain == DomU:
                        guestDone = true;
                        break;
                    case MonitorOutcome.Halted:
                        return new MonitorRun(MonitorOutcome.GuestFailed, "Dom0 shut down: the back-end is gone");
                    case MonitorOutcome.GuestFailed:
                        return new MonitorRun(MonitorOutcome.GuestFailed, $"{(domain == DomU ? "DomU" : "Dom0")}: {result.Message}");
                    case MonitorOutcome.Stopped:
                        return new MonitorRun(MonitorOutcome.Stopped, $"{(domain == DomU ? "DomU" : "Dom0")}: {result.Message}");
                }
            }
            if (guestDone && Channel.ReadGranted(0) == Channel.ReadGranted(4) && blocked.Contains(Dom0) && !Channel.HasEvent(Dom0))
            {
                return new MonitorRun(MonitorOutcome.Halted, "DomU shut down and its output is printed");
            }
            if (!progress) return new MonitorRun(MonitorOutcome.GuestFailed, "deadlock: both domains wait for an event");
        }
        return new MonitorRun(MonitorOutcome.BudgetSpent, "");
    }
}
