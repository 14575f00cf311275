using VirtualizationWorkbench.Machine.Assembler;
using VirtualizationWorkbench.Machine.Costs;
using VirtualizationWorkbench.Machine.Virtualization.Paravirtualization;

namespace VirtualizationWorkbench.Cli.Labs.Scripting;

/// <summary>
/// The two-domain split-driver system as lab scripts see it (<c>var xen = lab.splitConsole()</c>): DomU runs the
/// paravirtualized minikernel with a front-end console, Dom0 runs the back-end (<c>labs/guests/dom0-console.s</c>).
/// </summary>
public sealed class ScriptSplitSystem
{
    private readonly SplitDriverSystem system = new(CostTable.Default);

    internal ScriptSplitSystem(Func<string, (string Text, string Name)> resolveSource)
    {
        var (guest, guestPath) = resolveSource("guests/minikernel.s");
        var (control, controlPath) = resolveSource("guests/dom0-console.s");
        system.Load(
            Assembler.AssembleText(guest, guestPath, new AssemblerOptions { Defines = ["PARAVIRT", "SPLIT_CONSOLE"] }),
            Assembler.AssembleText(control, controlPath));
    }

    /// <summary>Runs both domains until DomU is done and its output printed; returns the outcome's name.</summary>
    public ScriptMonitorRun Run(double budget) => new(system.Run((long)Math.Clamp(budget, 1, 1e9)));

    /// <summary>What reached the real console, through Dom0.</summary>
    public string Console() => system.ConsoleOutput;

    /// <summary>Events sent over the channel, both ways.</summary>
    public double Events => system.Channel.Events;

    /// <summary>Device accesses DomU made (a front-end makes none).</summary>
    public double GuestDeviceAccesses => system.DomU.Statistics.DeviceAccesses;

    /// <summary>Device accesses Dom0 made on DomU's behalf.</summary>
    public double ControlDeviceAccesses => system.Dom0.Statistics.DeviceAccesses;
}
