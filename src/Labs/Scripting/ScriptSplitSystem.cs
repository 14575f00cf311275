using VirtualizationWorkbench.Machine.Assembler;
using VirtualizationWorkbench.Machine.Costs;
using VirtualizationWorkbench.Machine.Virtualization;
using VirtualizationWorkbench.Machine.Virtualization.Paravirtualization;

namespace VirtualizationWorkbench.Labs.Scripting;

/// <summary>
/// The two-domain split-driver system as lab scripts see it (<c>const xen = lab.splitConsole()</c>): DomU runs the
/// paravirtualized minikernel with a front-end console, Dom0 runs the back-end (<c>labs/guests/dom0-console.s</c>).
/// </summary>
public sealed class ScriptSplitSystem
{
    private readonly SplitDriverSystem system;
    private readonly ScriptBudget budget;

    internal ScriptSplitSystem(ScriptFiles files, ScriptBudget budget)
    {
        this.budget = budget;
        var (guest, guestPath) = files.Resolve("guests/minikernel.s");
        var (control, controlPath) = files.Resolve("guests/dom0-console.s");
        budget.ThrowIfSpent("splitConsole()");
        system = budget.Uncounted(() =>
        {
            var built = new SplitDriverSystem(CostTable.Default);
            built.Load(
                Assembler.AssembleText(guest, guestPath, files.Assembler(["PARAVIRT", "SPLIT_CONSOLE"])),
                Assembler.AssembleText(control, controlPath, files.Assembler()));
            return built;
        });
    }

    /// <summary>Guest memory of the system's machine, for the step's machine allowance.</summary>
    internal long MachineBytes => system.Computer.Memory.Size;

    /// <summary>Runs both domains until DomU is done and its output printed, for at most
    /// <paramref name="instructions"/> (clamped to 1 to 10^9); the block's time limit stops a run that would
    /// outlast it.</summary>
    public ScriptMonitorRun Run(double instructions)
    {
        var budgeted = (long)Math.Clamp(double.IsNaN(instructions) ? 1 : instructions, 1, 1e9);
        return new ScriptMonitorRun(budget.Run(system.Computer, () => system.Run(budgeted), run => run.Outcome == MonitorOutcome.Stopped, "xen.run()"));
    }

    /// <summary>What reached the real console, through Dom0.</summary>
    public string Console() => system.ConsoleOutput;

    /// <summary>Events sent over the channel, both ways.</summary>
    public double Events => system.Channel.Events;

    /// <summary>Device accesses DomU made (a front-end makes none).</summary>
    public double GuestDeviceAccesses => system.DomU.Statistics.DeviceAccesses;

    /// <summary>Device accesses Dom0 made on DomU's behalf.</summary>
    public double ControlDeviceAccesses => system.Dom0.Statistics.DeviceAccesses;
}
